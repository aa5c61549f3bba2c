"""Every real sample document against the values its MANIFEST lists, plus the cross-checks."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

from qvupload.documents import read_document
from qvupload.documents.container import HEAD_WINDOW, TAIL_WINDOW
from qvupload.documents.doclog import read_log
from qvupload.documents.freshness import assess, gather_evidence
from qvupload.documents.qvd import read_qvd_header
from qvupload.timefmt import iso_local
from tests.manifest import load


def test_every_sample_matches_its_manifest(samples: Path) -> None:
    expected = load(samples / "MANIFEST.md")
    assert len(expected) == 14
    problems = []
    for exp in expected:
        path = samples / exp.file
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == exp.sha256, f"{exp.file} differs from the MANIFEST"
        facts = read_document(path, saving_build=True)
        got = {
            "size": facts.size,
            "local": iso_local(facts.last_reload_local) if facts.reload_time_kind != "never" else None,
            "section_access": facts.has_section_access,
            "tables": facts.tables,
            "rows": facts.rows,
            "generate_logfile": facts.generate_logfile,
            "saving_build": facts.saving_build,
        }
        want: dict[str, object] = {
            "size": exp.size,
            "local": None if exp.local.startswith("1899-12-30") else exp.local,
            "section_access": exp.section_access,
            "tables": exp.tables,
            "rows": exp.rows,
            "generate_logfile": exp.generate_logfile,
            "saving_build": exp.saving_build,
        }
        if exp.utc.startswith("1899-12-30"):
            want_kind, want_utc = "never", None
        elif exp.utc.endswith("(local)"):
            want_kind, want_utc = "local-only", None
        else:
            want_kind = "utc"
            want_utc = datetime.strptime(exp.utc, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        got["kind"], want["kind"] = facts.reload_time_kind, want_kind
        got["utc"], want["utc"] = facts.last_reload_utc, want_utc
        for key, value in want.items():
            if got[key] != value:
                problems.append(f"{exp.file}: {key} is {got[key]!r}, MANIFEST says {value!r}")
    assert problems == []


def test_reads_are_coalesced_into_head_and_tail_windows(samples: Path) -> None:
    """Two reads per document (one for a small file); a directory or XML item that lies outside
    the windows costs one read more, of exactly its size. Nothing else is read."""
    for path in sorted(samples.glob("*.qv[wf]")):
        facts = read_document(path)
        size = path.stat().st_size
        if size <= HEAD_WINDOW + TAIL_WINDOW:
            assert (facts.reads, facts.bytes_read) == (1, size), path.name
            continue
        tail = size - TAIL_WINDOW
        outside = [length for offset, length in _regions(path) if offset < tail and offset + length > HEAD_WINDOW]
        assert facts.reads == 2 + len(outside), path.name
        assert facts.bytes_read == HEAD_WINDOW + TAIL_WINDOW + sum(outside), path.name


def _regions(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of the directory and of each XML item."""
    data = path.read_bytes()
    offset = int.from_bytes(data[-256:-252], "little")
    length = int.from_bytes(data[-252:-248], "little")
    regions = [(offset, length)]
    for pos in range(offset, offset + length, 256):
        name = data[pos : pos + 224].split(b"\0")[0]
        if name in (b"DocumentInfo.xml", b"DocumentSummary.xml"):  # the items the reader reads
            regions.append(
                (
                    int.from_bytes(data[pos + 224 : pos + 232], "little"),
                    int.from_bytes(data[pos + 232 : pos + 240], "little"),
                )
            )
    return regions


def test_never_reloaded_sample_is_unknown_not_empty(samples: Path) -> None:
    facts = read_document(samples / "qvc__ExpandInterval_never_reloaded.qvw")
    assert facts.reload_time_kind == "never"
    assert facts.last_reload_utc is None and facts.last_reload_local is None
    assert (facts.tables, facts.rows) == (8, 1431)
    verdict = assess(facts, now=datetime(2026, 11, 27, tzinfo=UTC))
    assert verdict.verdict == "unknown"
    assert "No reload time" in verdict.reason


def test_local_only_sample_keeps_the_wall_clock(samples: Path) -> None:
    facts = read_document(samples / "evandycke-cookbook__DateTable.qvw")
    assert facts.reload_time_kind == "local-only"
    assert facts.last_reload_local == datetime(2008, 6, 24, 16, 2, 9)
    fresh = assess(facts, now=datetime(2026, 11, 27, tzinfo=UTC))
    assert fresh.verdict == "stale" and fresh.state == "approximate"
    assert "time zone" in fresh.reason


def test_qvf_container_reads_like_a_qvw(samples: Path) -> None:
    facts = read_document(samples / "duva01__CitasMedicas_qlikview12.90.qvf", saving_build=True)
    assert facts.container == "qvf"
    assert facts.saving_build is None  # the heuristic needs a classic block 0
    assert facts.last_reload_utc == datetime(2024, 11, 5, 8, 21, 17, tzinfo=UTC)


QVD_CROSS_CHECKS = [
    ("evandycke-tips__Currency.qvd", "evandycke-tips__convert_csv_to_qvd.qvw", "convert_csv_to_qvd.qvw"),
    ("qvc__ECustomer.qvd", "qvc__ExportTables.qvw", "ExportTables.qvw"),
    ("jcarlossc__produto_qvd.qvd", "jcarlossc__extracao.qvw", "extracao.qvw"),
]


def test_qvds_created_by_samples_carry_the_same_reload_time(samples: Path) -> None:
    for qvd_name, doc_name, creator in QVD_CROSS_CHECKS:
        header = read_qvd_header(samples / qvd_name)
        facts = read_document(samples / doc_name)
        assert header.creator_name == creator
        assert header.create_utc == facts.last_reload_utc, qvd_name


def test_stored_qvd_next_to_document_confirms_its_reload(samples: Path, tmp_path: Path) -> None:
    # Lay the files out as the document's lineage expects: STORE - [Data\ECustomer.qvd] (qvd)
    doc = tmp_path / "ExportTables.qvw"
    shutil.copyfile(samples / "qvc__ExportTables.qvw", doc)
    (tmp_path / "Data").mkdir()
    shutil.copyfile(samples / "qvc__ECustomer.qvd", tmp_path / "Data" / "ECustomer.qvd")
    facts = read_document(doc)
    evidence = gather_evidence(facts)
    assert [e.kind for e in evidence] == ["qvd-stored"]
    fresh = assess(facts, evidence, now=datetime(2016, 11, 15, tzinfo=UTC))
    assert fresh.state == "verified" and fresh.verdict == "fresh"
    assert "confirmed by its QVD" in fresh.reason


def test_loaded_qvd_bounds_the_data_age(samples: Path, tmp_path: Path) -> None:
    # The .qvf loads d:\...\citasmedicasqlikview\data\cita.qvd (lower-cased in its lineage).
    doc = tmp_path / "CitasMedicas.qvf"
    shutil.copyfile(samples / "duva01__CitasMedicas_qlikview12.90.qvf", doc)
    (tmp_path / "Data").mkdir()
    shutil.copyfile(samples / "duva01__Cita.qvd", tmp_path / "Data" / "Cita.qvd")
    facts = read_document(doc)
    fresh = assess(facts, gather_evidence(facts), now=datetime(2024, 11, 6, tzinfo=UTC))
    assert fresh.data_age_bound_utc == datetime(2024, 11, 5, 7, 53, 1, tzinfo=UTC)
    assert fresh.verdict == "fresh"  # QVD a few hours older than the reload: within 7 days


def test_document_logs_corroborate_the_qvf(samples: Path, tmp_path: Path) -> None:
    doc = tmp_path / "CitasMedicas.qvf"
    shutil.copyfile(samples / "duva01__CitasMedicas_qlikview12.90.qvf", doc)
    for log in samples.glob("duva01__CitasMedicas.qvf.*.log"):
        shutil.copyfile(log, tmp_path / log.name.removeprefix("duva01__"))
    facts = read_document(doc)
    evidence = gather_evidence(facts)
    logs = [e for e in evidence if e.kind == "log"]
    assert len(logs) == 1 and logs[0].path.name.startswith("CitasMedicas.qvf.20241105T092117")
    assert logs[0].time_utc is not None
    assert abs((logs[0].time_utc - facts.last_reload_utc).total_seconds()) < 1  # type: ignore[operator]
    fresh = assess(facts, evidence, now=datetime(2024, 11, 6, tzinfo=UTC))
    assert fresh.state == "verified" and "confirmed by its log" in fresh.reason


def test_sample_logs_parse(samples: Path) -> None:
    late = read_log(samples / "duva01__CitasMedicas.qvf.20241105T092117.793+0100.log")
    early = read_log(samples / "duva01__CitasMedicas.qvf.20241105T091024.928+0100.log")
    assert late is not None and early is not None
    assert late.started_utc == datetime(2024, 11, 5, 8, 20, 54, 175000, tzinfo=UTC)
    assert late.finished_utc == datetime(2024, 11, 5, 8, 21, 17, 791000, tzinfo=UTC)
    assert late.outcome == "finished"
    assert late.version is not None and late.version.startswith("12.90")
    assert early.finished_utc is not None and early.finished_utc < late.finished_utc
