"""Import, move, publish and republish over real HTTP, with the sandbox's rights rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.sandbox.tushelp import import_app, upload

Api = Callable[[str], httpx.Client]


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    return write_document(
        tmp_path / "Margins.qvw", SyntheticDocument(datetime(2026, 11, 1, tzinfo=UTC), section_access=True)
    )


def space_id(client: httpx.Client, name: str) -> str:
    data = client.get("/api/v1/spaces", params={"name": name, "limit": 100}).json()["data"]
    return next(s["id"] for s in data if s["name"] == name)


def imported(client: httpx.Client, doc: Path, name: str = "Margins") -> dict[str, object]:
    r = import_app(client, upload(client, doc), name)
    assert r.status_code == 200, r.text
    return r.json()["attributes"]  # type: ignore[no-any-return]


def test_import_lands_in_the_personal_space_with_an_item(api: Api, doc: Path) -> None:
    ann = api("ann")
    app = imported(ann, doc)
    assert app["hasSectionAccess"] is True and app["_resourcetype"] == "qvapp"
    items = ann.get("/api/v1/items", params={"resourceType": "qvapp", "spaceId": "personal", "name": "Margins"})
    (item,) = items.json()["data"]
    assert item["resourceId"] == app["id"] and "spaceId" not in item
    assert ann.get(f"/api/v1/items/{item['id']}").json()["resourceAttributes"]["_resourcetype"] == "qvapp"
    assert api("carl").get(f"/api/v1/apps/{app['id']}").status_code == 404  # someone else's personal space


def test_import_refusals(api: Api, doc: Path, tmp_path: Path) -> None:
    ann = api("ann")
    bogus = tmp_path / "Notes.qvw"
    bogus.write_text("not a document")
    r = import_app(ann, upload(ann, bogus))
    assert r.status_code == 400 and "not a QlikView document" in r.json()["errors"][0]["detail"]
    assert import_app(ann, "000000000000000000000000").status_code == 404
    carl = api("carl")  # analyzer licence
    assert import_app(carl, upload(carl, doc)).status_code == 403
    assert ann.get("/api/v1/apps/privileges").json() == ["can_create_app", "can_import_app"]
    assert carl.get("/api/v1/apps/privileges").json() == []


def test_replace_into_an_existing_app_id(api: Api, control: httpx.Client, doc: Path, tmp_path: Path) -> None:
    ann = api("ann")
    first = imported(ann, doc)
    newer = write_document(tmp_path / "v2.qvw", SyntheticDocument(datetime(2026, 11, 26, tzinfo=UTC)))
    r = import_app(ann, upload(ann, newer), "Margins", appId=str(first["id"]))
    assert r.status_code == 200 and r.json()["attributes"]["id"] == first["id"]
    assert r.json()["attributes"]["lastReloadTime"].startswith("2026-11-26")
    state = control.get("/state").json()
    assert sum(1 for a in state["apps"] if a["name"] == "Margins") == 1


def test_move_to_shared_follows_the_roles(api: Api, doc: Path) -> None:
    ann = api("ann")
    app = imported(ann, doc)
    url = f"/api/v1/apps/{app['id']}/space"
    hr, reports, team = space_id(ann, "HR Confidential"), space_id(ann, "Sales Reports"), space_id(ann, "Sales Team")
    assert ann.put(url, json={"spaceId": hr}).status_code == 403  # consumer there
    assert ann.put(url, json={"spaceId": reports}).status_code == 400  # managed: publish instead
    assert ann.put(url, json={"spaceId": "000000000000000000000000"}).status_code == 404
    moved = ann.put(url, json={"spaceId": team})
    assert moved.status_code == 200 and moved.json()["attributes"]["spaceId"] == team
    carl = api("carl")  # consumer in Sales Team (and producer through a group)
    assert carl.get(f"/api/v1/apps/{app['id']}").status_code == 200
    erik = api("erik")  # data consumer only: cannot open apps
    assert erik.get(f"/api/v1/apps/{app['id']}").status_code == 404
    assert ann.delete(url).json()["attributes"].get("spaceId") is None


def test_publish_and_republish(api: Api, doc: Path, tmp_path: Path) -> None:
    ann = api("ann")
    app = imported(ann, doc)
    reports = space_id(ann, "Sales Reports")
    pub = ann.post(
        f"/api/v1/apps/{app['id']}/publish",
        json={"spaceId": reports, "data": "source", "attributes": {"name": "Margins"}},
    )
    assert pub.status_code == 200
    copy = pub.json()["attributes"]
    assert copy["originAppId"] == app["id"] and copy["published"] is True and copy["spaceId"] == reports
    item = ann.get("/api/v1/items", params={"resourceId": app["id"]}).json()["data"][0]
    published = ann.get(f"/api/v1/items/{item['id']}/publisheditems").json()["data"]
    assert [p["resourceId"] for p in published] == [copy["id"]]
    again = ann.put(
        f"/api/v1/apps/{app['id']}/publish", json={"targetId": copy["id"], "data": "source", "checkOriginAppId": True}
    )
    assert again.status_code == 200 and again.json()["attributes"]["id"] == copy["id"]
    fiona = api("fiona")  # contributor, not publisher, in Sales Reports
    fapp = imported(fiona, doc, "Fiona's")
    assert fiona.post(f"/api/v1/apps/{fapp['id']}/publish", json={"spaceId": reports}).status_code == 403
    team = space_id(ann, "Sales Team")
    assert ann.post(f"/api/v1/apps/{app['id']}/publish", json={"spaceId": team}).status_code == 400
    assert ann.put(f"/api/v1/apps/{app['id']}/publish", json={"targetId": app["id"]}).status_code == 400


def test_read_update_delete(api: Api, doc: Path) -> None:
    ann, carl = api("ann"), api("carl")
    dashboard = ann.get("/api/v1/items", params={"name": "Sales Dashboard", "spaceType": "shared"}).json()["data"][0]
    app_id = dashboard["resourceId"]
    assert carl.get(f"/api/v1/apps/{app_id}").json()["privileges"] == [
        "read",
        "update",
        "delete",
        "change_space",
        "publish",
        "exportdata",
    ]
    hana = api("hana")  # consumer through the Help Desk group
    assert hana.get(f"/api/v1/apps/{app_id}").json()["privileges"] == ["read"]
    assert hana.put(f"/api/v1/apps/{app_id}", json={"attributes": {"name": "x"}}).status_code == 403
    assert hana.delete(f"/api/v1/apps/{app_id}").status_code == 403
    renamed = ann.put(f"/api/v1/apps/{app_id}", json={"attributes": {"name": "Sales Dashboard v2"}})
    assert renamed.json()["attributes"]["name"] == "Sales Dashboard v2"
    mine = imported(ann, doc)
    assert ann.delete(f"/api/v1/apps/{mine['id']}").status_code == 200
    assert ann.get(f"/api/v1/apps/{mine['id']}").status_code == 404
