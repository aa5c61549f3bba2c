"""Paths as Windows has them: drive letters, UNC shares, paths longer than 260 characters.

QlikView documents live on Windows desktops and file servers (``\\\\server\\share\\Sales\\Doc.qvw``).
Everything that opens, stats or lists a document goes through :func:`os_path`, which on Windows
turns an absolute path of ``MAX_PATH`` (260) characters or more into its extended-length form
(``\\\\?\\C:\\...`` or ``\\\\?\\UNC\\server\\share\\...``; Microsoft, "Maximum Path Length Limitation"),
so a deep folder works whether or not the machine has long paths turned on. Everything shown to a
person or kept in the queue and the ledger uses :func:`display`, the path as the user gave it
(without that prefix). On other systems both return the path unchanged.

The functions take ``windows=`` so Windows semantics can be tested on any system (they use
``ntpath``, which is what ``os.path`` is on Windows).
"""

from __future__ import annotations

import ntpath
import os

MAX_PATH = 260
# CreateDirectory's limit is MAX_PATH - 12 (room for an 8.3 file name): prefix from there on
LONG_FROM = MAX_PATH - 12
EXTENDED = "\\\\?\\"
EXTENDED_UNC = "\\\\?\\UNC\\"
DEVICE = "\\\\.\\"
DOCUMENT_SUFFIXES = (".qvw", ".qvf")
ON_WINDOWS = os.name == "nt"

StrPath = str | os.PathLike[str]


def is_document_name(name: str) -> bool:
    """``.qvw``/``.qvf`` in any case (``Sales.QVW``): Windows names are case-insensitive."""
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def is_unc(path: StrPath, *, windows: bool = ON_WINDOWS) -> bool:
    """``\\\\server\\share\\...`` (or its extended form ``\\\\?\\UNC\\server\\share\\...``)."""
    if not windows:
        return False
    text = os.fspath(path)
    if text.upper().startswith(EXTENDED_UNC):
        return True
    if text.startswith((EXTENDED, DEVICE)):
        return False
    drive = ntpath.splitdrive(text)[0]
    return drive.startswith(("\\\\", "//"))


def root_of(path: StrPath, *, windows: bool = ON_WINDOWS) -> str:
    """The drive (``C:``) or share (``\\\\server\\share``) a path is on; "" for a relative path or on POSIX."""
    if not windows:
        return ""
    return ntpath.splitdrive(display(path, windows=True))[0].replace("/", "\\")


def display(path: StrPath, *, windows: bool = ON_WINDOWS) -> str:
    """The path as a person writes it: the extended-length prefix taken off (``\\\\?\\UNC\\s\\x`` -> ``\\\\s\\x``)."""
    text = os.fspath(path)
    if not windows:
        return text
    if text.upper().startswith(EXTENDED_UNC):
        return "\\\\" + text[len(EXTENDED_UNC) :]
    if text.startswith(EXTENDED) and ntpath.splitdrive(text[len(EXTENDED) :])[0]:
        return text[len(EXTENDED) :]
    return text


def extended(path: StrPath, *, windows: bool = ON_WINDOWS) -> str:
    """The form to give the operating system: on Windows, an absolute path of 248 characters or more
    in extended-length form (normalised first, since Windows does not normalise those); otherwise as it is."""
    text = os.fspath(path)
    if not windows or text.startswith((EXTENDED, DEVICE)):
        return text
    drive, rest = ntpath.splitdrive(text)
    if not drive or not rest.startswith(("\\", "/")):
        return text  # relative, or drive-relative (C:x): Windows resolves it against a current folder
    full = ntpath.normpath(text)
    if max(len(text), len(full)) < LONG_FROM:  # either spelling may be what hits the limit
        return text
    if is_unc(full, windows=True):
        return EXTENDED_UNC + full.lstrip("\\")
    return EXTENDED + full


def os_path(path: StrPath) -> str:
    """What to pass to ``open``, ``os.stat`` and ``os.scandir`` on this system."""
    return extended(path)


def same_name(a: str, b: str, *, windows: bool = ON_WINDOWS) -> bool:
    """Whether two file names in one folder name the same file (case-insensitive on Windows)."""
    return a.casefold() == b.casefold() if windows else a == b
