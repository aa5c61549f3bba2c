"""Freshness verdicts from in-file times, logs and QVDs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents import assess, gather_evidence, read_document
from qvupload.documents.doclog import is_log_of, read_log
from qvupload.documents.synthetic import SyntheticDocument, write_document

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def doc(tmp_path: Path, reload: datetime | None, name: str = "Doc.qvw", **kw: object) -> Path:
    return write_document(tmp_path / name, SyntheticDocument(reload, **kw))  # type: ignore[arg-type]


def test_fresh_and_stale_against_the_threshold(tmp_path: Path) -> None:
    fresh = read_document(doc(tmp_path, NOW - timedelta(days=6, hours=23), "a.qvw"))
    stale = read_document(doc(tmp_path, NOW - timedelta(days=7, minutes=1), "b.qvw"))
    assert assess(fresh, now=NOW).verdict == "fresh"
    verdict = assess(stale, now=NOW)
    assert verdict.verdict == "stale" and "7 days" in verdict.reason
    assert assess(stale, now=NOW, stale_after=timedelta(days=30)).verdict == "fresh"


def test_local_only_time_gets_a_time_zone_margin(tmp_path: Path) -> None:
    def verdict(age: timedelta) -> str:
        local = (NOW - age).replace(tzinfo=None)
        path = doc(tmp_path, None, f"l{age.total_seconds()}.qvw", reload_local=local, local_only=True)
        facts = read_document(path)
        assert facts.reload_time_kind == "local-only"
        return assess(facts, now=NOW).verdict

    assert verdict(timedelta(days=6, hours=9)) == "fresh"  # even 14 h earlier in UTC: < 7 d
    assert verdict(timedelta(days=7)) == "unknown"  # could be either side
    assert verdict(timedelta(days=7, hours=13)) == "stale"  # even 12 h later in UTC: > 7 d


def test_never_reloaded_is_unknown(tmp_path: Path) -> None:
    facts = read_document(doc(tmp_path, None))
    assert facts.reload_time_kind == "never"
    assert assess(facts, now=NOW).verdict == "unknown"


def _log(path: Path, finished: datetime, offset: str = "+0100", outcome: str = "Execution finished.") -> None:
    local = finished.astimezone(datetime.strptime(offset, "%z").tzinfo)
    stamp = local.strftime("%Y%m%dT%H%M%S.000") + offset
    start = (local - timedelta(seconds=30)).strftime("%Y%m%dT%H%M%S.000") + offset
    path.write_text(
        f"\ufeff{start}      Execution started.\n{start}      QlikView Version  11.20.12018\n{stamp}      {outcome}\n",
        encoding="utf-8",
    )


def test_newer_log_means_an_unsaved_reload(tmp_path: Path) -> None:
    reload = NOW - timedelta(days=10)
    path = doc(tmp_path, reload, "Sales.qvw")
    _log(tmp_path / "Sales.qvw.log", NOW - timedelta(days=1))
    facts = read_document(path)
    result = assess(facts, gather_evidence(facts), now=NOW)
    assert result.state == "unsaved-reload"
    assert result.verdict == "stale"  # the data in the file is still 10 days old
    assert "not saved" in result.reason
    assert result.unsaved_reload_utc == (NOW - timedelta(days=1)).replace(microsecond=0)


def test_matching_log_confirms_and_failed_reload_is_noticed(tmp_path: Path) -> None:
    reload = NOW - timedelta(hours=3)
    path = doc(tmp_path, reload, "Ops.qvw")
    _log(tmp_path / "Ops.qvw.20261127T090000.000+0100.log", reload, "+0530")
    facts = read_document(path)
    result = assess(facts, gather_evidence(facts), now=NOW)
    assert result.state == "verified" and result.verdict == "fresh"
    _log(tmp_path / "failed.log", reload, outcome="Execution Failed")
    failed = read_log(tmp_path / "failed.log")
    assert failed is not None and failed.outcome == "failed"


def test_old_style_log_without_offset_is_a_hint_only(tmp_path: Path) -> None:
    log = tmp_path / "Doc.qvw.log"
    log.write_text("2/17/2016 7:20:31 PM: Execution started.\n2/17/2016 7:21:01 PM: Execution finished.\n")
    reading = read_log(log)
    assert reading is not None
    assert reading.finished_utc is None and reading.finished_local == datetime(2016, 2, 17, 19, 21, 1)
    assert reading.outcome == "finished"


def test_log_names() -> None:
    assert is_log_of("Sales.qvw", "Sales.qvw.log")
    assert is_log_of("Sales.qvw", "SALES.QVW.20241105T092117.793+0100.log")
    assert not is_log_of("Sales.qvw", "Sales.qvw")
    assert not is_log_of("Sales.qvw", "Sales2.qvw.log")


def test_old_upstream_qvd_makes_fresh_reload_stale(tmp_path: Path) -> None:
    qvd_dir = tmp_path / "QVD"
    qvd_dir.mkdir()
    created = NOW - timedelta(days=40)
    (qvd_dir / "Orders.qvd").write_bytes(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<QvdTableHeader>\r\n'
        b"<QvBuildNo>50500</QvBuildNo><CreatorDoc>C:\\etl\\Extract.qvw</CreatorDoc>"
        + f"<CreateUtcTime>{created:%Y-%m-%d %H:%M:%S}</CreateUtcTime>".encode()
        + b"<TableName>Orders</TableName><NoOfRecords>10</NoOfRecords></QvdTableHeader>\r\n\x00\x01binary"
    )
    path = doc(tmp_path, NOW - timedelta(hours=2), lineage=["e:\\data\\qvd\\orders.qvd;"])
    facts = read_document(path)
    result = assess(facts, gather_evidence(facts), now=NOW)
    assert result.verdict == "stale"
    assert "QVD data last refreshed 40 days ago" in result.reason
    assert result.data_age_bound_utc == created.replace(microsecond=0)
