"""Naming an app: by name, by name in a space, by app id or item id, on the demo seed (where
"Sales Dashboard" is both a source in Sales Team and its published copy in Sales Reports)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import httpx

from qvupload.cloud import CloudClient, StaticToken
from qvupload.cloud.access import AccessAnswer, check_access_all
from qvupload.cloud.appref import AmbiguousApp, AppRef, Candidate, find_source, resolve
from qvupload.sandbox import Sandbox
from qvupload.sandbox.model import App, Item
from tests.conftest import persona


def test_parse_the_forms_people_type() -> None:
    assert AppRef.parse('"Sales Dashboard" in "Sales Reports"') == AppRef("Sales Dashboard", "Sales Reports")
    assert AppRef.parse('Sales Dashboard in "Sales Reports"') == AppRef("Sales Dashboard", "Sales Reports")
    assert AppRef.parse('"Sales Dashboard" in Sales Reports') == AppRef("Sales Dashboard", "Sales Reports")
    assert AppRef.parse('"Check in and out"') == AppRef("Check in and out")
    assert AppRef.parse("Check in and out") == AppRef("Check in and out")  # no quotes: the whole name
    assert AppRef.parse("Sales Dashboard", space="Sales Team") == AppRef("Sales Dashboard", "Sales Team")
    assert AppRef.parse('"A" in "B"', space="C") == AppRef("A", "C")  # --space wins


def _run(sandbox: Sandbox, who: str, coro: Any) -> Any:
    async def main() -> Any:
        async with CloudClient(sandbox.url, StaticToken(persona(sandbox, who)[1])) as client:
            return await coro(client)

    return asyncio.run(main())


def test_one_name_two_apps_resolved_by_every_form(sandbox: Sandbox) -> None:
    both: list[Candidate] = _run(sandbox, "hana", lambda c: resolve(c, "Sales Dashboard"))
    assert [(c.space_label, c.published_copy) for c in both] == [
        ("Sales Team (shared)", False),
        ("Sales Reports (managed)", True),
    ]
    assert all(c.owner in ("Ann Baker", "Adam Admin") for c in both)
    copy = both[1]
    by_space = _run(sandbox, "hana", lambda c: resolve(c, '"Sales Dashboard" in "Sales Reports"'))
    by_app_id = _run(sandbox, "hana", lambda c: resolve(c, copy.app_id))
    by_item_id = _run(sandbox, "hana", lambda c: resolve(c, copy.item_id))
    assert [c.app_id for c in by_space] == [c.app_id for c in by_app_id] == [c.app_id for c in by_item_id]
    assert by_space[0].app_id == copy.app_id
    source = _run(sandbox, "ann", lambda c: find_source(c, "Sales Dashboard"))  # acting: never the copy
    assert source.app_id == both[0].app_id


def test_access_check_for_carl_gives_a_verdict_per_app(sandbox: Sandbox) -> None:
    answers: list[AccessAnswer] = _run(
        sandbox, "hana", lambda c: check_access_all(c, "Carl Consumer", "Sales Dashboard")
    )
    verdicts = {(a.space or {}).get("name"): a.verdict for a in answers}
    assert verdicts == {"Sales Team": "more-than-view", "Sales Reports": "view-only"}
    only = _run(sandbox, "hana", lambda c: check_access_all(c, "carl@sandbox.example", "Sales Dashboard", "Sales Team"))
    assert [(a.space or {}).get("name") for a in only] == ["Sales Team"]
    env = {**os.environ, "QVUPLOAD_API_KEY": persona(sandbox, "hana")[1], "QVUPLOAD_TENANT": sandbox.url}
    cli = [sys.executable, "-m", "qvupload", "access", "--user", "Carl Consumer", "--app", "Sales Dashboard"]
    text = subprocess.run(cli, env=env, capture_output=True, text=True, check=True).stdout
    assert text.startswith("2 QlikView apps match Sales Dashboard")
    assert "MORE-THAN-VIEW  Carl Consumer" in text and "VIEW-ONLY  Carl Consumer" in text
    assert "(published copy) in Sales Reports (managed space)" in text
    data = json.loads(subprocess.run([*cli, "--json"], env=env, capture_output=True, text=True, check=True).stdout)
    assert sorted((d["space"]["name"], d["verdict"]) for d in data) == [
        ("Sales Reports", "view-only"),
        ("Sales Team", "more-than-view"),
    ]
    narrowed = subprocess.run([*cli, "--space", "Sales Reports", "--json"], env=env, capture_output=True, text=True)
    one = json.loads(narrowed.stdout)
    assert one["verdict"] == "view-only" and one["app"]["url"] == f"{sandbox.url}/sense/app/{one['app']['id']}"


def _cli(sandbox: Sandbox, who: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QVUPLOAD_API_KEY": persona(sandbox, who)[1], "QVUPLOAD_TENANT": sandbox.url}
    return subprocess.run([sys.executable, "-m", "qvupload", *args], env=env, capture_output=True, text=True)


def _copies(sandbox: Sandbox, name: str, space: str) -> list[dict[str, Any]]:
    state = httpx.get(f"{sandbox.url}/__sandbox/state").json()
    space_id = next(s["id"] for s in state["spaces"] if s["name"] == space)
    return [a for a in state["apps"] if a["name"] == name and a["space_id"] == space_id and a["published"]]


def test_publishing_the_same_source_twice_by_name_republishes(sandbox: Sandbox) -> None:
    first = _cli(sandbox, "ann", "publish", "Pipeline (personal)", "--to", "Finance Reports")
    assert first.returncode == 0 and first.stdout.startswith("Published Pipeline (personal)"), first.stderr
    second = _cli(sandbox, "ann", "publish", "Pipeline (personal)", "--to", "Finance Reports")
    assert second.returncode == 0 and second.stdout.startswith("Republished Pipeline (personal)"), second.stderr
    assert len(_copies(sandbox, "Pipeline (personal)", "Finance Reports")) == 1
    seeded = _cli(sandbox, "ann", "publish", "Sales Dashboard", "--to", "Sales Reports")  # the seed's own pair
    assert seeded.stdout.startswith("Republished Sales Dashboard"), seeded.stderr


def test_two_sources_of_one_name_are_listed_and_nothing_happens(sandbox: Sandbox) -> None:
    tenant = sandbox.tenant
    ann = persona(sandbox, "ann")[0]
    twin = App("twin-app", "Sales Dashboard", ann, None)
    twin.file_name = "twin-app.qvw"
    tenant.app_path(twin).write_bytes(b"a second source of the same name")
    tenant.apps[twin.id] = twin
    tenant.items["b" * 24] = Item("b" * 24, "twin-app", "qvapp", ann, ann)
    before = httpx.get(f"{sandbox.url}/__sandbox/state").json()["apps"]
    result = _cli(sandbox, "ann", "publish", "Sales Dashboard", "--to", "Sales Reports")
    assert result.returncode == 2 and "2 QlikView apps (not published copies) match Sales Dashboard" in result.stderr
    assert "Sales Team (shared), source, owner Ann Baker" in result.stderr and "app id twin-app" in result.stderr
    assert "Traceback" not in result.stderr
    assert httpx.get(f"{sandbox.url}/__sandbox/state").json()["apps"] == before
    picked = _cli(sandbox, "ann", "publish", "Sales Dashboard", "--space", "personal", "--to", "Sales Reports")
    assert picked.returncode == 0 and picked.stdout.startswith("Published Sales Dashboard"), picked.stderr
    mine = _run(sandbox, "ann", lambda c: find_source(c, '"Pipeline (personal)" in personal'))
    assert mine.name == "Pipeline (personal)" and not mine.published_copy


def test_a_published_copy_alone_is_not_acted_on(sandbox: Sandbox) -> None:
    async def go(client: CloudClient) -> str:
        try:
            await find_source(client, '"Sales Dashboard" in "Sales Reports"')
        except AmbiguousApp as exc:
            return str(exc)
        return ""

    assert "only a published copy" in _run(sandbox, "ann", go)

    async def budget(client: CloudClient) -> str:  # in a managed space: a copy, even without its origin
        try:
            await find_source(client, '"Budget 2026" in "Finance Reports"')
        except AmbiguousApp as exc:
            return str(exc)
        return ""

    assert "only a published copy" in _run(sandbox, "ann", budget)
