"""The installed program speaks the users' languages: the build compiled the catalogues (.mo) into the
bundle and the wheel, the program reads them (not the .po sources), and ``qvupload --lang fr scan`` prints
French, also from the worker processes a large scan starts (they are spawned: they must take the language)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.scan import PARALLEL_FROM
from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.bundle.conftest import Program

pytestmark = pytest.mark.bundle
LANGUAGES = ("de", "fr", "es", "pt_BR")


def _locale_folder(program: Program) -> Path:
    if program.kind == "bundle":
        return program.command.parent / "_internal" / "qvupload" / "locale"
    python = program.command.parent / "python"
    where = subprocess.run(
        [str(python), "-c", "import qvupload.i18n as i; print(i.LOCALE_DIR)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=python.parent,  # not the checkout, whose qvupload would be imported first
    )
    return Path(where.stdout.strip())


def test_compiled_catalogues_are_shipped(program: Program) -> None:
    folder = _locale_folder(program)
    for lang in LANGUAGES:
        mo = folder / lang / "LC_MESSAGES" / "qvupload.mo"
        assert mo.is_file() and mo.stat().st_size > 1000, f"{program.kind}: no compiled catalogue {mo}"
    german = (folder / "de" / "LC_MESSAGES" / "qvupload.mo").read_bytes()
    assert b"verwalteter Bereich" in german  # translated, not an empty template
    if program.kind == "wheel":  # the installed package reads the .mo, not a .po with the parser a checkout uses
        python = program.command.parent / "python"
        kind = subprocess.run(
            [str(python), "-c", "import qvupload.i18n as i; print(type(i.load_catalog('fr')).__name__)"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            cwd=python.parent,
        )
        assert kind.stdout.strip() == "GNUTranslations"


def test_scan_in_french_with_worker_processes(program: Program, private_env: dict[str, str], tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    count = PARALLEL_FROM + 200  # large enough to start the worker processes
    for i in range(count):
        write_document(tmp_path / f"Doc {i:04d}.qvw", SyntheticDocument(reload_utc=now - timedelta(days=40)))
    (tmp_path / "Notes.qvw").write_text("pas un document", encoding="utf-8")
    env = {k: v for k, v in private_env.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    run = program.run("--lang", "fr", "scan", str(tmp_path), env={**env, "PYTHONIOENCODING": "utf-8"}, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert lines[0].split()[:3] == ["Nom", "Dernier", "rechargement"]
    rows = [line for line in lines if line.startswith("Doc ")]
    assert len(rows) == count
    english = [line for line in rows if "au-delà de la limite de 7 jours" not in line]
    assert english == [], english[:3]  # every row, also those the worker processes read
    notes = next(line for line in lines if line.startswith("Notes.qvw"))
    assert "n'est pas un document QlikView" in notes
    summary = run.stdout.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    assert f"{count}documents:0àjour,{count}obsolètes" in summary  # the summary line, numbers as the French write


def test_every_shipped_language_formats_dates_and_numbers(
    program: Program, private_env: dict[str, str], tmp_path: Path
) -> None:
    """The bundle keeps Babel's locale data and Qt's dialog translations only for the languages it has
    catalogues for (packaging/pyinstaller/bundling.py): each of them still formats a scan's dates and
    numbers, which needs its Babel data and its parents'."""
    write_document(tmp_path / "Sales.qvw", SyntheticDocument(reload_utc=datetime(2026, 11, 27, 10, 15, tzinfo=UTC)))
    env = {k: v for k, v in private_env.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    for lang in LANGUAGES:
        run = program.run("--lang", lang, "scan", str(tmp_path), env={**env, "PYTHONIOENCODING": "utf-8"})
        assert run.returncode == 0 and "Traceback" not in run.stderr, f"{lang}: {run.stderr[-2000:]}"
        assert "Sales.qvw" in run.stdout and "2026" in run.stdout, f"{lang}: {run.stdout}"
    if program.kind == "bundle":
        internal = program.command.parent / "_internal"
        babel = sorted(p.stem for p in (internal / "babel" / "locale-data").glob("*.dat"))
        assert babel == sorted({"root", "de", "fr", "es", "pt", "pt_BR"}), babel
        qt = sorted(p.stem for p in internal.rglob("qtbase_*.qm"))
        assert qt == sorted(f"qtbase_{lang}" for lang in LANGUAGES), qt
