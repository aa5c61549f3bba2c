"""The QlikView document container: footer, directory and raw embedded items.

Layout (see shared reference ``qvw-format.md``; all integers little-endian):

* the last 256 bytes are a footer ending in ``EXEX``; bytes 0-3 / 4-7 hold the directory
  offset and length as u32, bytes 16-23 / 24-31 the same as u64 (needed past 4 GiB);
* the directory is a run of 256-byte entries: name (bytes 0-223, NUL padded), u64 offset
  (224-231), u64 length (232-239);
* items such as ``DocumentInfo.xml`` are stored raw.

Every offset and length is checked against the file size before anything is read. Reads are
coalesced, since on a file server each one is a round trip: the first ``HEAD_WINDOW`` bytes (the
header, and block 0 when small) in one read, the last ``TAIL_WINDOW`` bytes (footer, directory and
usually the XML items) in another, a small file in a single read. Anything outside those windows
is read on its own, with ``pread`` (one call, no seek).
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from qvupload.documents.errors import (
    DocumentError,
    NotQlikViewError,
    TruncatedDocumentError,
    UnreadableDocumentError,
)
from qvupload.i18n import _
from qvupload.pathnames import os_path

FOOTER_SIZE = 256
ENTRY_SIZE = 256
TRAILER = b"EXEX"
HEADER_SIZE = 23
MAGIC_QVW = bytes.fromhex("70170100c1060000")
MAGIC_QVF = bytes.fromhex("ffff0100c1060000")
# The largest directory seen holds four entries; allow generous head-room, not megabytes.
MAX_DIRECTORY_ENTRIES = 64
# How far from the end the fallback scan looks for <DocumentInfo> when the footer is broken.
FALLBACK_SCAN_BYTES = 8 * 1024 * 1024
FALLBACK_BLOCK = 1024 * 1024
# Two reads of 64 KiB in all: head and tail windows. The tail holds footer + directory + the XML
# items in every sample document; a larger item is read on its own.
HEAD_WINDOW = 4 * 1024
TAIL_WINDOW = 60 * 1024
# On a local disk a round trip costs next to nothing and copying 60 KiB costs more than a rare
# extra read: a scan that finds the disk fast asks for this smaller tail (see scan._read_all).
LOCAL_TAIL_WINDOW = 8 * 1024
_PREAD = getattr(os, "pread", None)  # not on Windows


@dataclass(frozen=True)
class Item:
    """One entry of the container directory."""

    name: str
    offset: int
    length: int


@dataclass(frozen=True)
class Header:
    """What the first 23 bytes say."""

    container: str  # "qvw", "qvf" or "unknown"
    block0_size: int  # uncompressed size of block 0 (classic .qvw only, else 0)
    block0_compressed: int  # compressed size of block 0 (classic .qvw only, else 0)


def parse_header(head: bytes) -> Header:
    if head.startswith(MAGIC_QVW) and len(head) >= HEADER_SIZE:
        usize, csize = struct.unpack_from("<II", head, 15)
        return Header("qvw", usize, csize)
    if head.startswith(MAGIC_QVF):
        return Header("qvf", 0, 0)
    return Header("unknown", 0, 0)


class Container:
    """An open QlikView document. Use as a context manager; reads are counted in ``bytes_read``
    (bytes) and ``reads`` (calls)."""

    def __init__(self, path: Path, fd: int, size: int, mtime_ns: int = 0, tail_window: int = TAIL_WINDOW) -> None:
        self.path = path
        self._fd = fd
        self.size = size
        self.mtime_ns = mtime_ns
        self.bytes_read = 0
        self.reads = 0
        self._tail_window = tail_window
        self._windows: list[tuple[int, bytes]] = []  # (offset, data) read once, served from memory
        if size <= HEAD_WINDOW + tail_window:
            self._windows.append((0, self._pread(0, size)))
        else:
            self._windows.append((0, self._pread(0, HEAD_WINDOW)))
        self.header = parse_header(self.read_at(0, min(HEADER_SIZE, size)))
        self.items: dict[str, Item] = {}
        self.recovered_by_scan = False
        self.footer_problem: str | None = None

    @property
    def mtime(self) -> float:
        return self.mtime_ns / 1e9

    # -- low level -----------------------------------------------------------------------
    def _pread(self, offset: int, length: int) -> bytes:
        try:
            if _PREAD is not None:
                data: bytes = _PREAD(self._fd, length, offset)
            else:
                os.lseek(self._fd, offset, os.SEEK_SET)
                data = os.read(self._fd, length)
        except OSError as exc:
            raise UnreadableDocumentError(
                _("%(name)s could not be read (%(strerror)s).") % {"name": self.path.name, "strerror": exc.strerror}
            ) from exc
        self.reads += 1
        self.bytes_read += len(data)
        if len(data) != length:
            raise TruncatedDocumentError(
                _("%(name)s became shorter while it was being read.") % {"name": self.path.name}
            )
        return data

    def _load_tail(self) -> None:
        start = self.size - self._tail_window
        if start > HEAD_WINDOW and all(offset != start for offset, _ in self._windows):
            self._windows.append((start, self._pread(start, self._tail_window)))

    def read_at(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise TruncatedDocumentError(
                _("%(name)s ends before the data it points to; the copy may be incomplete.") % {"name": self.path.name}
            )
        for start, data in self._windows:
            if start <= offset and offset + length <= start + len(data):
                return data[offset - start : offset - start + length]
        return self._pread(offset, length)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- directory -----------------------------------------------------------------------
    def load_directory(self) -> None:
        """Read footer and directory; on failure remember why (``footer_problem``)."""
        try:
            self.items = self._read_directory()
        except DocumentError as exc:
            self.footer_problem = str(exc)
            self.items = {}

    def _read_directory(self) -> dict[str, Item]:
        name = self.path.name
        if self.size < FOOTER_SIZE + HEADER_SIZE:
            raise TruncatedDocumentError(_("%(name)s is too small to be a QlikView document.") % {"name": name})
        self._load_tail()
        footer = self.read_at(self.size - FOOTER_SIZE, FOOTER_SIZE)
        if footer[-4:] != TRAILER:
            raise TruncatedDocumentError(
                _("%(name)s has no QlikView end marker; it may be incomplete or still being written.") % {"name": name}
            )
        off32, len32 = struct.unpack_from("<II", footer, 0)
        off64, len64 = struct.unpack_from("<QQ", footer, 16)
        # The u64 copies are authoritative when present (files over 4 GiB); older files may
        # leave them zero, so fall back to the u32 pair.
        offset, length = (off64, len64) if (off64 or len64) else (off32, len32)
        if length == 0 or length % ENTRY_SIZE:
            raise TruncatedDocumentError(
                _("%(name)s has a damaged directory (length %(length)s).") % {"name": name, "length": length}
            )
        if length // ENTRY_SIZE > MAX_DIRECTORY_ENTRIES:
            raise TruncatedDocumentError(_("%(name)s has an implausibly large directory.") % {"name": name})
        if offset + length > self.size - FOOTER_SIZE:
            raise TruncatedDocumentError(
                _("%(name)s points to a directory past its end; the copy may be cut.") % {"name": name}
            )
        raw = self.read_at(offset, length)
        items: dict[str, Item] = {}
        limit = self.size - FOOTER_SIZE
        for pos in range(0, length, ENTRY_SIZE):
            entry = raw[pos : pos + ENTRY_SIZE]
            item_name = entry[:224].split(b"\0", 1)[0].decode("ascii", "replace")
            item_off, item_len = struct.unpack_from("<QQ", entry, 224)
            if not item_name:
                continue
            if item_off + item_len > limit:
                raise TruncatedDocumentError(
                    _("%(name)s lists an item (%(item_name)s) that lies past its end.")
                    % {"name": name, "item_name": item_name}
                )
            items[item_name] = Item(item_name, item_off, item_len)
        return items

    def read_item(self, name: str, cap: int) -> bytes | None:
        """The raw bytes of a directory item, or None when the directory has no such item."""
        item = self.items.get(name)
        if item is None:
            return None
        if item.length > cap:
            raise TruncatedDocumentError(
                _("%(name)s: its %(item)s is %(length)s bytes, more than the %(cap)s allowed.")
                % {"name": self.path.name, "item": name, "length": f"{item.length:,}", "cap": f"{cap:,}"}
            )
        return self.read_at(item.offset, item.length)

    # -- fallback ------------------------------------------------------------------------
    def scan_for(self, start_tag: bytes, end_tag: bytes, cap: int) -> bytes | None:
        """Look for ``start_tag … end_tag`` in the last part of the file (bounded read).

        Used when the footer is broken: the XML items are stored raw near the end.
        """
        window_start = max(0, self.size - FALLBACK_SCAN_BYTES)
        pos = self.size
        tail = b""
        while pos > window_start:
            block_start = max(window_start, pos - FALLBACK_BLOCK)
            chunk = self.read_at(block_start, pos - block_start) + tail
            end = chunk.rfind(end_tag)
            begin = chunk.rfind(start_tag, 0, end if end >= 0 else len(chunk))
            if begin >= 0 and end > begin:
                found = chunk[begin : end + len(end_tag)]
                return found if len(found) <= cap else None
            # keep a tail so a match that straddles blocks is still seen, within the cap
            tail = chunk[: min(len(chunk), cap)]
            pos = block_start
        return None


def open_container(path: Path, tail_window: int = TAIL_WINDOW) -> Container:
    """Open a document for reading (raw descriptor, so only what is asked for is read); the last
    ``tail_window`` bytes are read in one go when the directory is needed."""
    try:
        fd = os.open(os_path(path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise UnreadableDocumentError(_("%(name)s no longer exists.") % {"name": path.name}) from exc
    except PermissionError as exc:
        if getattr(exc, "winerror", None) in (32, 33):  # sharing or lock violation
            raise UnreadableDocumentError(
                _(
                    "%(name)s is in use by another program that does not let others read it; close "
                    "it there (or wait until it is saved) and try again."
                )
                % {"name": path.name}
            ) from exc
        raise UnreadableDocumentError(_("%(name)s cannot be opened: permission denied.") % {"name": path.name}) from exc
    except IsADirectoryError as exc:
        raise UnreadableDocumentError(_("%(name)s is a folder, not a document.") % {"name": path.name}) from exc
    except OSError as exc:
        raise UnreadableDocumentError(
            _("%(name)s cannot be opened (%(strerror)s).") % {"name": path.name, "strerror": exc.strerror}
        ) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableDocumentError(_("%(name)s is a folder, not a document.") % {"name": path.name})
        container = Container(path, fd, st.st_size, st.st_mtime_ns, tail_window)
    except BaseException:
        os.close(fd)
        raise
    if container.header.container == "unknown":
        container.close()
        raise NotQlikViewError(_("%(name)s is not a QlikView document (unknown file header).") % {"name": path.name})
    return container


def file_version(container: Container) -> tuple[int, int]:
    """Size and modification time as the system says now (to notice a change during the reads)."""
    try:
        st = os.fstat(container._fd)
    except OSError as exc:
        raise UnreadableDocumentError(
            _("%(name)s could not be read (%(strerror)s).") % {"name": container.path.name, "strerror": exc.strerror}
        ) from exc
    return st.st_size, st.st_mtime_ns
