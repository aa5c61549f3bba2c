"""Every write exactly once: the sandbox carries a write out, then drops the connection (or answers
after the client's time-out), once for each write route; the document still ends as one app in
its target, one published copy per managed space, one assignment per member."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.cloud import CloudClient, StaticToken
from qvupload.cloud.writes import WRITES, Repeat, classify, safe_to_repeat
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.transfers import TransferQueue, TransferStore
from qvupload.transfers.plans import plan_actions, read_plan_csv
from qvupload.transfers.share import run_plan
from tests.conftest import persona
from tests.contract import ContractChecker, load_specs
from tests.transfers.conftest import FAST_RETRY
from tests.transfers.exactly import (
    ASSIGN,
    IMPORT,
    MOVE,
    PUBLISH,
    REASSIGN,
    REPUBLISH,
    TUS_CREATE,
    add_fault,
    assert_exactly_one,
    assert_one_assignment_each,
    checked,
    state,
)

LATE_TIMEOUT = 1.5  # the client's time-out in the "late" runs; the sandbox answers after 2.5 s
AFTERMATH = {"drop": {"then": "drop"}, "late": {"then": "late", "late_ms": 2500}}


@pytest.fixture(scope="module")
def contract(shared: Path) -> ContractChecker:
    return ContractChecker(load_specs(shared / "qlik-cloud-specs"))


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    now = datetime.now(UTC) - timedelta(hours=1)
    return write_document(tmp_path / "Orders.qvw", SyntheticDocument(now, size=600 * 1024))


def client_for(sandbox: Sandbox, contract: ContractChecker, how: str) -> CloudClient:
    timeout = LATE_TIMEOUT if how == "late" else 60.0
    key = persona(sandbox, "ann")[1]
    return checked(CloudClient(sandbox.url, StaticToken(key), retry=FAST_RETRY, timeout=timeout), contract)


def upload(
    sandbox: Sandbox, contract: ContractChecker, store: TransferStore, doc: Path, target: str, how: str, **kw: str
) -> str:
    async def main() -> str:
        async with client_for(sandbox, contract, how) as client:
            queue = TransferQueue(client, store, chunk_size=256 * 1024)
            (job,) = queue.add([doc], target, policy=kw.get("policy", "skip"), allow_stale=True)
            await queue.run()
            assert job.state == "done", job.message
            assert not job.pending_write  # the answer (or what the tenant did) is known
            return job.outcome

    return asyncio.run(main())


@pytest.mark.parametrize("how", ["drop", "late"])
@pytest.mark.parametrize(
    ("route", "target"),
    [
        (TUS_CREATE, "personal"),
        (IMPORT, "personal"),
        (IMPORT, "managed:Sales Reports"),
        (MOVE, "shared:Sales Team"),
        (PUBLISH, "managed:Sales Reports"),
    ],
)
def test_write_carried_out_then_answer_lost(
    sandbox: Sandbox, contract: ContractChecker, tmp_path: Path, doc: Path, route: str, target: str, how: str
) -> None:
    store = TransferStore(tmp_path / "transfers.sqlite3")
    add_fault(sandbox.url, route=route, count=2, **AFTERMATH[how])  # lost twice if sent twice
    outcome = upload(sandbox, contract, store, doc, target, how)
    assert outcome == "uploaded"
    assert_exactly_one(sandbox.url, doc, target)
    counts = state(sandbox.url)["request_counts"]
    if route in (IMPORT, PUBLISH):  # not safe to repeat: found, not sent again
        assert counts[route] == 1
    assert len(store.ledger()) == 1 and store.ledger()[0]["outcome"] == "uploaded"
    store.close()


@pytest.mark.parametrize("how", ["drop", "late"])
def test_republish_and_replace_answer_lost(
    sandbox: Sandbox, contract: ContractChecker, tmp_path: Path, doc: Path, how: str
) -> None:
    store = TransferStore(tmp_path / "transfers.sqlite3")
    target = "managed:Sales Reports"
    upload(sandbox, contract, store, doc, target, "drop")
    first = assert_exactly_one(sandbox.url, doc, target)
    add_fault(sandbox.url, route=REPUBLISH, **AFTERMATH[how])
    add_fault(sandbox.url, route=IMPORT, **AFTERMATH[how])  # into the same app (appId): safe to send again
    assert upload(sandbox, contract, store, doc, target, how, policy="replace") == "replaced"
    assert assert_exactly_one(sandbox.url, doc, target)["id"] == first["id"]
    store.close()


@pytest.mark.parametrize("how", ["drop", "late"])
def test_assignment_create_and_update_answer_lost(
    sandbox: Sandbox, contract: ContractChecker, tmp_path: Path, how: str
) -> None:
    store = TransferStore(tmp_path / "transfers.sqlite3")
    plan = (
        "space,users,roles\n"
        "Sales Team,hana@sandbox.example,consumer\n"  # new: POST
        "Sales Team,erik@sandbox.example,consumer\n"  # has dataconsumer: PUT with the union
    )
    add_fault(sandbox.url, route=ASSIGN, **AFTERMATH[how])
    add_fault(sandbox.url, route=REASSIGN, **AFTERMATH[how])

    async def main() -> list[str]:
        async with client_for(sandbox, contract, how) as client:
            actions, problems = await plan_actions(client, read_plan_csv(plan))
            assert not problems
            return [o.result for o in await run_plan(client, actions, store, per_minute=6000)]

    assert set(asyncio.run(main())) <= {"created", "changed"}
    assert_one_assignment_each(
        sandbox.url,
        "Sales Team",
        {"hana@sandbox.example": {"consumer"}, "erik@sandbox.example": {"consumer", "dataconsumer"}},
    )
    assert state(sandbox.url)["request_counts"][ASSIGN] == 2  # sent again: the second got 409 and merged
    store.close()


def test_every_write_route_of_the_sandbox_is_classified(sandbox: Sandbox) -> None:
    """A write added to the tenant (and so to the client) gets a row; the table says what to do."""
    writes = [
        (route.method, route.template)
        for route in sandbox.router.routes
        if route.method not in ("GET", "HEAD", "OPTIONS") and route.template.startswith("/api/")
    ]
    assert writes
    missing = [w for w in writes if w not in WRITES]
    assert missing == [], f"classify these in qvupload/cloud/writes.py: {missing}"
    assert classify("POST", "http://t/api/v1/apps/abc/publish?x=1").repeat is Repeat.RECONCILE
    assert not safe_to_repeat("POST", "/api/v1/apps/import", {"fileId": "f"})
    assert safe_to_repeat("POST", "/api/v1/apps/import", {"fileId": "f", "appId": "a"})
    assert not safe_to_repeat("POST", "/api/v1/some/new/route")  # unlisted writes err on the safe side


def test_a_queue_from_before_pending_writes_opens(tmp_path: Path) -> None:
    """A queue written by the previous version (no pending_* columns) opens and resumes."""
    import json
    import sqlite3
    from dataclasses import asdict, fields

    from qvupload.transfers import Job

    old = [f.name for f in fields(Job) if not f.name.startswith("pending_")]
    job = Job("/docs/Orders.qvw", "personal", state="importing")
    db = sqlite3.connect(tmp_path / "transfers.sqlite3")
    db.execute(f"CREATE TABLE jobs ({', '.join(n + (' TEXT PRIMARY KEY' if n == 'id' else ' TEXT') for n in old)})")
    db.execute(f"INSERT INTO jobs VALUES ({', '.join('?' for _ in old)})", [json.dumps(asdict(job)[n]) for n in old])
    db.commit()
    db.close()
    store = TransferStore(tmp_path / "transfers.sqlite3")
    (loaded,) = store.unfinished()
    assert loaded.id == job.id and loaded.pending_write == "" and loaded.state == "importing"
    loaded.pending_write = "import"
    store.save(loaded)
    assert [j.pending_write for j in store.jobs()] == ["import"]
    store.close()


@pytest.mark.parametrize("how", ["drop", "late"])
def test_same_named_documents_kept_both_each_get_their_own_app(
    sandbox: Sandbox, contract: ContractChecker, tmp_path: Path, how: str
) -> None:
    """Two documents of one name in one batch (keep both): the second import's answer is lost after
    the first has made its app. The look for what the second made sees both apps; it must take its
    own, not the first job's (the older of the two)."""
    now = datetime.now(UTC) - timedelta(hours=1)
    for folder in "ab":
        (tmp_path / folder).mkdir()
    small = write_document(tmp_path / "a" / "Orders.qvw", SyntheticDocument(now, size=200 * 1024))
    big = write_document(tmp_path / "b" / "Orders.qvw", SyntheticDocument(now, size=3 * 1024 * 1024))
    store = TransferStore(tmp_path / "transfers.sqlite3")
    add_fault(sandbox.url, route=IMPORT, after=1, **AFTERMATH[how])  # the first import goes through

    async def main() -> list[str]:
        async with client_for(sandbox, contract, how) as client:
            queue = TransferQueue(client, store, concurrency=2, chunk_size=256 * 1024)
            jobs = queue.add([small, big], "personal", policy="keep-both", allow_stale=True)
            await queue.run()
            assert [j.state for j in jobs] == ["done", "done"], [j.message for j in jobs]
            return [j.app_id for j in jobs]

    app_ids = asyncio.run(main())
    apps = {a["id"]: a for a in state(sandbox.url)["apps"] if a["name"] == "Orders"}
    assert len(apps) == 2 and sorted(app_ids) == sorted(apps)  # two apps, one each
    for path, app_id in zip((small, big), app_ids, strict=True):
        assert apps[app_id]["size"] == path.stat().st_size
    assert sorted(row["app_id"] for row in store.ledger()) == sorted(apps)
    store.close()


@pytest.mark.parametrize(("route", "target"), [(IMPORT, "personal"), (PUBLISH, "managed:Sales Reports")])
def test_connection_lost_while_the_tenant_still_works_on_the_call(
    sandbox: Sandbox, contract: ContractChecker, tmp_path: Path, doc: Path, route: str, target: str
) -> None:
    """A proxy gives up on a big import (or publish) while the tenant still works on it: the
    connection closes at once and the app appears seconds later. Looking for a second was not
    enough (the call went out again: two apps); the client looks for longer when no answer came."""
    store = TransferStore(tmp_path / "transfers.sqlite3")
    add_fault(sandbox.url, route=route, then="detach", late_ms=3000)
    assert upload(sandbox, contract, store, doc, target, "drop") == "uploaded"
    assert_exactly_one(sandbox.url, doc, target)
    assert state(sandbox.url)["request_counts"][route] == 1  # found, not sent again
    store.close()
