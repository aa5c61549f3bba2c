"""Console output that never fails on a character the console or pipe cannot show.

A Windows console or a redirected pipe often uses cp1252 (or another code page), and document
names can hold any character: Japanese, emoji, or, on Linux, bytes that are not UTF-8 (kept by
Python as lone surrogates). Python's default for standard output is to raise
``UnicodeEncodeError``, which would end a command half-way through its table. Instead, at start
the command line switches stdout and stderr to an error handler that writes each character the
stream's encoding cannot hold as a JSON-style escape (``\\u65e5``, a surrogate pair above U+FFFF):
readable in a table, and valid JSON that decodes back to the exact name in ``--json`` output.
"""

from __future__ import annotations

import codecs
import io
import sys

HANDLER = "qvupload.escape"


def _escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out: list[str] = []
    for char in error.object[error.start : error.end]:
        point = ord(char)
        if point > 0xFFFF:
            point -= 0x10000
            out.append(f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}")
        else:
            out.append(f"\\u{point:04x}")
    return "".join(out), error.end


codecs.register_error(HANDLER, _escape)


def make_output_safe() -> None:
    """Switch stdout and stderr (where they are text streams; a GUI process may have none) to the handler."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=HANDLER)
