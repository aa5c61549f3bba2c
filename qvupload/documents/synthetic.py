"""Writes synthetic QlikView documents in the real container layout (for the demo and the tests).

The result has the classic 23-byte header, a zlib block 0 ending with the length-prefixed saving
build, raw ``DocumentInfo.xml`` and ``DocumentSummary.xml`` items on 256-byte boundaries, a
directory of 256-byte entries and the ``EXEX`` footer. Any size can be asked for: the space
between block 0 and the items is left as a hole (a sparse file where the file system allows).
It holds no real data model; QlikView would not open it, but every reader in qvupload can.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from qvupload.documents.container import ENTRY_SIZE, FOOTER_SIZE, MAGIC_QVF, MAGIC_QVW, TRAILER

ALIGN = 256


@dataclass
class SyntheticDocument:
    """What to write. ``reload_utc=None`` with ``local_only=False`` writes a never-reloaded document."""

    reload_utc: datetime | None
    reload_local: datetime | None = None
    local_only: bool = False  # write the UTC field as "<local> (local)", as QlikView 8.x did
    section_access: bool = False
    window_title: str = ""
    tables: list[tuple[str, int]] = field(default_factory=lambda: [("Sales", 100)])
    lineage: list[str] = field(default_factory=list)
    build: int = 50611
    generate_logfile: bool = False
    container: str = "qvw"
    size: int | None = None  # total size in bytes (rounded up to 256); None = as small as possible
    padding_items: int = 0  # extra bytes of summary text (to make larger XML items)


def _fmt(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def document_info_xml(doc: SyntheticDocument) -> bytes:
    if doc.reload_utc is None and not doc.local_only:
        utc_text, local_text = "1899-12-30 00:00:00 (local)", "1899-12-30 00:00:00"
    elif doc.local_only:
        local_text = _fmt(doc.reload_local)
        utc_text = f"{local_text} (local)"
    else:
        utc_text, local_text = _fmt(doc.reload_utc), _fmt(doc.reload_local or doc.reload_utc)
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        "  <DocumentInfo>\r\n    <DocumentInternalInfo>\r\n"
        f"      <LastReloadTimeISO>{local_text}</LastReloadTimeISO>\r\n"
        f"      <UtcLastReloadTimeISO>{utc_text}</UtcLastReloadTimeISO>\r\n"
        f"      <WindowTitle>{escape(doc.window_title)}</WindowTitle>\r\n"
        f"      <HasSectionAccess>{'true' if doc.section_access else 'false'}</HasSectionAccess>\r\n"
        "      <DynamicReduceData>false</DynamicReduceData>\r\n"
        "    </DocumentInternalInfo>\r\n  </DocumentInfo>\r\n"
    )
    return b"\xef\xbb\xbf" + body.encode("utf-8")


def document_summary_xml(doc: SyntheticDocument) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<DocumentSummary>\r\n',
        f" <GenerateLogfile>{'true' if doc.generate_logfile else 'false'}</GenerateLogfile>\r\n",
        f" <Title>{escape(doc.window_title)}</Title>\r\n <Author></Author>\r\n",
    ]
    for source in doc.lineage:
        parts.append(
            f" <LineageInfo>\r\n  <Discriminator>{escape(source)}</Discriminator>\r\n"
            "  <Statement></Statement>\r\n </LineageInfo>\r\n"
        )
    for number, (name, rows) in enumerate([*doc.tables, ("$$SysTable 1", 5)]):
        system = "true" if name.startswith("$$") else "false"
        parts.append(
            f" <TableDescription>\r\n   <InternalNumber>{number}</InternalNumber>\r\n"
            f"   <Name>{escape(name)}</Name>\r\n   <IsSystem>{system}</IsSystem>\r\n"
            f"   <NoOfRows>{rows}</NoOfRows>\r\n   <NoOfFields>2</NoOfFields>\r\n </TableDescription>\r\n"
        )
    if doc.padding_items:
        parts.append(f" <Comment>{'x' * doc.padding_items}</Comment>\r\n")
    parts.append("</DocumentSummary>\r\n")
    return b"\xef\xbb\xbf" + "".join(parts).encode("utf-8")


def _block0(doc: SyntheticDocument) -> bytes:
    build = str(doc.build).encode("ascii")
    text = (
        b"\x00\x01Sub Main\r\nEnd Sub\r\nC:\\QlikView\\Documents\r\n///$tab Main\r\nLOAD * INLINE [a];\r\n"
        + b"\x00" * 64
        + bytes([len(build)])
        + build
        + b"\x0c\x92\x01\x00\x00\x00\x00\x01\x00\x00\x00\x06$Field\x00"
    )
    return text


def _pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % ALIGN)


def write_document(path: Path, doc: SyntheticDocument) -> Path:
    """Write ``doc`` to ``path`` and return the path."""
    items = [("DocumentInfo.xml", document_info_xml(doc)), ("DocumentSummary.xml", document_summary_xml(doc))]
    if doc.container == "qvf":
        head = _pad(MAGIC_QVF + b"\0" * 24)
    else:
        raw0 = _block0(doc)
        packed = zlib.compress(raw0)
        head = _pad(
            MAGIC_QVW + struct.pack("<I", 2) + b"\x01\x02\x00" + struct.pack("<II", len(raw0), len(packed)) + packed
        )
    tail_items = b"".join(_pad(data) for _, data in items)
    tail_len = len(tail_items) + ENTRY_SIZE * len(items) + FOOTER_SIZE
    minimum = len(head) + tail_len
    total = max(minimum, doc.size or 0)
    total += -total % ALIGN
    items_start = total - tail_len
    directory = b""
    offset = items_start
    for name, data in items:
        entry = name.encode("ascii").ljust(224, b"\0")
        entry += struct.pack("<QQI", offset, len(data), 0) + b"\0\0\0\0"
        entry += struct.pack("<II", offset & 0xFFFFFFFF, len(data))
        directory += entry
        offset += len(_pad(data))
    dir_offset = offset
    footer = struct.pack("<II", dir_offset & 0xFFFFFFFF, len(directory)) + b"\0" * 8
    footer += struct.pack("<QQ", dir_offset, len(directory))
    footer = footer.ljust(FOOTER_SIZE - len(TRAILER), b"\0") + TRAILER
    with open(path, "wb") as fh:
        fh.write(head)
        fh.seek(items_start)  # the gap stays a hole
        fh.write(tail_items + directory + footer)
    return path
