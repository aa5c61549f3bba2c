"""The sandbox's POST /api/v1/items for external items (links to QlikView documents): creation,
the tenant-wide uniqueness of resourceLink, rights in shared and managed spaces, visibility in the
items list and by space. Every answer goes through the contract checker; the spec has no POST, so
the created item is also checked by hand against the spec's item schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from qvupload.sandbox import Sandbox
from qvupload.sandbox.tenant import Tenant
from tests.contract import ERROR_ENVELOPE, ContractChecker

Api = Callable[[str], httpx.Client]
URL = "https://qlikview.example.com/QvAJAXZfc/opendoc.htm?document=Finance%2FBudget.qvw"


@pytest.fixture(scope="module")
def item_schema(shared: Path) -> dict[str, Any]:
    spec = json.loads((shared / "qlik-cloud-specs" / "items.json").read_text(encoding="utf-8"))
    return {**spec["components"]["schemas"]["itemResultResponseBody"], "components": spec["components"]}


def space_id(sandbox: Sandbox, name: str) -> str:
    return next(s.id for s in sandbox.tenant.spaces.values() if s.name == name)


def link(client: httpx.Client, space: str | None, url: str = URL, name: str = "Budget") -> httpx.Response:
    body: dict[str, Any] = {"name": name, "resourceType": "qlikview", "resourceLink": url}
    if space:
        body["spaceId"] = space
    return enveloped(client.post("/api/v1/items", json=body))


def enveloped(answer: httpx.Response) -> httpx.Response:
    """The spec has no POST, so the checker cannot see its errors: check Qlik's envelope here."""
    if answer.status_code >= 400:
        jsonschema.validate(answer.json(), ERROR_ENVELOPE)
    return answer


def listed(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/items", params={"resourceType": "qlikview", **params})
    assert answer.status_code == 200
    data: list[dict[str, Any]] = answer.json()["data"]
    return data


def test_create_then_conflict_and_listed(
    api: Api, sandbox: Sandbox, contract: ContractChecker, item_schema: dict[str, Any]
) -> None:
    ann, carl, erik, hana = api("ann"), api("carl"), api("erik"), api("hana")
    team = space_id(sandbox, "Sales Team")  # ann owns it
    created = link(ann, team)
    assert created.status_code == 201, created.text
    item = created.json()
    jsonschema.validate(item, item_schema)  # the spec's item, by hand (no POST in the spec)
    assert ("POST", "/api/v1/items") in contract.undocumented
    assert item["resourceType"] == "qlikview" and item["resourceLink"] == URL and item["spaceId"] == team
    assert item["name"] == "Budget" and created.headers["location"].endswith(item["id"])

    again = link(ann, team, name="Budget copy")
    assert again.status_code == 409 and "already exists" in again.json()["errors"][0]["detail"]
    elsewhere = link(ann, space_id(sandbox, "Sales Reports"))  # unique in the tenant, not per space
    assert elsewhere.status_code == 409

    assert [i["id"] for i in listed(ann, resourceLink=URL)] == [item["id"]]
    assert [i["id"] for i in listed(ann, spaceId=team)] == [item["id"]]
    assert listed(ann, spaceType="managed") == []
    got = ann.get(f"/api/v1/items/{item['id']}")
    assert got.status_code == 200 and got.json()["resourceLink"] == URL
    # who sees it: members whose role opens the space's content
    assert [i["id"] for i in listed(carl, resourceLink=URL)] == [item["id"]]  # consumer
    assert [i["id"] for i in listed(hana, resourceLink=URL)] == [item["id"]]  # consumer via Help Desk
    assert listed(erik, resourceLink=URL) == []  # dataconsumer only
    assert erik.get(f"/api/v1/items/{item['id']}").status_code == 404
    assert "delete" not in listed(carl, resourceLink=URL)[0]["actions"]
    # the link survives a restart of a tenant with a data folder
    restored = Tenant(sandbox.tenant.data_dir)
    assert [i.resource_link for i in restored.items.values() if i.external] == [URL]


def test_managed_space_and_rights(api: Api, sandbox: Sandbox) -> None:
    ann, fiona, carl = api("ann"), api("fiona"), api("carl")
    reports, finance = space_id(sandbox, "Sales Reports"), space_id(sandbox, "Finance Reports")
    assert link(ann, reports).status_code == 201  # publisher
    refused = link(fiona, reports, URL + "x")  # contributor
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["detail"].startswith("You cannot add items to the managed space Sales Reports")
    assert link(carl, finance, URL + "y").status_code == 403  # analyzer licence
    assert link(fiona, space_id(sandbox, "HR Confidential"), URL + "z").status_code == 404  # cannot see it
    assert [i["name"] for i in listed(fiona, spaceId=reports)] == ["Budget"]  # contributors see content


def test_validation(api: Api, sandbox: Sandbox) -> None:
    ann = api("ann")
    team = space_id(sandbox, "Sales Team")
    for body in (
        {"name": "x", "resourceLink": URL},
        {"name": "x", "resourceType": "qlikview"},
        {"name": "x", "resourceType": "qlikview", "resourceLink": URL, "resourceId": "abc"},
        {"name": "x", "resourceType": "app", "resourceId": "abc"},
        {"name": "x", "resourceType": "qlikview", "resourceLink": "opendoc.htm?document=a"},
        {"name": "", "resourceType": "qlikview", "resourceLink": URL},
        {"name": "x", "resourceType": "qlikview", "resourceLink": URL, "colour": "red"},
    ):
        assert enveloped(ann.post("/api/v1/items", json={**body, "spaceId": team})).status_code == 400, body
    assert ann.get("/api/v1/items", params={"resourceLink": URL}).status_code == 400  # needs resourceType


def test_change_and_delete(api: Api, sandbox: Sandbox) -> None:
    ann, carl = api("ann"), api("carl")
    item = link(ann, space_id(sandbox, "Sales Team")).json()
    assert carl.put(f"/api/v1/items/{item['id']}", json={"resourceType": "qlikview", "name": "n"}).status_code == 403
    renamed = ann.put(f"/api/v1/items/{item['id']}", json={"resourceType": "qlikview", "name": "Budget 2027"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Budget 2027"
    assert carl.delete(f"/api/v1/items/{item['id']}").status_code == 403
    assert ann.delete(f"/api/v1/items/{item['id']}").status_code == 204
    assert listed(ann, resourceLink=URL) == []
    assert link(ann, None).status_code == 201  # personal space: seen by its owner only
    assert listed(carl, resourceLink=URL) == []
