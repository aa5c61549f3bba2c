"""`qvupload link` against the sandbox: create, a re-run that finds the existing links and writes
nothing, the dry run, a managed space, rights refused with a sentence, the ledger, and who can see
a link. Every sandbox answer goes through the contract checker."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from qvupload.cloud import CloudClient, StaticToken
from qvupload.cloud.link_access import check_link_access
from qvupload.cloud.links import LinkError, accesspoint_url, normalize_accesspoint
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.links.run import LinkResult, run_links, targets_from_paths, targets_from_plan
from qvupload.links.settings import FolderMap, LinkSettings, LinkSettingsStore, parse_map
from qvupload.sandbox import Sandbox
from qvupload.transfers.store import TransferStore
from tests.conftest import persona
from tests.contract import ContractChecker

AP = "https://qlikview.example.com"
T = TypeVar("T")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "share" / "Finance"
    (root / "Monthly").mkdir(parents=True)
    for name in ("Budget.qvw", "Forecast.qvw", "Monthly/Close é.qvw"):
        write_document(root / name, SyntheticDocument(datetime(2026, 11, 1, tzinfo=UTC)))
    return root


def settings_for(docs: Path) -> LinkSettings:
    return LinkSettings(AP, [FolderMap(str(docs.parent), "")])


@pytest.fixture
def connect(sandbox: Sandbox, contract: ContractChecker) -> Callable[[str], CloudClient]:
    """A client signed in as that persona, every answer contract-checked. Use it inside one
    asyncio.run (see ``arun``): an httpx client belongs to the loop it first ran in."""

    async def check(response: httpx.Response) -> None:
        await response.aread()
        contract.check(response)

    def make(who: str) -> CloudClient:
        client = CloudClient(sandbox.url, StaticToken(persona(sandbox, who)[1]))
        client.http.event_hooks["response"] = [check]
        return client

    return make


def arun(connect: Callable[[str], CloudClient], who: str, work: Callable[[CloudClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with connect(who) as client:
            return await work(client)

    return asyncio.run(main())


def posts(sandbox: Sandbox) -> int:
    return int(sandbox.tenant.request_counts.get("POST /api/v1/items", 0))


def run(
    connect: Callable[[str], CloudClient],
    who: str,
    targets: list[Any],
    dry_run: bool,
    store: TransferStore | None = None,
) -> list[LinkResult]:
    return arun(connect, who, lambda c: run_links(c, targets, dry_run=dry_run, store=store))


def test_urls_and_mappings(tmp_path: Path) -> None:
    assert normalize_accesspoint("qv.example.com/") == "https://qv.example.com"
    assert normalize_accesspoint("https://qv.example.com/QvAJAXZfc/opendoc.htm") == "https://qv.example.com"
    with pytest.raises(LinkError, match="https"):
        normalize_accesspoint("http://qv.example.com")
    assert accesspoint_url(AP, "Finance\\Budget 2026.qvw") == (
        f"{AP}/QvAJAXZfc/opendoc.htm?document=Finance%2FBudget%202026.qvw"
    )
    unc = LinkSettings(AP, [FolderMap("\\\\qvs01\\Docs", ""), FolderMap("\\\\qvs01\\Docs\\Fin", "Finance")])
    assert unc.server_path("\\\\qvs01\\Docs\\Fin\\Q1\\Budget.qvw") == "Finance/Q1/Budget.qvw"  # longest match
    assert unc.server_path("//QVS01/docs/Sales.qvw") == "Sales.qvw"  # case and slashes do not matter
    with pytest.raises(LinkError, match="No folder mapping covers"):
        unc.server_path("/home/ann/Budget.qvw")
    assert parse_map("/mnt/qv=Finance") == FolderMap("/mnt/qv", "Finance")
    with pytest.raises(LinkError):
        parse_map("no-equals-sign")
    store = LinkSettingsStore(tmp_path)
    store.save("work", unc)
    assert store.get("work") == unc and store.get("other") == LinkSettings()


def test_dry_run_create_rerun_and_ledger(sandbox: Sandbox, connect: Any, docs: Path, tmp_path: Path) -> None:
    targets = targets_from_paths([docs], "Sales Team", settings_for(docs))
    assert sorted(t.name for t in targets) == ["Budget", "Close é", "Forecast"]
    assert all(not t.problem for t in targets)

    dry = run(connect, "ann", targets, dry_run=True)
    assert [r.status for r in dry] == ["create"] * 3 and posts(sandbox) == 0

    store = TransferStore(tmp_path / "ledger.sqlite3")
    first = run(connect, "ann", targets, dry_run=False, store=store)
    assert [r.status for r in first] == ["created"] * 3 and posts(sandbox) == 3
    links = [i for i in sandbox.tenant.items.values() if i.external]
    assert sorted(i.resource_link for i in links) == sorted(t.url for t in targets)
    assert f"{AP}/QvAJAXZfc/opendoc.htm?document=Finance%2FMonthly%2FClose%20%C3%A9.qvw" in {t.url for t in targets}

    second = run(connect, "ann", targets, dry_run=False, store=store)
    assert [r.status for r in second] == ["exists"] * 3 and posts(sandbox) == 3  # nothing written
    assert {r.item_id for r in second} == {r.item_id for r in first}
    again_dry = run(connect, "ann", targets, dry_run=True)
    assert [r.status for r in again_dry] == ["exists"] * 3

    rows = store.ledger()
    store.close()
    assert [(r["action"], r["outcome"]) for r in rows] == [("link", "done")] * 3 + [("link", "unchanged")] * 3
    assert all(r["item_id"] and r["space"] == "Sales Team" for r in rows)


def test_conflict_from_another_run_uses_the_existing_link(sandbox: Sandbox, connect: Any, docs: Path) -> None:
    targets = targets_from_paths([docs / "Budget.qvw"], "Sales Team", settings_for(docs))
    from qvupload.cloud.links import create_link

    team = next(s.id for s in sandbox.tenant.spaces.values() if s.name == "Sales Team")
    item, created = arun(connect, "ann", lambda c: create_link(c, "Budget", targets[0].url, team))
    assert created
    again, created = arun(connect, "adam", lambda c: create_link(c, "Budget", targets[0].url, team))  # 409
    assert not created and again["id"] == item["id"]


def test_managed_space_and_refusals(sandbox: Sandbox, connect: Any, docs: Path) -> None:
    settings = settings_for(docs)
    managed = targets_from_paths([docs / "Budget.qvw"], "Sales Reports", settings)
    assert [r.status for r in run(connect, "ann", managed, dry_run=False)] == ["created"]  # publisher

    refused = run(connect, "fiona", targets_from_paths([docs / "Forecast.qvw"], "Sales Reports", settings), False)
    assert refused[0].status == "failed"
    assert refused[0].message == (
        "Forecast: You cannot add links to the managed space Sales Reports (that needs Can publish or Can manage)."
    )
    analyzer = run(connect, "carl", targets_from_paths([docs / "Forecast.qvw"], "Sales Team", settings), False)
    assert analyzer[0].status == "failed" and "do not have the right" in analyzer[0].message
    unmapped = targets_from_paths([docs / "Forecast.qvw"], "Sales Team", LinkSettings(AP, []))
    assert "No folder mapping covers" in run(connect, "ann", unmapped, False)[0].message
    nowhere = run(connect, "ann", targets_from_paths([docs / "Forecast.qvw"], "Moon Base", settings), False)
    assert nowhere[0].message == "Forecast: There is no space Moon Base that you can see."
    assert posts(sandbox) == 2  # the refusals were decided before writing, except the analyzer's


def test_plan_csv(sandbox: Sandbox, connect: Any, docs: Path) -> None:
    plan = "document,space,name\nBudget.qvw,Sales Team,Budget (server)\nForecast.qvw,,\n"
    targets = targets_from_plan(plan, docs, "Sales Reports", settings_for(docs))
    assert [(t.name, t.space) for t in targets] == [("Budget (server)", "Sales Team"), ("Forecast", "Sales Reports")]
    assert [r.status for r in run(connect, "ann", targets, False)] == ["created", "created"]
    with pytest.raises(LinkError):
        targets_from_plan("path,space\nx,y\n", docs, "", settings_for(docs))


def test_who_can_see_a_link(sandbox: Sandbox, connect: Any, docs: Path) -> None:
    run(connect, "ann", targets_from_paths([docs / "Budget.qvw"], "Sales Team", settings_for(docs)), False)
    carl = arun(connect, "hana", lambda c: check_link_access(c, "carl@sandbox.example", "Budget"))
    assert carl.verdict == "more-than-view" and carl.space is not None and carl.space["name"] == "Sales Team"
    assert "producer" in carl.roles and any("AccessPoint" in n for n in carl.notes)
    erik = arun(connect, "ann", lambda c: check_link_access(c, "erik@sandbox.example", "Budget"))
    assert erik.verdict == "no-access" and erik.summary.startswith("Cannot see the link: only a data role")
    hana_self = arun(connect, "hana", lambda c: check_link_access(c, "hana@sandbox.example", "Budget"))
    assert hana_self.verdict == "view-only" and "group Help Desk" in {r.source for r in hana_self.reasons}


def test_cli_dry_run_then_create_then_nothing(sandbox: Sandbox, docs: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QVUPLOAD_API_KEY": persona(sandbox, "ann")[1],
        "QVUPLOAD_TENANT": sandbox.url,
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
    }

    def link(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "qvupload", *argv], env=env, capture_output=True, text=True, timeout=300
        )

    first = link(
        "link", str(docs), "--space", "Sales Team", "--accesspoint", AP, "--map", f"{docs.parent}=", "--dry-run"
    )
    assert first.returncode == 0, first.stderr
    assert "Saved the AccessPoint settings" in first.stderr
    assert "3 to add, 0 already there, 0 with problems (dry run: nothing was changed)." in first.stdout
    made = link("link", str(docs), "--space", "Sales Team", "--json")  # the saved settings are used
    assert made.returncode == 0, made.stderr
    assert [json.loads(line)["status"] for line in made.stdout.splitlines()] == ["created"] * 3
    again = link("link", str(docs), "--space", "Sales Team")
    assert again.returncode == 0 and "0 added, 3 already there, 0 failed." in again.stdout
    ledger = json.loads(link("ledger", "--json").stdout)
    assert [r["outcome"] for r in ledger if r["action"] == "link"] == ["done"] * 3 + ["unchanged"] * 3
    access = link("link-access", "--user", "erik@sandbox.example", "--link", "Budget")
    assert access.returncode == 0 and "Cannot see the link" in access.stdout
    bad = link("link", str(docs), "--space", "Sales Team", "--accesspoint", "http://qv.example.com")
    assert bad.returncode == 2 and "must use https" in bad.stderr
