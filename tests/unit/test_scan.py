"""Folder scans: recursion, symlink loops, bad files, cancel and progress."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents import CancelToken, ScanOptions, ScanProgress, iter_scan, scan
from qvupload.documents.scan import examine
from qvupload.documents.synthetic import SyntheticDocument, write_document

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    write_document(root / "Top.qvw", SyntheticDocument(NOW - timedelta(days=1)))
    write_document(root / "a" / "Mid.QVW", SyntheticDocument(NOW - timedelta(days=30)))
    write_document(root / "a" / "b" / "Deep.qvf", SyntheticDocument(None, container="qvf"))
    (root / "a" / "b" / "Broken.qvw").write_bytes(b"\x70\x17\x01\x00\xc1\x06\x00\x00" + b"\0" * 600)
    (root / "a" / "readme.txt").write_text("not a document")


def test_recursive_scan_reports_every_document_and_every_problem(tmp_path: Path) -> None:
    tree(tmp_path)
    results = scan([tmp_path], ScanOptions(now=NOW))
    by_name = {r.path.name: r for r in results}
    assert set(by_name) == {"Top.qvw", "Mid.QVW", "Deep.qvf", "Broken.qvw"}
    assert by_name["Top.qvw"].freshness and by_name["Top.qvw"].freshness.verdict == "fresh"
    assert by_name["Mid.QVW"].freshness and by_name["Mid.QVW"].freshness.verdict == "stale"
    assert by_name["Deep.qvf"].freshness and by_name["Deep.qvf"].freshness.verdict == "unknown"
    broken = by_name["Broken.qvw"]
    assert broken.facts is None and broken.error and "end marker" in broken.error


def test_symlink_loops_are_not_followed_twice(tmp_path: Path) -> None:
    tree(tmp_path)
    os.symlink(tmp_path, tmp_path / "a" / "b" / "loop")
    os.symlink(tmp_path / "Top.qvw", tmp_path / "a" / "AliasOfTop.qvw")
    results = scan([tmp_path, tmp_path / "a"], ScanOptions(now=NOW))
    read = [r for r in results if not r.skipped]
    assert sorted(r.path.name for r in read) == ["Broken.qvw", "Deep.qvf", "Mid.QVW", "Top.qvw"]  # each once
    skipped = {str(r.path.relative_to(tmp_path)): r.error for r in results if r.skipped}
    assert set(skipped) == {"a/AliasOfTop.qvw", "a/b/loop", "a"}  # every path left out is named, with why
    assert "same file as" in (skipped["a/AliasOfTop.qvw"] or "")
    assert "already scanned" in (skipped["a/b/loop"] or "") and "already scanned" in (skipped["a"] or "")


def test_missing_path_and_vanished_file_are_results_not_crashes(tmp_path: Path) -> None:
    results = scan([tmp_path / "nowhere"])
    assert len(results) == 1 and results[0].error and "does not exist" in results[0].error
    result = examine(tmp_path / "gone.qvw", ScanOptions())
    assert result.error and "no longer exists" in result.error


def test_explicit_file_of_any_name_is_examined(tmp_path: Path) -> None:
    other = tmp_path / "export.bin"
    other.write_bytes(b"PK\x03\x04 zip")
    (result,) = scan([other])
    assert result.error and "not a QlikView document" in result.error


def test_progress_and_cancel(tmp_path: Path) -> None:
    for i in range(30):
        write_document(tmp_path / f"D{i:02}.qvw", SyntheticDocument(NOW))
    seen: list[tuple[int, int, bool]] = []
    token = CancelToken()
    results = []

    def progress(state: ScanProgress) -> None:
        seen.append((state.found, state.examined, state.finished))

    for result in iter_scan([tmp_path], progress=progress, cancel=token):
        results.append(result)
        if len(results) == 10:
            token.cancel()
    assert len(results) == 10
    assert seen[0] == (30, 0, False)
    assert seen[-1] == (30, 10, True)


def test_hard_links_and_files_named_twice_are_reported_not_read_twice(tmp_path: Path) -> None:
    top = write_document(tmp_path / "Top.qvw", SyntheticDocument(NOW))
    os.link(top, tmp_path / "Same.qvw")
    write_document(tmp_path / "Other.qvw", SyntheticDocument(NOW))
    results = scan([tmp_path, top, tmp_path / "Other.qvw", tmp_path / "nowhere.qvw"], ScanOptions(now=NOW))
    read = sorted(r.path.name for r in results if r.ok)
    assert read == ["Other.qvw", "Same.qvw"]  # by name: Same.qvw comes first, Top.qvw is its hard link
    reasons = [(r.path.name, r.error or "") for r in results if not r.ok]
    assert [name for name, _ in reasons] == ["Top.qvw", "Top.qvw", "Other.qvw", "nowhere.qvw"]
    assert all("hard link" in why for name, why in reasons if name == "Top.qvw")
    assert "same file as" in reasons[2][1] and "does not exist" in reasons[3][1]
    assert len(results) == 6  # every path accounted for: 2 read, 3 left out with a reason, 1 missing
