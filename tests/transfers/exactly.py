"""Helpers for the exactly-once tests: what the tenant holds for a document, and faults."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx

from qvupload.cloud import CloudClient
from tests.contract import ContractChecker

IMPORT = "POST /api/v1/apps/import"
TUS_CREATE = "POST /api/v1/temp-contents/files"
MOVE = "PUT /api/v1/apps/{appId}/space"
PUBLISH = "POST /api/v1/apps/{appId}/publish"
REPUBLISH = "PUT /api/v1/apps/{appId}/publish"
ASSIGN = "POST /api/v1/spaces/{spaceId}/assignments"
REASSIGN = "PUT /api/v1/spaces/{spaceId}/assignments/{assignmentId}"


def state(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/__sandbox/state").json()  # type: ignore[no-any-return]


def add_fault(url: str, **spec: object) -> None:
    response = httpx.post(f"{url}/__sandbox/faults", json=spec)
    assert response.status_code == 201, response.text


def checked(client: CloudClient, contract: ContractChecker) -> CloudClient:
    """Every answer the client gets goes through the contract checker."""

    async def check(response: httpx.Response) -> None:
        await response.aread()
        contract.check(response)

    client.http.event_hooks["response"].append(check)
    return client


def assert_exactly_one(url: str, doc: Path, target: str) -> dict[str, Any]:
    """One app for the document in its target (the right bytes), and in a managed space one
    published copy of it. Returns the app."""
    now = state(url)
    spaces = {s["name"]: s["id"] for s in now["spaces"]}
    mine = [a for a in now["apps"] if a["name"] == doc.stem and not a["origin_app_id"]]
    assert len(mine) == 1, [(a["id"], a["space_id"]) for a in mine]
    (app,) = mine
    assert app["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
    kind, _, space = target.partition(":")
    if kind == "shared":
        assert app["space_id"] == spaces[space]
    else:
        assert app["space_id"] in (None, "")
    copies = [a for a in now["apps"] if a["origin_app_id"] == app["id"]]
    if kind == "managed":
        assert [c["space_id"] for c in copies] == [spaces[space]], copies
    else:
        assert copies == []
    return app


def assert_one_assignment_each(url: str, space: str, emails: dict[str, set[str]]) -> None:
    """Each of these users has exactly one assignment in the space, holding at least these roles."""
    now = state(url)
    space_id = next(s["id"] for s in now["spaces"] if s["name"] == space)
    for email, roles in emails.items():
        user_id = next(u["id"] for u in now["users"] if u["email"] == email)
        found = [a for a in now["assignments"] if a["space_id"] == space_id and a["assignee_id"] == user_id]
        assert len(found) == 1, found
        assert roles <= set(found[0]["roles"]), found
