"""Documents addressed by long paths (over 260 characters) and UNC-style paths are scanned and
uploaded through the path layer the app uses, and the queue and the ledger keep each path exactly.

Linux has no UNC shares; the closest it has is a path that starts with exactly two slashes, which
POSIX leaves to the system and Python keeps as written (``//tmp/...`` names the same file as
``/tmp/...`` on Linux). Windows-only behaviour (the ``\\\\?\\`` prefix) is tested in
tests/unit/test_pathnames.py."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from qvupload.documents.scan import scan
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.transfers import TransferStore
from tests.transfers.conftest import Engine


def _deep_folder(base: Path) -> Path:
    folder, n = base, 0
    while len(str(folder)) <= 300:
        folder = folder / f"Sales region {n:02d} archive ✓"
        n += 1
    folder.mkdir(parents=True)
    return folder


def test_scan_and_upload_through_a_path_longer_than_260_characters(engine: Engine, tmp_path: Path) -> None:
    folder = _deep_folder(tmp_path / "share")
    docs = [
        write_document(folder / "Budget.QVW", SyntheticDocument(datetime.now(UTC))),  # suffix in capitals
        write_document(folder / "Forecast 2025.qvw", SyntheticDocument(datetime.now(UTC))),
    ]
    assert all(len(str(d)) > 260 for d in docs)
    results = scan([tmp_path / "share"])
    assert sorted(r.path for r in results) == sorted(docs) and all(r.ok for r in results), results
    jobs = engine.run([r.path for r in results])
    assert [j.state for j in jobs] == ["done", "done"], [j.message for j in jobs]
    apps = {a["name"]: a for a in engine.state()["apps"]}
    for doc in docs:
        assert apps[doc.stem]["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
    assert sorted(row["path"] for row in engine.store.ledger()) == sorted(str(d) for d in docs)


def test_scan_and_upload_a_unc_style_path(engine: Engine, tmp_path: Path) -> None:
    share = tmp_path / "QlikView$" / "Sales"
    share.mkdir(parents=True)
    write_document(share / "Umsätze 2024.qvw", SyntheticDocument(datetime.now(UTC)))
    unc_style = Path("/" + str(share))  # //tmp/...: a host-and-share form, as far as Linux has one
    assert str(unc_style).startswith("//") and not str(unc_style).startswith("///")
    (result,) = scan([unc_style])
    assert result.ok and str(result.path) == str(unc_style / "Umsätze 2024.qvw")
    (job,) = engine.run([result.path])
    assert job.state == "done", job.message
    (row,) = engine.store.ledger()
    assert row["path"] == str(unc_style / "Umsätze 2024.qvw")  # the path as given, not /tmp/...


def test_queue_rows_and_ledger_keep_windows_paths_exactly(engine: Engine, tmp_path: Path) -> None:
    paths = [
        r"\\fileserver\QlikView$\Sales\Umsätze 2024.QVW",
        r"\\?\UNC\fileserver\QlikView$\Deep\Doc.qvw",
        "C:\\Docs\\" + "\\".join(f"Folder {n:03d}" for n in range(30)) + "\\Long.qvw",
    ]
    jobs = engine.run([Path(p) for p in paths])  # not reachable from here: each fails with a sentence
    assert [j.path for j in jobs] == paths and all(j.state == "failed" and j.message for j in jobs)
    engine.store.close()
    reopened = TransferStore(tmp_path / "transfers.sqlite3")
    try:
        assert sorted(j.path for j in reopened.jobs()) == sorted(paths)
        assert sorted(r["path"] for r in reopened.ledger()) == sorted(paths)
        assert all(p in reopened.ledger_csv() for p in paths)
    finally:
        reopened.close()
        engine.store = TransferStore(tmp_path / "transfers.sqlite3")  # the fixture closes it
