"""The QlikView build that last saved a classic .qvw (a heuristic, marked as such everywhere).

Block 0 (a zlib stream at offset 23 of a classic .qvw) ends with a short length-prefixed decimal
string holding the saving build (e.g. the byte 0x05 then ``50611``). The last such string in
block 0 is taken. Reading it costs the compressed size of block 0, so it is optional.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING

from qvupload.documents.errors import DocumentError

if TYPE_CHECKING:
    from qvupload.documents.container import Container, Header

BLOCK0_OFFSET = 23
MAX_BLOCK0_COMPRESSED = 64 * 1024 * 1024
MAX_BLOCK0_SIZE = 256 * 1024 * 1024
# QlikView 8.5 / 9 builds start in the 4000s; 12.x builds are five digits.
_BUILD = re.compile(rb"\x04(\d{4})|\x05(\d{5})")
MIN_BUILD = 4000


def find_build(block0: bytes) -> int | None:
    last: int | None = None
    for match in _BUILD.finditer(block0):
        value = int(match.group(1) or match.group(2))
        if value >= MIN_BUILD:
            last = value
    return last


def read_saving_build(doc: Container) -> int | None:
    """The saving build of a classic .qvw, or None where it cannot be found."""
    csize = block0_size(doc.header, doc.size)
    if csize is None:
        return None
    try:
        compressed = doc.read_at(BLOCK0_OFFSET, csize)
    except DocumentError:
        return None
    return build_of_block0(compressed, doc.header.block0_size)


def block0_size(header: Header, size: int) -> int | None:
    """The compressed size of block 0 when the header gives a plausible one, else None."""
    if header.container != "qvw":
        return None
    csize, usize = header.block0_compressed, header.block0_size
    if not (0 < csize <= MAX_BLOCK0_COMPRESSED and 0 < usize <= MAX_BLOCK0_SIZE):
        return None
    if BLOCK0_OFFSET + csize > size:
        return None
    return csize


def build_of_block0(compressed: bytes, usize: int) -> int | None:
    try:
        block0 = zlib.decompressobj().decompress(compressed, usize)
    except zlib.error:
        return None
    return find_build(block0)
