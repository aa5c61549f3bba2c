"""The help-desk check against the sandbox's seeded tricky cases, with the help desk's own rights."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from qvupload.cloud import CloudClient, StaticToken
from qvupload.cloud.access import AccessAnswer, audit_space, check_access
from qvupload.cloud.errors import NotFound
from qvupload.sandbox import Sandbox
from tests.conftest import persona


def ask(sandbox: Sandbox, asker: str, user: str, app: str) -> AccessAnswer:
    async def main() -> AccessAnswer:
        async with CloudClient(sandbox.url, StaticToken(persona(sandbox, asker)[1])) as client:
            return await check_access(client, user, app)

    return asyncio.run(main())


def sources(answer: AccessAnswer) -> set[tuple[str, str]]:
    return {(r.role, r.source) for r in answer.reasons}


def test_role_only_through_a_group(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "carl@sandbox.example", _app_id(sandbox, "Sales Dashboard", "Sales Reports"))
    assert answer.verdict == "view-only" and sources(answer) == {("consumer", "group Sales")}
    outsider = ask(sandbox, "hana", "fiona@sandbox.example", "Budget 2026")  # not in Finance Reports at all
    assert outsider.verdict == "no-access" and "member of this space" in outsider.summary


def _app_id(sandbox: Sandbox, name: str, space: str | None) -> str:
    tenant = sandbox.tenant
    space_id = next((s.id for s in tenant.spaces.values() if s.name == space), None) if space else None
    return next(a.id for a in tenant.apps.values() if a.name == name and a.space_id == space_id)


def test_direct_consumer_and_group_producer(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "carl@sandbox.example", _app_id(sandbox, "Sales Dashboard", "Sales Team"))
    assert answer.verdict == "more-than-view" and "producer" in answer.summary
    assert {("consumer", "direct assignment"), ("producer", "group Sales Leads")} <= sources(answer)
    assert answer.complete and answer.space and answer.space["type"] == "shared"


def test_consumer_through_group_in_managed_space(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "fiona@sandbox.example", _app_id(sandbox, "Sales Dashboard", "Sales Reports"))
    assert answer.verdict == "view-only"
    assert ("consumer", "group Sales") in sources(answer) and ("contributor", "direct assignment") in sources(answer)


def test_owner_of_the_space(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "ann@sandbox.example", _app_id(sandbox, "Sales Dashboard", "Sales Team"))
    assert answer.verdict == "more-than-view" and ("producer", "owner") in sources(answer)


def test_disabled_user(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "dora@sandbox.example", "Budget 2026")
    assert answer.verdict == "no-access" and answer.summary == "No access: the user is disabled."


def test_data_only_role(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "erik@sandbox.example", "Budget 2026")  # Finance group: dataconsumer
    assert answer.verdict == "no-access" and "only a data role" in answer.summary
    assert ("dataconsumer", "group Finance") in sources(answer)


def test_basicconsumer_in_a_managed_space(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "hana", "carl@sandbox.example", "Budget 2026")
    assert answer.verdict == "view-only" and "basicconsumer" in answer.summary


def test_app_in_someone_elses_personal_space(sandbox: Sandbox) -> None:
    answer = ask(sandbox, "adam", "carl@sandbox.example", "Pipeline (personal)")  # an admin can see it
    assert answer.verdict == "no-access" and "someone else's personal space" in answer.summary
    own = ask(sandbox, "adam", "ann@sandbox.example", "Pipeline (personal)")
    assert own.verdict == "more-than-view"
    with pytest.raises(NotFound, match="cannot see the app"):  # the help desk cannot see it at all
        ask(sandbox, "hana", "carl@sandbox.example", "Pipeline (personal)")


def test_help_desk_cannot_read_one_space(sandbox: Sandbox) -> None:
    tenant = sandbox.tenant
    hr = next(s for s in tenant.spaces.values() if s.name == "HR Confidential")
    from qvupload.sandbox.model import App, Item

    tenant.apps["hr-app"] = App("hr-app", "Salaries", persona(sandbox, "adam")[0], hr.id)
    tenant.items["a" * 24] = Item("a" * 24, "hr-app", "qvapp", persona(sandbox, "adam")[0], persona(sandbox, "adam")[0])
    with pytest.raises(NotFound):
        ask(sandbox, "hana", "ann@sandbox.example", "Salaries")
    seen_by_admin = ask(sandbox, "adam", "ann@sandbox.example", "Salaries")
    assert seen_by_admin.verdict == "view-only"


def test_space_audit_and_cli(sandbox: Sandbox) -> None:
    async def main() -> list[dict[str, Any]]:
        async with CloudClient(sandbox.url, StaticToken(persona(sandbox, "hana")[1])) as client:
            return await audit_space(client, "Finance Reports")

    rows = asyncio.run(main())
    verdicts = {r["email"]: r["verdict"] for r in rows}
    assert verdicts["carl@sandbox.example"] == "view-only"
    assert verdicts["erik@sandbox.example"] == "no-access"
    assert verdicts["dora@sandbox.example"] == "no-access"
    assert verdicts["ann@sandbox.example"] == "more-than-view"
    env = {**os.environ, "QVUPLOAD_API_KEY": persona(sandbox, "hana")[1], "QVUPLOAD_TENANT": sandbox.url}
    out = subprocess.run(
        [sys.executable, "-m", "qvupload", "access", "--space", "Finance Reports", "--csv"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert {r["email"] for r in csv.DictReader(io.StringIO(out))} == set(verdicts)
    one = subprocess.run(
        [
            sys.executable,
            "-m",
            "qvupload",
            "access",
            "--user",
            "carl@sandbox.example",
            "--app",
            "Budget 2026",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(one)
    assert {"verdict", "roles", "reasons", "user", "app", "space"} <= set(data)
    assert data["verdict"] == "view-only" and all({"role", "source"} <= set(r) for r in data["reasons"])
    text = subprocess.run(
        [sys.executable, "-m", "qvupload", "access", "--user", "erik@sandbox.example", "--app", "Budget 2026"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert text.startswith("NO-ACCESS") and "two minutes" in text


def test_unreadable_assignments_make_the_answer_incomplete(sandbox: Sandbox) -> None:
    import httpx

    # the tenant refuses one of the assignment reads (as it does where the asker's rights fall short)
    httpx.post(
        f"{sandbox.url}/__sandbox/faults",
        json={"route": "GET /api/v1/spaces/{spaceId}/assignments", "status": 403, "count": 1},
    )
    answer = ask(sandbox, "hana", "carl@sandbox.example", "Budget 2026")
    assert answer.complete is False and "Incomplete" in answer.summary
    assert any("could not be read with your rights" in note for note in answer.notes)
