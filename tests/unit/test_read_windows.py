"""Read sizes: coalesced 60 KiB tail reads for slow file systems, small ones for a local disk.

Both must give the same facts; the small window costs an extra read for each item that lies
outside it. The scan picks the small window once its timing probe finds the disk fast.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from qvupload.documents import read_document
from qvupload.documents.container import LOCAL_TAIL_WINDOW, TAIL_WINDOW
from qvupload.documents.scan import ScanOptions, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document

RELOAD = datetime(2026, 11, 20, 6, 30, 5, tzinfo=UTC)


def make(path: Path, padding: int = 0, size: int = 4 * 1024 * 1024) -> Path:
    spec = SyntheticDocument(RELOAD, tables=[("Sales", 10), ("Costs", 20)], size=size, padding_items=padding)
    return write_document(path, spec)


def same(a: object, b: object) -> bool:
    return replace(a, bytes_read=0, reads=0) == replace(b, bytes_read=0, reads=0)  # type: ignore[type-var]


def test_small_tail_reads_less_and_gives_the_same_facts(tmp_path: Path) -> None:
    path = make(tmp_path / "a.qvw")
    large = read_document(path, saving_build=True)
    small = read_document(path, saving_build=True, tail_window=LOCAL_TAIL_WINDOW)
    assert same(large, small)
    assert (large.reads, small.reads) == (2, 2)
    assert large.bytes_read == 4096 + TAIL_WINDOW and small.bytes_read == 4096 + LOCAL_TAIL_WINDOW


def test_items_outside_the_small_tail_cost_one_read_each(tmp_path: Path) -> None:
    path = make(tmp_path / "big summary.qvw", padding=3 * LOCAL_TAIL_WINDOW)
    large = read_document(path)
    small = read_document(path, tail_window=LOCAL_TAIL_WINDOW)
    assert same(large, small) and small.tables == 2
    assert (large.reads, small.reads) == (2, 4)  # DocumentInfo.xml and DocumentSummary.xml


def test_small_file_is_read_at_once_with_either_window(tmp_path: Path) -> None:
    path = make(tmp_path / "tiny.qvw", size=0)
    for window in (TAIL_WINDOW, LOCAL_TAIL_WINDOW):
        facts = read_document(path, tail_window=window)
        assert facts.reads == 1 and facts.bytes_read == facts.size


def test_scan_of_a_local_folder_reads_small_tails(tmp_path: Path) -> None:
    for i in range(40):
        make(tmp_path / f"d{i:02}.qvw")
    results = scan([tmp_path], ScanOptions(workers=1, evidence=False))
    assert len(results) == 40 and all(r.ok and r.facts for r in results)
    sizes = [r.facts.bytes_read for r in results if r.facts]
    # the first few are read as on a file server (the probe), the rest with the small tail
    assert sizes[0] == 4096 + TAIL_WINDOW and sizes[-1] == 4096 + LOCAL_TAIL_WINDOW
