"""The common case of reading a document, straight through: two reads and no objects on the way.

:func:`~qvupload.documents.facts.read_document` reads through :class:`~.container.Container`,
which serves any offset from its windows, checks every access and recovers from a broken footer;
per document that bookkeeping cost more than the reads on a local disk. Most documents need none
of it: their footer, directory and XML items all lie in the tail window (and block 0, when the
saving build is asked for, in the head window), or the file is small enough to be read whole.
This module reads exactly those windows with the same calls (open, fstat, one or two preads,
fstat, close), makes the same checks and returns the same facts, counted the same way. Anything
else (an item outside the tail, a damaged footer or header, an unreadable info item, a file
that changes while it is read, any error) returns None before a result is made, and the reader
takes its general path, which gives the facts or the sentence it always gave (at the cost of
opening the file once more).
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

# facts imports this module; the reverse import binds the (then partly run) module, whose
# functions are looked up when a document is read, once both have run
from qvupload.documents import facts
from qvupload.documents.build import BLOCK0_OFFSET, block0_size, build_of_block0
from qvupload.documents.container import (
    ENTRY_SIZE,
    FOOTER_SIZE,
    HEAD_WINDOW,
    HEADER_SIZE,
    MAGIC_QVF,
    MAGIC_QVW,
    MAX_DIRECTORY_ENTRIES,
    TRAILER,
    Header,
)
from qvupload.documents.errors import DocumentError
from qvupload.pathnames import os_path

_PREAD = getattr(os, "pread", None)  # not on Windows: the general path seeks
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_FOOTER = struct.Struct("<II8xQQ")
_ENTRY = struct.Struct("<224sQQ16x")  # name (NUL padded), offset, length
INFO_NAME = b"DocumentInfo.xml"
SUMMARY_NAME = b"DocumentSummary.xml"


def read_quick(path: Path, tail_window: int, saving_build: bool) -> facts.DocumentFacts | None:
    """The facts of a document in the common case, or None: take the general path."""
    if _PREAD is None:
        return None
    try:
        fd = os.open(os_path(path), _FLAGS)
    except OSError:
        return None
    try:
        return _read(fd, path, tail_window, saving_build)
    except (OSError, DocumentError):
        return None
    finally:
        os.close(fd)


def _read(fd: int, path: Path, tail_window: int, saving_build: bool) -> facts.DocumentFacts | None:
    st = os.fstat(fd)
    size = st.st_size
    if not stat.S_ISREG(st.st_mode) or size < FOOTER_SIZE + HEADER_SIZE:
        return None
    assert _PREAD is not None
    if size <= HEAD_WINDOW + tail_window:  # a small file: read whole, in one call
        head = tail = _PREAD(fd, size, 0)
        base, head_size, reads = 0, size, 1
        if len(head) != size:
            return None
    else:
        head, base = _PREAD(fd, HEAD_WINDOW, 0), size - tail_window
        tail, head_size, reads = _PREAD(fd, tail_window, base), HEAD_WINDOW, 2
        if len(head) != HEAD_WINDOW or len(tail) != tail_window:
            return None
    if not tail.endswith(TRAILER):
        return None
    if head.startswith(MAGIC_QVW):
        container = "qvw"
    elif head.startswith(MAGIC_QVF):
        container = "qvf"
    else:
        return None
    items = _items(tail, base, size)
    if items is None:
        return None
    build = None
    if saving_build and container == "qvw":
        header = Header("qvw", *struct.unpack_from("<II", head, 15))
        compressed = block0_size(header, size)
        if compressed is not None:
            if BLOCK0_OFFSET + compressed > head_size:
                return None  # block 0 lies past the head window: the general path reads it
            build = build_of_block0(head[BLOCK0_OFFSET : BLOCK0_OFFSET + compressed], header.block0_size)
    internal = facts.info_of(items[0], path)
    summary = facts.summary_of(items[1])
    again = os.fstat(fd)
    if again.st_size != size or again.st_mtime_ns != st.st_mtime_ns:
        return None  # it changed while it was read: the general path reads it again or says so
    read = size if reads == 1 else HEAD_WINDOW + tail_window
    return facts.make_facts(path, size, container, internal, summary, build, st.st_mtime_ns, False, read, reads)


def _items(tail: bytes, base: int, size: int) -> tuple[bytes, bytes | None] | None:
    """DocumentInfo.xml and DocumentSummary.xml (None: no such item) when footer, directory and
    both items lie in the tail and pass the container's checks (a later entry of the same name
    wins, as there); else None."""
    off32, len32, off64, len64 = _FOOTER.unpack_from(tail, len(tail) - FOOTER_SIZE)
    offset, length = (off64, len64) if (off64 or len64) else (off32, len32)
    limit = size - FOOTER_SIZE
    if length == 0 or length % ENTRY_SIZE or length // ENTRY_SIZE > MAX_DIRECTORY_ENTRIES:
        return None
    if offset < base or offset + length > limit:
        return None
    start = offset - base
    info = summary = None
    for padded, item_offset, item_length in _ENTRY.iter_unpack(tail[start : start + length]):
        name = padded.split(b"\0", 1)[0]
        if not name:
            continue
        if item_offset + item_length > limit:
            return None
        if name == INFO_NAME:
            info = (item_offset, item_length)
        elif name == SUMMARY_NAME:
            summary = (item_offset, item_length)
    if info is None or info[0] < base or info[1] > facts.INFO_CAP:
        return None
    if summary is not None and (summary[0] < base or summary[1] > facts.SUMMARY_CAP):
        return None  # outside the tail: the general path reads it on its own (or says it is too large)
    return _slice(tail, base, info), None if summary is None else _slice(tail, base, summary)


def _slice(tail: bytes, base: int, item: tuple[int, int]) -> bytes:
    start = item[0] - base
    return tail[start : start + item[1]]
