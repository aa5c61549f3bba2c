"""Names with any characters print through a cp1252 console or pipe: the scan table, --json and
error messages, from the real command line in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from qvupload.documents.synthetic import SyntheticDocument, write_document

NAME = "売上 Ärger 📈 Q1"  # Japanese, a cp1252 letter, an emoji (outside the BMP)


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    return subprocess.run([sys.executable, "-m", "qvupload", *args], env=env, capture_output=True, timeout=120)


def test_scan_table_json_and_errors_through_cp1252(tmp_path: Path) -> None:
    folder = tmp_path / "ドキュメント"
    folder.mkdir()
    doc = write_document(folder / f"{NAME}.qvw", SyntheticDocument(datetime.now(UTC)))
    (folder / "壊れた 💥.qvw").write_bytes(b"not a QlikView document")

    table = _run("scan", str(folder))
    assert table.returncode == 0, table.stderr.decode("cp1252")
    text = table.stdout.decode("cp1252")  # what the console gets is valid cp1252
    assert "\\u58f2\\u4e0a \xc4rger \\ud83d\\udcc8 Q1" in text  # escaped where cp1252 has no character
    assert "1 could not be read" in text

    as_json = _run("scan", str(folder), "--json")
    assert as_json.returncode == 0, as_json.stderr.decode("cp1252")
    rows = json.loads(as_json.stdout.decode("cp1252"))
    assert sorted(Path(r["path"]).name for r in rows) == sorted([doc.name, "壊れた 💥.qvw"])  # exact names back

    missing = _run("scan", str(tmp_path / "無い 🙈.qvw"))
    assert missing.returncode == 0
    assert "\\u7121\\u3044 \\ud83d\\ude48.qvw does not exist" in missing.stdout.decode("cp1252")
    failing = _run("upload", str(doc), "--tenant", "http://例え.example")
    err = failing.stderr.decode("cp1252")
    assert failing.returncode == 2 and "Traceback" not in err and err.startswith("qvupload upload:")


def test_a_name_that_is_not_utf8_prints(tmp_path: Path) -> None:
    if sys.platform == "win32":  # Windows file names are always Unicode
        return
    folder = tmp_path / "raw"
    folder.mkdir()
    write_document(Path(os.fsdecode(bytes(folder) + b"/caf\xe9.qvw")), SyntheticDocument(datetime.now(UTC)))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "qvupload", "scan", str(folder)], env=env, capture_output=True)
    assert done.returncode == 0 and b"caf\\udce9.qvw" in done.stdout, done.stderr
