"""`qvupload scan` and `qvupload demo` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.cli import main
from qvupload.documents.synthetic import SyntheticDocument, write_document

KEYS = {
    "path",
    "error",
    "last_reload_utc",
    "last_reload_local",
    "reload_time_kind",
    "freshness",
    "reason",
    "has_section_access",
    "tables",
    "rows",
    "size",
    "saving_build",
}


def folder(tmp_path: Path) -> Path:
    now = datetime.now(UTC).replace(microsecond=0)
    write_document(
        tmp_path / "Fresh.qvw",
        SyntheticDocument(now - timedelta(hours=1), build=50611, lineage=["ODBC;DSN=Sales;UID=bi;PWD=s3cret"]),
    )
    write_document(tmp_path / "Old.qvw", SyntheticDocument(now - timedelta(days=3)))
    (tmp_path / "Bad.qvw").write_text("nope")
    return tmp_path


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(folder(tmp_path)), "--json", "--stale-after", "2d"]) == 0
    rows = {Path(r["path"]).name: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"Fresh.qvw", "Old.qvw", "Bad.qvw"}
    for row in rows.values():
        assert set(row) >= KEYS
    assert rows["Bad.qvw"]["error"] and rows["Bad.qvw"]["last_reload_utc"] is None
    assert rows["Fresh.qvw"]["error"] is None and rows["Fresh.qvw"]["freshness"] == "fresh"
    assert rows["Fresh.qvw"]["saving_build"] == 50611
    assert rows["Fresh.qvw"]["last_reload_utc"].endswith("Z") and len(rows["Fresh.qvw"]["last_reload_utc"]) == 20
    assert rows["Old.qvw"]["freshness"] == "stale"
    assert rows["Fresh.qvw"]["data_sources"] == ["ODBC;DSN=Sales;UID=bi;PWD=***"]


def test_csv_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(folder(tmp_path)), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and set(rows[0]) >= KEYS
    assert "s3cret" not in json.dumps(rows)


def test_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(folder(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "Fresh.qvw" in out and "fresh" in out and "stale" in out
    assert "2 documents: 2 fresh, 0 stale, 0 unknown; 1 could not be read." in out


@pytest.mark.parametrize("argv", [["scan"], ["scan", "x", "--json", "--csv"], ["scan", "x", "--stale-after", "soon"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_module_entry_point_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "qvupload", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("qvupload ")


def test_duration_parsing() -> None:
    from qvupload.timefmt import parse_duration

    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("1d12h") == timedelta(hours=36)
    assert parse_duration("2w") == timedelta(days=14)
    assert parse_duration("3") == timedelta(days=3)
    for bad in ("", "soon", "0d", "5x"):
        with pytest.raises(ValueError):
            parse_duration(bad)
