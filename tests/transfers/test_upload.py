"""Real documents into the sandbox: personal, shared, managed; duplicates; stale; ledger."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.transfers.conftest import Engine


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fresh_doc(tmp_path: Path) -> Path:
    now = datetime.now(UTC).replace(microsecond=0)
    return write_document(tmp_path / "Fresh Sales.qvw", SyntheticDocument(now - timedelta(hours=2), size=900 * 1024))


def test_samples_reach_personal_then_shared_then_managed(engine: Engine, samples: Path, tmp_path: Path) -> None:
    docs = sorted(samples.glob("*.qv[wf]"))
    jobs = engine.run(docs)
    assert [j.state for j in jobs] == ["done"] * len(docs), [j.message for j in jobs]
    state = engine.state()
    by_sha = {a["sha256"]: a for a in state["apps"]}
    for doc, job in zip(docs, jobs, strict=True):
        app = by_sha[sha(doc)]  # byte-identical content
        assert app["id"] == job.app_id and app["resource_type"] == "qvapp" and app["space_id"] is None
        assert job.sha256 == sha(doc)
    shared = engine.run(docs[:3], "shared:Sales Team")
    assert {j.outcome for j in shared} == {"moved"}
    managed = engine.run(docs[:3], "managed:Sales Reports")
    assert {j.outcome for j in managed} == {"published"}, [j.message for j in managed]
    state = engine.state()
    team = next(s["id"] for s in state["spaces"] if s["name"] == "Sales Team")
    reports = next(s["id"] for s in state["spaces"] if s["name"] == "Sales Reports")
    for doc, job in zip(docs[:3], managed, strict=True):
        copies = [a for a in state["apps"] if a["sha256"] == sha(doc)]
        assert {(a["space_id"], a["origin_app_id"]) for a in copies} == {(team, None), (reports, job.app_id)}


def test_rerunning_a_batch_never_makes_a_second_app(engine: Engine, fresh_doc: Path) -> None:
    first = engine.run([fresh_doc], "managed:Sales Reports")
    assert first[0].outcome == "uploaded" and first[0].published_app_id
    again = engine.run([fresh_doc], "managed:Sales Reports")
    assert again[0].outcome == "skipped"
    assert len(engine.apps_named("Fresh Sales")) == 2  # the personal app and its published copy
    replaced = engine.run([fresh_doc], "managed:Sales Reports", policy="replace")
    assert replaced[0].outcome == "replaced" and replaced[0].app_id == first[0].app_id
    assert replaced[0].published_app_id == first[0].published_app_id  # republished, not published again
    assert len(engine.apps_named("Fresh Sales")) == 2
    both = engine.run([fresh_doc], policy="keep-both")
    assert both[0].outcome == "kept-both"
    assert len(engine.apps_named("Fresh Sales")) == 3


def test_stale_documents_wait_for_permission(engine: Engine, tmp_path: Path) -> None:
    old = write_document(tmp_path / "Old.qvw", SyntheticDocument(datetime(2025, 1, 1, tzinfo=UTC)))
    (job,) = engine.run([old], allow_stale=False)
    assert job.outcome == "skipped" and "stale" in job.message
    assert engine.apps_named("Old") == []
    (job,) = engine.run([old], allow_stale=True)
    assert job.outcome == "uploaded" and len(engine.apps_named("Old")) == 1


def test_rights_are_checked_before_any_byte(engine: Engine, fresh_doc: Path) -> None:
    (job,) = engine.run([fresh_doc], "shared:HR Confidential")  # Ann is only a consumer there
    assert job.state == "failed" and "producer" in job.message
    (job2,) = engine.run([fresh_doc], "managed:Sales Team")
    assert job2.state == "failed" and "shared space, not a managed" in job2.message
    counts = engine.state()["request_counts"]
    assert "POST /api/v1/temp-contents/files" not in counts
    engine.user = "carl"  # analyzer: cannot import at all
    (job3,) = engine.run([fresh_doc])
    assert job3.state == "failed" and "Professional" in job3.message


def test_not_a_document_fails_with_a_sentence(engine: Engine, tmp_path: Path) -> None:
    bogus = tmp_path / "Notes.qvw"
    bogus.write_text("hello")
    (job,) = engine.run([bogus])
    assert job.state == "failed" and "not a QlikView document" in job.message


def test_ledger_exports(engine: Engine, fresh_doc: Path, tmp_path: Path) -> None:
    engine.run([fresh_doc])
    rows = json.loads(engine.store.ledger_json())
    assert rows[-1]["path"] == str(fresh_doc) and rows[-1]["sha256"] == sha(fresh_doc) and rows[-1]["app_id"]
    assert set(rows[-1]) == {
        "path",
        "sha256",
        "size",
        "app_id",
        "item_id",
        "space",
        "action",
        "start",
        "end",
        "outcome",
        "message",
    }
    csv_text = engine.store.ledger_csv()
    assert csv_text.splitlines()[0].startswith("path,sha256,size,app_id")
    key = next(t for t in engine.sandbox.tenant.tokens.values() if t.kind == "api-key").value
    assert key not in csv_text and key not in engine.store.path.read_bytes().decode("latin-1")
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(engine.store.path, copy)
