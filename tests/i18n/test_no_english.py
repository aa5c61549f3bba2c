"""In French, what the command line says about access (the help desk's question), an error, and the
assessment report hold no English sentence: no fragment of any English message from the sources, and no
common English word outside the data (user, app and space names). This catches text that was never
wrapped, glued-in English words ("the producer role lets them edit") and English string tricks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload import i18n
from qvupload.documents.scan import ScanOptions, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from tests.conftest import persona
from tests.i18n.test_catalogues import source_messages

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
# words that are English and not French (nor names in the sandbox's seed data)
ENGLISH = re.compile(r"\b(the|you|your|is|are|and|with|which|cannot|could|not|has|have|they|their|there)\b", re.I)


def english_fragments() -> set[str]:
    """Runs of at least three words from the English messages, minus any the French translation keeps."""
    po = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "qvupload.po"
    singles, plurals, _header = i18n.parse_po(po.read_text(encoding="utf-8"))
    french = " ".join([*singles.values(), *plurals.values()])
    found: set[str] = set()
    for key in source_messages():
        for message in key if isinstance(key, tuple) else (key,):
            for part in PLACEHOLDER.split(message):
                part = part.strip(" .,:;()-")
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 3 and part not in french:
                    found.add(part)
    return found


def leftovers(text: str, data: tuple[str, ...]) -> list[str]:
    fragments = english_fragments()
    assert len(fragments) > 300  # the check has something to check with
    for name in data:
        text = text.replace(name, " ")
    bad = [f"English message text: {f!r}" for f in fragments if f in text]
    bad += [f"English word in: {line!r}" for line in text.splitlines() if ENGLISH.search(line)]
    return bad


def qvupload(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env = {
        **keep,
        "QVUPLOAD_API_KEY": persona(sandbox, "hana")[1],
        "QVUPLOAD_TENANT": sandbox.url,
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "qvupload", "--lang", "fr", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


# user, app and space names from the sandbox's seed data, and the API's role names
DATA = (
    "Carl Consumer",
    "Erik",
    "Dora",
    "Fiona",
    "Ann Baker",
    "Budget 2026",
    "Sales Dashboard",
    "Sales Team",
    "Sales Reports",
    "Sales Leads",
    "Finance Reports",
    "Finance",
    "Sales",
    "Everyone",
)


@pytest.mark.parametrize(
    "user, app",
    [
        ("carl@sandbox.example", "Budget 2026"),  # view only (restricted), managed space
        ("erik@sandbox.example", "Budget 2026"),  # a data role only
        ("dora@sandbox.example", "Budget 2026"),  # a disabled user
        ("fiona@sandbox.example", "Budget 2026"),  # not a member
        ("carl@sandbox.example", "Sales Dashboard"),  # two apps: more than view (a group's producer) and view only
    ],
)
def test_the_access_check_in_french_has_no_english(sandbox: Sandbox, user: str, app: str) -> None:
    done = qvupload(sandbox, "access", "--user", user, "--app", app)
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    assert any(word in done.stdout for word in ("CONSULTATION SEULE", "PLUS QUE LA CONSULTATION", "AUCUN ACCÈS"))
    assert leftovers(done.stdout, (user, *DATA)) == []


def test_the_space_audit_and_an_error_in_french_have_no_english(sandbox: Sandbox) -> None:
    audit = qvupload(sandbox, "access", "--space", "Finance Reports")
    assert audit.returncode == 0, audit.stderr
    assert leftovers(audit.stdout, DATA) == []
    missing = qvupload(sandbox, "access", "--user", "nobody@sandbox.example", "--app", "Budget 2026")
    assert missing.returncode != 0 and "nobody@sandbox.example" in missing.stderr
    assert leftovers(missing.stderr, ("nobody@sandbox.example", *DATA)) == []


def test_the_assessment_report_in_french_has_no_english(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_document(docs / "Ventes.qvw", SyntheticDocument(now - timedelta(days=2)))
    write_document(docs / "Ancien.qvw", SyntheticDocument(now - timedelta(days=400), section_access=True))
    (docs / "Notes.qvw").write_text("pas un document", encoding="utf-8")
    report = tmp_path / "rapport.html"
    keep = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run(
        [sys.executable, "-m", "qvupload", "--lang", "fr", "assess", str(docs), "--report", str(report)],
        env={**keep, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert leftovers(done.stdout, (str(tmp_path),)) == []
    html = report.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "Évaluation de la migration QlikView" in html
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", "\n", html, flags=re.S)
    # the data stays as it is: routes and verdicts are the CSV's own words
    data = (str(tmp_path), "upload", "link", "rebuild", "ready", "review", "unreadable", "section access")
    assert leftovers(visible, data) == []


def test_scan_worker_processes_speak_the_language_too(tmp_path: Path) -> None:
    """Worker processes are spawned and never choose a language themselves: they take the parent's."""
    now = datetime.now(UTC)
    for i in range(1200):  # enough that the worker process reads some before this one reaches them
        write_document(tmp_path / f"D{i:04}.qvw", SyntheticDocument(now - timedelta(days=40)))
    i18n.set_language("fr")
    try:
        results = scan([tmp_path], ScanOptions(workers=2))
    finally:
        i18n.set_language("en")
    reasons = [r.freshness.reason for r in results if r.freshness is not None]
    english = [r for r in reasons if "au-delà de la limite" not in r]
    assert len(reasons) == 1200 and english == [], english[:3]
