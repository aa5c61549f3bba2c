"""Worker processes give exactly the results of one process, in the same order.

Results cross from the workers as compact tuples (see scan_processes._pack); every field must survive.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.scan import ScanOptions, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    for i in range(30):
        folder = tmp_path / f"f{i % 3}"
        folder.mkdir(exist_ok=True)
        spec = SyntheticDocument(
            NOW - timedelta(days=i),
            window_title=f"Doc {i}" if i % 2 else "",
            tables=[(f"T{j}", j * 10) for j in range(i % 5 + 1)],
            lineage=[f"{folder}/data{i}.qvd"] if i % 4 == 0 else [],
        )
        write_document(folder / f"d{i:02}.qvw", spec)
    (tmp_path / "f1" / "broken.qvw").write_bytes(b"not a document")
    (tmp_path / "f2" / "cut.qvw").write_bytes((tmp_path / "f2" / "d02.qvw").read_bytes()[:300])
    one = scan([tmp_path], ScanOptions(workers=1, now=NOW, saving_build=True))
    two = scan([tmp_path], ScanOptions(workers=2, now=NOW, saving_build=True))
    assert len(one) == 32 and sum(not r.ok for r in one) == 2
    assert two == one
    assert [r.path for r in two] == [r.path for r in one]
    assert all(isinstance(r.path, Path) and (r.facts is None or r.facts.path is r.path) for r in two)


def test_workers_start_by_fork_only_without_other_threads(tmp_path: Path) -> None:
    """A copy of this process (fork) where it runs no other thread; a new interpreter (spawn) as
    soon as another thread runs (the window scans from a thread, next to Qt's): results agree."""
    import sys
    import threading

    from qvupload.documents.pool import only_thread, process_context

    for i in range(700):  # three chunks: the worker process takes the last while this one reads the first
        folder = tmp_path / f"f{i % 7}"
        folder.mkdir(exist_ok=True)
        write_document(folder / f"d{i:03}.qvw", SyntheticDocument(NOW - timedelta(hours=i), tables=[("T", i)]))
    one = scan([tmp_path], ScanOptions(workers=1, now=NOW))
    alone = sys.platform.startswith("linux") and only_thread()  # pytest alone: fork (unless a test left a thread)
    assert process_context().get_start_method() == ("fork" if alone else "spawn")
    assert scan([tmp_path], ScanOptions(workers=2, now=NOW)) == one
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not only_thread()
        assert process_context().get_start_method() == "spawn"
        assert scan([tmp_path], ScanOptions(workers=2, now=NOW)) == one
    finally:
        stop.set()
        other.join()


@pytest.mark.parametrize("stop_at", [300, 1150])  # in a worker's chunk; in the last, read by this process
def test_cancelling_a_scan_with_worker_processes_stops_it_soon(tmp_path: Path, stop_at: int) -> None:
    """Chunks handed to the workers during the walk are dropped once the scan is cancelled."""
    import time

    from qvupload.documents.scan import CancelToken, iter_scan

    for i in range(1200):
        folder = tmp_path / f"f{i % 6}"
        folder.mkdir(exist_ok=True)
        write_document(folder / f"d{i:04}.qvw", SyntheticDocument(NOW - timedelta(hours=i)))
    token = CancelToken()
    seen = []
    start = time.monotonic()
    for result in iter_scan([tmp_path], ScanOptions(workers=2, now=NOW), cancel=token):
        seen.append(result.path)
        if len(seen) == stop_at:
            token.cancel()
    assert len(seen) == stop_at  # nothing after the cancel
    assert seen == [r.path for r in scan([tmp_path], ScanOptions(workers=1, now=NOW))][:stop_at]
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("count", [9, 37, 301])
def test_pieces_of_every_size_cover_every_document_once_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """Pieces shrink towards the end and this process reads from the back until it meets the
    workers: with small pieces (many meetings, pieces larger than what is left), each document
    is read once and the order is the walk's. A piece that ran past the meeting point read a few
    documents twice and left others out (found while this was written)."""
    from qvupload.documents import scan_processes

    monkeypatch.setattr(scan_processes, "CHUNK", 16)
    monkeypatch.setattr(scan_processes, "MIN_CHUNK", 8)
    for i in range(count):
        folder = tmp_path / f"f{i % 4}" / ("sub" if i % 3 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        write_document(folder / f"d{i:03}.qvw", SyntheticDocument(NOW - timedelta(hours=i), tables=[("T", i)]))
    (tmp_path / "named.qvw").write_bytes((tmp_path / "f1" / "d001.qvw").read_bytes())
    roots = [tmp_path / "f0", tmp_path / "named.qvw", tmp_path / "f1", tmp_path / "f2", tmp_path / "f3"]
    one = scan(roots, ScanOptions(workers=1, now=NOW))
    assert len(one) == count + 1
    assert scan(roots, ScanOptions(workers=2, now=NOW)) == one
    assert scan(roots, ScanOptions(workers=3, now=NOW)) == one
