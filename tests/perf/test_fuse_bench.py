"""Scanning 2,000 documents on a slow FUSE mount (2 ms per call, no inode numbers), as on a file server.

Prints the file-system calls per document (by kind, as the file system counted them), the wall
time, and the round-trip floor measured in the same run: ``calls x delay / requests in flight``.
``QVUPLOAD_BENCH_FUSE_NAMED=1`` names every document instead of the folder (the issue's second case).

Targets (issue 16): every document found; at most 6 calls per document (calls about the documents;
the folders' listings and look-ups, shared by their documents, are shown apart); 2,000 documents in at
most 5 s.
Run: ``.venv/bin/python -m pytest tests/perf/test_fuse_bench.py -m perf -s -q``
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.scan import ScanOptions, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.fusefs.mount import calls, require_fuse, slow_mount

COUNT = int(os.environ.get("QVUPLOAD_BENCH_FUSE_DOCS", "2000"))
DELAY_MS = float(os.environ.get("QVUPLOAD_BENCH_FUSE_DELAY_MS", "2"))
NAMED = os.environ.get("QVUPLOAD_BENCH_FUSE_NAMED") == "1"
INODES = os.environ.get("QVUPLOAD_BENCH_FUSE_INODES", "constant")  # or "unknown" (see tests/fusefs/slowfs.py)
FOLDERS = 20
TARGET_CALLS = 6.0
TARGET_SECONDS = 5.0

pytestmark = pytest.mark.perf


def build_tree(root: Path) -> list[Path]:
    rng = random.Random(20261201)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    paths = []
    for i in range(COUNT):
        folder = root / f"region{i % FOLDERS:02}" / ("archive" if i % 7 == 0 else "current")
        folder.mkdir(parents=True, exist_ok=True)
        spec = SyntheticDocument(
            now - timedelta(hours=rng.randint(1, 2000)),
            tables=[(f"T{j}", rng.randint(0, 10**6)) for j in range(rng.randint(1, 12))],
            size=rng.randint(1, 200) * 1024 * 1024,
        )
        paths.append(write_document(folder / f"Report {i:05}.qvw", spec))
    return paths


def test_scan_2000_documents_on_a_slow_mount(tmp_path: Path) -> None:
    require_fuse()
    backing = tmp_path / "share"
    backing.mkdir()
    written = build_tree(backing)
    options = ScanOptions(saving_build=True)  # what `qvupload scan` and the window ask for
    local = [r.path.relative_to(backing) for r in scan([backing], options)]
    with slow_mount(backing, tmp_path / "mnt", delay_ms=DELAY_MS, inodes=INODES) as mnt:
        targets = [mnt / p.relative_to(backing) for p in sorted(written)] if NAMED else [mnt]
        time.sleep(1.2)  # let the kernel's one-second entry and attribute caches of the mounting run out
        before = calls(mnt)
        start = time.perf_counter()
        results = scan(targets, options)
        wall = time.perf_counter() - start
        used = calls(mnt) - before
    found = [r.path.relative_to(mnt) for r in results if r.ok]
    in_flight = getattr(options, "io_threads", 1)
    per_doc = used.total / max(1, len(found))
    doc_calls = (used.total - used.folder_calls) / max(1, len(found))  # calls about the documents themselves
    floor = used.total * DELAY_MS / 1000 / in_flight
    kinds = ", ".join(f"{k} {v / max(1, len(found)):.2f}" for k, v in sorted(used.by_kind.items()))
    print(
        f"\nslow mount: {COUNT} documents in {FOLDERS * 2} folders, {DELAY_MS:g} ms per call, "
        f"no inode numbers ({INODES})"
        f"{' (named one by one)' if NAMED else ''}\n"
        f"  found              {len(found):10,} of {COUNT:,} ({len(results) - len(found)} other results)\n"
        f"  calls              {used.total:10,} ({per_doc:.2f} per document: {kinds})\n"
        f"  about documents    {doc_calls:10.2f} per document (the rest, {used.folder_calls:,}, about folders)\n"
        f"  wall time          {wall:10.2f} s ({len(found) / wall:,.0f} documents/s)\n"
        f"  in flight          {in_flight:10} requests at most (the file system saw {used.most_in_flight} at once)\n"
        f"  round-trip floor   {floor:10.2f} s (calls x {DELAY_MS:g} ms / {in_flight} in flight)\n"
        f"  targets            {TARGET_CALLS:10.0f} calls per document, {TARGET_SECONDS:.0f} s"
    )
    assert len(found) == COUNT, f"{COUNT - len(found)} documents were not found on the mount"
    if not NAMED:
        assert found == local, "the mount gave a different order than the local disk"
    assert doc_calls <= TARGET_CALLS  # look-up, open, head and tail reads, flush, release
    assert per_doc <= TARGET_CALLS + 0.5  # with the folders: listings and the kernel's re-validations
    assert wall <= TARGET_SECONDS
