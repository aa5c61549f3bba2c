"""Scanning a real mounted file system that reports no inode numbers and delays every call.

The FUSE file system (tests/fusefs/slowfs.py) serves a folder tree as sshfs, rclone or a file
server would: no usable inode numbers, a round trip per call. Every document of the tree must be
found (counted against the tree itself), in the same order as on the local disk, with few calls.
CI sets QVUPLOAD_REQUIRE_FUSE=1, so a missing FUSE fails there instead of skipping.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.scan import ScanOptions, ScanResult, find_documents, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.fusefs.mount import calls, require_fuse, slow_mount

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CALLS_PER_DOCUMENT = 6


def build_tree(root: Path) -> None:
    """Nested folders with documents, logs, other files, a link to a document and an empty folder."""
    for i in range(60):
        folder = root / f"dept{i % 4}" / ("old" if i % 3 == 0 else "") / (f"team{i % 2}" if i % 5 else "")
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".qvf" if i % 11 == 0 else ".qvw"
        spec = SyntheticDocument(NOW - timedelta(hours=i), container=suffix[1:], size=(i % 4) * 1024 * 1024)
        write_document(folder / f"Doc {i:02}{suffix}", spec)
        if i % 6 == 0:
            (folder / f"Doc {i:02}{suffix}.log").write_text("20261201T090000.000+0100 Execution finished.\n")
    (root / "dept0" / "notes.txt").write_text("not a document")
    (root / "empty").mkdir()
    os.symlink(Path("dept1") / "Doc 05.qvw", root / "Shortcut.qvw")  # relative: resolves on the mount too


def documents_in(root: Path) -> int:
    """Regular documents in the tree, counted with the tree's own listing (links not counted)."""
    return sum(
        1
        for folder, _dirs, files in os.walk(root)
        for name in files
        if name.lower().endswith((".qvw", ".qvf")) and not os.path.islink(os.path.join(folder, name))
    )


@pytest.mark.parametrize("inodes", ["constant", "unknown"])
def test_every_document_is_found_in_local_order_with_few_calls(tmp_path: Path, inodes: str) -> None:
    require_fuse()
    backing = tmp_path / "share"
    build_tree(backing)
    options = ScanOptions(now=NOW, saving_build=True)
    local = scan([backing], options)
    with slow_mount(backing, tmp_path / "mnt", delay_ms=1, inodes=inodes) as mnt:
        before = calls(mnt)
        remote = scan([mnt], options)
        used = calls(mnt) - before
        named, problems = find_documents([mnt / "dept2", mnt / "dept2"])  # a folder named twice
    read = [r for r in remote if r.ok]
    assert len(read) == documents_in(backing) == 60

    def relative(results: list[ScanResult], root: Path) -> list[tuple[str, str | None, bool]]:
        return [
            (str(r.path.relative_to(root)), r.error and r.error.replace(str(root), "~"), r.skipped) for r in results
        ]

    assert relative(remote, mnt) == relative(local, backing)  # the same results in the same order
    assert [r.facts.last_reload_utc for r in read if r.facts] == [r.facts.last_reload_utc for r in local if r.facts]
    shortcut = [r for r in remote if r.skipped]  # the link comes first in the walk, so its target is the one left out
    assert [r.path.name for r in shortcut] == ["Doc 05.qvw"]
    assert f"same file as {mnt / 'Shortcut.qvw'}" in (shortcut[0].error or "")
    # a document: look-up, open, two reads, flush, release; a folder: look-up, open, one listing, close;
    # a log: look-up, open, one read, flush, release
    folders, logs = 18, 10
    assert used.total <= CALLS_PER_DOCUMENT * len(read) + 4 * folders + 5 * logs + 3, used.by_kind
    assert used.by_kind["read"] <= 2 * len(read) + logs  # coalesced: a head and a tail window per document
    assert used.by_kind["readdir"] == used.by_kind["opendir"] == folders  # one listing per folder
    assert used.by_kind["open"] == len(read) + logs  # every file opened once
    assert used.most_in_flight > 1  # documents were read with several requests in flight
    assert len(named) == 15 and len(problems) == 1 and problems[0].skipped  # the second naming is reported
