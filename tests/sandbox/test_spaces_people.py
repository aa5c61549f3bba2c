"""Spaces, assignments, users and groups: filters, paging, 409s and rights."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.conftest import persona

Api = Callable[[str], httpx.Client]


def _space(client: httpx.Client, name: str) -> dict[str, object]:
    return next(s for s in client.get("/api/v1/spaces", params={"limit": 100}).json()["data"] if s["name"] == name)


def test_space_lists_are_per_caller(api: Api) -> None:
    ann, hana = api("ann"), api("hana")
    names = {s["name"] for s in ann.get("/api/v1/spaces", params={"limit": 100}).json()["data"]}
    assert {"Sales Team", "HR Confidential", "Sales Reports", "Finance Reports"} <= names
    assert "HR Confidential" not in {s["name"] for s in hana.get("/api/v1/spaces").json()["data"]}
    hr = _space(ann, "HR Confidential")
    assert hana.get(f"/api/v1/spaces/{hr['id']}").status_code == 404
    publishable = ann.get("/api/v1/spaces", params={"action": "publish"}).json()
    assert {s["name"] for s in publishable["data"]} == {"Sales Reports", "Finance Reports"}
    assert publishable["meta"]["count"] == 2
    managed = ann.get("/api/v1/spaces", params={"type": "managed", "limit": 100}).json()["data"]
    assert {s["type"] for s in managed} == {"managed"}
    team = _space(ann, "Sales Team")
    assert team["meta"]["roles"] == ["codeveloper", "consumer", "dataconsumer", "facilitator", "producer"]  # owner
    assert ann.get("/api/v1/spaces", params={"type": "private"}).status_code == 400


def test_paging_follows_links(api: Api) -> None:
    ann = api("ann")
    seen: list[str] = []
    url: str | None = "/api/v1/spaces?limit=2"
    pages = 0
    while url:
        page = ann.get(url).json()
        seen += [s["id"] for s in page["data"]]
        url = page["links"].get("next", {}).get("href")
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 5
    last = ann.get("/api/v1/spaces?limit=2").json()
    second = ann.get(last["links"]["next"]["href"]).json()
    back = ann.get(second["links"]["prev"]["href"]).json()
    assert [s["id"] for s in back["data"]] == [s["id"] for s in last["data"]]
    assert ann.get("/api/v1/spaces?next=garbage!").status_code == 400
    assert ann.get("/api/v1/items?limit=500").status_code == 400


def test_assignments_one_per_assignee_and_409(api: Api, sandbox: object) -> None:
    adam = api("adam")
    reports = _space(adam, "Sales Reports")
    url = f"/api/v1/spaces/{reports['id']}/assignments"
    carl_id, _ = persona(sandbox, "carl")  # type: ignore[arg-type]
    created = adam.post(url, json={"type": "user", "assigneeId": carl_id, "roles": ["consumer"]})
    assert created.status_code == 201
    again = adam.post(url, json={"type": "user", "assigneeId": carl_id, "roles": ["publisher"]})
    assert again.status_code == 409
    existing = adam.get(url, params={"assigneeId": carl_id}).json()["data"]
    assert len(existing) == 1
    merged = adam.put(f"{url}/{existing[0]['id']}", json={"roles": ["consumer", "publisher"]})
    assert merged.json()["roles"] == ["consumer", "publisher"]
    assert adam.get(f"{url}/{existing[0]['id']}").json()["roles"] == ["consumer", "publisher"]
    assert adam.post(url, json={"type": "user", "assigneeId": carl_id, "roles": ["producer"]}).status_code in (400, 409)
    bad_role = adam.post(url, json={"type": "group", "assigneeId": "000000000000000000000001", "roles": ["producer"]})
    assert bad_role.status_code == 400  # producer is not a managed-space role
    owner_listed = [
        a for a in adam.get(url, params={"limit": 100}).json()["data"] if a["assigneeId"] == reports["ownerId"]
    ]
    assert owner_listed == []
    assert api("carl").post(url, json={"type": "user", "assigneeId": carl_id, "roles": ["consumer"]}).status_code == 403
    assert adam.delete(f"{url}/{existing[0]['id']}").status_code == 204
    assert adam.get(f"{url}/{existing[0]['id']}").status_code == 404


def test_create_space(api: Api) -> None:
    ann, adam = api("ann"), api("adam")
    created = ann.post("/api/v1/spaces", json={"name": "Ann's Team", "type": "shared"})
    assert created.status_code == 201 and created.json()["ownerId"] == persona_id(ann)
    assert ann.post("/api/v1/spaces", json={"name": "ann's team", "type": "shared"}).status_code == 409
    assert ann.post("/api/v1/spaces", json={"name": "Board", "type": "managed"}).status_code == 403
    assert adam.post("/api/v1/spaces", json={"name": "Board", "type": "managed"}).status_code == 201


def persona_id(client: httpx.Client) -> str:
    return str(client.get(client.get("/api/v1/users/me").headers["location"]).json()["id"])


def test_user_filters(api: Api) -> None:
    hana = api("hana")

    def names(flt: str) -> set[str]:
        r = hana.get("/api/v1/users", params={"filter": flt})
        assert r.status_code == 200, r.text
        return {u["name"] for u in r.json()["data"]}

    assert names('email eq "carl@sandbox.example"') == {"Carl Consumer"}
    assert names('name co "a" and status eq "disabled"') == {"Dora Disabled"}
    assert names('(email eq "ann@sandbox.example") or (email eq "erik@sandbox.example")') == {"Ann Baker", "Erik Data"}
    sales = hana.get("/api/v1/groups", params={"filter": 'name eq "Sales"'}).json()["data"][0]
    assert names(f'assignedGroups.id eq "{sales["id"]}"') == {"Carl Consumer", "Fiona Producer"}
    assert hana.get("/api/v1/users", params={"filter": 'email gt "a"'}).status_code == 400
    r = hana.post("/api/v1/users/actions/filter", json={"filter": 'name sw "Ha"'})
    assert [u["name"] for u in r.json()["data"]] == ["Hana Help"]
    assert hana.get("/api/v1/users/000000000000000000000000").status_code == 404
    everyone = hana.get("/api/v1/groups", params={"systemGroups": "true", "filter": 'name eq "com.qlik.Everyone"'})
    assert everyone.json()["data"][0]["id"] == "000000000000000000000001"
    assert hana.get("/api/v1/groups/000000000000000000000001").json()["name"] == "com.qlik.Everyone"
    assert hana.post("/api/v1/groups/actions/filter", json={"filter": 'name co "sales"'}).json()["data"]


def test_items_filters_and_sorting(api: Api) -> None:
    adam = api("adam")
    names = [
        i["name"] for i in adam.get("/api/v1/items", params={"sort": "+name", "resourceType": "qvapp"}).json()["data"]
    ]
    assert names == sorted(names, key=str.lower)
    managed = adam.get("/api/v1/items", params={"spaceType": "managed"}).json()["data"]
    assert {i["name"] for i in managed} == {"Sales Dashboard", "Budget 2026"}
    assert adam.get("/api/v1/items", params={"resourceType": "excel"}).status_code == 400
    assert adam.get("/api/v1/items", params={"query": "scratch"}).json()["data"][0]["name"] == "Admin Scratchpad"
    no_actions = adam.get("/api/v1/items", params={"noActions": "true"}).json()["data"][0]
    assert no_actions["actions"] == []


def test_unauthenticated_and_disabled(api: Api) -> None:
    anon = api("anonymous")
    r = anon.get("/api/v1/spaces")
    assert r.status_code == 401 and r.json()["errors"][0]["title"] == "Unauthorized"
    assert api("dora").get("/api/v1/spaces").status_code == 403
