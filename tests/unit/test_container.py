"""The container reader on synthetic documents: layouts, damage, limits."""

from __future__ import annotations

import os
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qvupload.documents import (
    NotQlikViewError,
    TruncatedDocumentError,
    UnreadableDocumentError,
    read_document,
)
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.documents.xmlsafe import XmlItemError

RELOAD = datetime(2026, 11, 20, 6, 30, 5, tzinfo=UTC)


def make(tmp_path: Path, name: str = "Doc.qvw", **kw: object) -> Path:
    spec = SyntheticDocument(RELOAD, datetime(2026, 11, 20, 7, 30, 5), **kw)  # type: ignore[arg-type]
    return write_document(tmp_path / name, spec)


def test_synthetic_document_round_trips(tmp_path: Path) -> None:
    path = make(tmp_path, window_title="Sales & Margin", tables=[("A", 3), ("B", 4)], section_access=True, build=12664)
    facts = read_document(path, saving_build=True)
    assert facts.last_reload_utc == RELOAD
    assert facts.last_reload_local == datetime(2026, 11, 20, 7, 30, 5)
    assert facts.has_section_access is True
    assert (facts.tables, facts.rows, facts.table_names) == (2, 7, ("A", "B"))
    assert facts.window_title == "Sales & Margin" and facts.display_name == "Sales & Margin"
    assert facts.saving_build == 12664


def test_display_name_falls_back_to_file_name(tmp_path: Path) -> None:
    assert read_document(make(tmp_path, "Budget 2027.qvw")).display_name == "Budget 2027"


def test_qvf_variant(tmp_path: Path) -> None:
    facts = read_document(make(tmp_path, "Doc.qvf", container="qvf"), saving_build=True)
    assert facts.container == "qvf" and facts.saving_build is None and facts.last_reload_utc == RELOAD


def test_large_sparse_document_is_read_in_two_coalesced_reads(tmp_path: Path) -> None:
    path = make(tmp_path, size=200 * 1024 * 1024)
    facts = read_document(path)
    assert facts.size == 200 * 1024 * 1024
    assert facts.reads == 2  # head window (header) and tail window (footer, directory, both XML items)
    assert facts.bytes_read == 64 * 1024
    small = read_document(make(tmp_path, "Small.qvw"))
    assert small.reads == 1 and small.bytes_read == small.size  # a small file: one read of all of it


def test_directory_past_4_gib_uses_the_u64_fields(tmp_path: Path) -> None:
    size = 5 * 1024**3  # sparse: only a few KiB are really written
    path = make(tmp_path, size=size)
    with path.open("rb") as fh:
        fh.seek(-256, os.SEEK_END)
        footer = fh.read(256)
    off32 = struct.unpack_from("<I", footer, 0)[0]
    off64 = struct.unpack_from("<Q", footer, 16)[0]
    assert off64 > 2**32 and off32 != off64  # the u32 copy has wrapped
    facts = read_document(path)
    assert facts.last_reload_utc == RELOAD and facts.size == size


def _corrupt(path: Path, offset_from_end: int, data: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(-offset_from_end, os.SEEK_END)
        fh.write(data)


def test_broken_footer_falls_back_to_a_bounded_scan(tmp_path: Path) -> None:
    path = make(tmp_path)
    _corrupt(path, 4, b"XXXX")  # no EXEX trailer
    facts = read_document(path)
    assert facts.recovered_by_scan
    assert facts.last_reload_utc == RELOAD
    assert facts.tables == 1  # DocumentSummary recovered too


def test_directory_pointing_outside_the_file_is_reported(tmp_path: Path) -> None:
    path = make(tmp_path)
    _corrupt(path, 256, struct.pack("<II", 0xFFFFFF00, 256) + b"\0" * 8 + struct.pack("<QQ", 2**40, 256))
    # the fallback scan still finds the XML, so the reader recovers
    assert read_document(path).recovered_by_scan


def test_truncated_copy_is_a_readable_error(tmp_path: Path) -> None:
    path = make(tmp_path, size=1024 * 1024)
    with path.open("r+b") as fh:
        fh.truncate(512 * 1024)
    with pytest.raises(TruncatedDocumentError, match="end marker"):
        read_document(path)


def test_not_a_qlikview_file(tmp_path: Path) -> None:
    path = tmp_path / "Notes.qvw"
    path.write_text("hello")
    with pytest.raises(NotQlikViewError, match="not a QlikView document"):
        read_document(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "Empty.qvw"
    empty.write_bytes(b"")
    with pytest.raises(NotQlikViewError):
        read_document(empty)
    with pytest.raises(UnreadableDocumentError, match="no longer exists"):
        read_document(tmp_path / "Gone.qvw")
    with pytest.raises(UnreadableDocumentError, match="folder"):
        read_document(tmp_path)


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = make(tmp_path, window_title="PLACEHOLDER-TITLE-XYZ")
    data = path.read_bytes()
    # same length, so the directory stays valid: put a DTD where the title was
    evil = b'<!DOCTYPE a [<!ENTITY x "y">]>'.ljust(len(b"PLACEHOLDER-TITLE-XYZ"))[:21]
    path.write_bytes(data.replace(b"PLACEHOLDER-TITLE-XYZ", evil, 1))
    with pytest.raises(XmlItemError, match="DTD"):
        read_document(path)


def test_control_characters_in_summary_are_tolerated(tmp_path: Path) -> None:
    path = make(tmp_path, tables=[("Tab\x01le", 3)])
    facts = read_document(path)
    assert facts.tables == 1 and facts.rows == 3
