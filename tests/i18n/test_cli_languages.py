"""The command line in French and German: the `scan` table, an error, and the machine outputs unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.synthetic import SyntheticDocument, write_document


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    now = datetime.now(UTC).replace(microsecond=0)
    write_document(tmp_path / "Ventes.qvw", SyntheticDocument(now - timedelta(hours=3)))
    write_document(tmp_path / "Ancien.qvw", SyntheticDocument(now - timedelta(days=40)))
    (tmp_path / "Notes.qvw").write_text("not a document", encoding="utf-8")
    return tmp_path


def qvupload(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "qvupload", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**clean, "PYTHONIOENCODING": "utf-8", **env},
        timeout=60,
    )


def test_the_scan_table_in_french(documents: Path) -> None:
    done = qvupload("scan", str(documents), LANGUAGE="fr")
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["Nom", "Dernier", "rechargement", "(heure", "locale)", "Âge", "Verdict", "Raison"]
    ancien = next(line for line in lines if line.startswith("Ancien.qvw"))
    assert "obsolète" in ancien and "Dernier rechargement il y a 40 jours" in ancien
    assert "au-delà de la limite de 7 jours" in ancien
    ventes = next(line for line in lines if line.startswith("Ventes.qvw"))
    assert "3 heures" in ventes and "à jour" in ventes and "Rechargé il y a 3 heures" in ventes
    notes = next(line for line in lines if line.startswith("Notes.qvw"))
    assert "erreur" in notes and "n'est pas un document QlikView" in notes
    assert "2 documents : 1 à jour, 1 obsolètes, 0 inconnus ; 1 n'ont pas pu être lus." in done.stdout
    # dates as the French write them (Babel): day first, e.g. 27/11/2026 10:15
    assert any(part.count("/") == 2 and len(part) == 10 for part in ancien.split())


def test_the_scan_table_in_german_with_lang_beating_the_environment(documents: Path) -> None:
    done = qvupload("--lang", "de", "scan", str(documents), LANGUAGE="fr", LANG="fr_FR.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Name")
    assert "Zuletzt neu geladen am" in done.stdout and "(40 Tage her)" in done.stdout and "veraltet" in done.stdout
    assert "2 Dokumente: 1 aktuell, 1 veraltet, 0 unbekannt; 1 konnten nicht gelesen werden." in done.stdout


def test_an_error_in_french(documents: Path) -> None:
    done = qvupload("scan", "--stale-after", "bientôt", str(documents), LC_ALL="fr_FR.UTF-8")
    assert done.returncode == 2
    print(done.stderr)
    assert "« bientôt » n'est pas une durée telle que 7d, 36h ou 2w." in done.stderr
    upload = qvupload("upload", "--concurrency", "0", str(documents), LANGUAGE="fr")
    assert upload.returncode == 2
    assert "qvupload upload : --concurrency doit valoir 1 ou plus." in upload.stderr


def test_json_and_csv_do_not_change_with_the_language(documents: Path) -> None:
    outputs = {}
    for lang in ("en", "fr", "de"):
        as_json = qvupload("scan", "--json", str(documents), LANGUAGE=lang)
        as_csv = qvupload("scan", "--csv", str(documents), LANGUAGE=lang)
        assert as_json.returncode == 0 and as_csv.returncode == 0
        rows = json.loads(as_json.stdout)
        for row in rows:  # reasons are sentences for people; keys, verdicts and times stay machine words
            row.pop("reason", None)
            row.pop("error", None)
        outputs[lang] = (rows, as_csv.stdout.splitlines()[0])
    assert outputs["fr"] == outputs["en"] == outputs["de"]
    verdicts = {r["path"].rsplit("/", 1)[-1]: r["freshness"] for r in outputs["fr"][0]}
    assert verdicts["Ancien.qvw"] == "stale" and verdicts["Ventes.qvw"] == "fresh"
    assert all(r["last_reload_utc"] is None or r["last_reload_utc"].endswith("Z") for r in outputs["fr"][0])
