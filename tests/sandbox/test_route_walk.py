"""Walks every route the sandbox implements, on its success path and an error path, with every
response checked against Qlik's OpenAPI files; then checks that no route was left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from tests.contract import ContractChecker
from tests.sandbox.test_oauth import REDIRECT, authorize_params, code_from, pkce
from tests.sandbox.tushelp import TUS, create, import_app, patch, upload

Api = Callable[[str], httpx.Client]
NOPE = "000000000000000000000000"


def test_every_route_success_and_error(
    api: Api, sandbox: Sandbox, control: httpx.Client, tmp_path: Path, contract: ContractChecker
) -> None:
    ann, adam, anon = api("ann"), api("adam"), api("anonymous")
    doc = write_document(tmp_path / "Walk.qvw", SyntheticDocument(datetime(2026, 11, 1, tzinfo=UTC)))

    # temp contents
    assert ann.request("OPTIONS", "/api/v1/temp-contents/files").status_code == 204
    location = create(ann, 3)
    assert ann.head(location, headers=TUS).status_code == 200
    assert ann.head(location + "x", headers=TUS).status_code == 404
    assert patch(ann, location, 0, b"abc").status_code == 204
    assert patch(ann, location, 1, b"abc").status_code == 409
    assert anon.post("/api/v1/temp-contents/files", headers={**TUS, "Upload-Length": "1"}).status_code == 401
    simple = ann.post("/api/v1/temp-contents", content=b"x", headers={"Content-Type": "application/octet-stream"})
    assert simple.status_code == 201
    assert ann.get(simple.headers["location"] + "/details").status_code == 200
    assert ann.get(f"/api/v1/temp-contents/{NOPE}/details").status_code == 404
    assert ann.post("/api/v1/temp-contents", params={"ttl": "0"}).status_code == 400

    # apps
    app = import_app(ann, upload(ann, doc), "Walk").json()["attributes"]
    assert import_app(ann, NOPE).status_code == 404
    assert ann.get("/api/v1/apps/privileges").status_code == 200
    assert anon.get("/api/v1/apps/privileges").status_code == 401
    assert ann.get(f"/api/v1/apps/{app['id']}").status_code == 200
    assert anon.get(f"/sense/app/{app['id']}").status_code == 200  # the hub's page ("Open in Qlik Cloud")
    assert anon.get(f"/sense/app/{NOPE}").status_code == 404
    assert ann.get(f"/api/v1/apps/{NOPE}").status_code == 404
    assert ann.put(f"/api/v1/apps/{app['id']}", json={"attributes": {"description": "d"}}).status_code == 200
    assert ann.put(f"/api/v1/apps/{NOPE}", json={"attributes": {}}).status_code == 404
    spaces = {s["name"]: s["id"] for s in adam.get("/api/v1/spaces", params={"limit": 100}).json()["data"]}
    assert ann.put(f"/api/v1/apps/{app['id']}/space", json={"spaceId": spaces["Sales Team"]}).status_code == 200
    assert ann.put(f"/api/v1/apps/{app['id']}/space", json={"spaceId": NOPE}).status_code == 404
    assert ann.delete(f"/api/v1/apps/{app['id']}/space").status_code == 200
    assert ann.delete(f"/api/v1/apps/{NOPE}/space").status_code == 404
    published = ann.post(f"/api/v1/apps/{app['id']}/publish", json={"spaceId": spaces["Sales Reports"]})
    assert published.status_code == 200
    assert ann.post(f"/api/v1/apps/{app['id']}/publish", json={"spaceId": spaces["Sales Team"]}).status_code == 400
    target = published.json()["attributes"]["id"]
    assert ann.put(f"/api/v1/apps/{app['id']}/publish", json={"targetId": target}).status_code == 200
    assert ann.put(f"/api/v1/apps/{app['id']}/publish", json={"targetId": NOPE}).status_code == 404

    # items
    items = ann.get("/api/v1/items", params={"resourceId": app["id"]}).json()["data"]
    assert ann.get("/api/v1/items", params={"spaceType": "moon"}).status_code == 400
    item = items[0]["id"]
    assert ann.get(f"/api/v1/items/{item}").status_code == 200
    assert ann.get(f"/api/v1/items/{NOPE}").status_code == 404
    assert ann.get(f"/api/v1/items/{item}/publisheditems").status_code == 200
    assert ann.get(f"/api/v1/items/{NOPE}/publisheditems").status_code == 404
    assert ann.put(f"/api/v1/items/{item}", json={"name": "Walked"}).status_code == 200
    link = {"name": "Walk link", "resourceType": "qlikview", "resourceLink": "https://qv.example.com/QvAJAXZfc/x"}
    assert ann.post("/api/v1/items", json=link).status_code == 201
    assert ann.post("/api/v1/items", json=link).status_code == 409
    assert api("carl").put(f"/api/v1/items/{item}", json={"name": "x"}).status_code == 404
    assert ann.delete(f"/api/v1/apps/{app['id']}").status_code == 200
    assert ann.delete(f"/api/v1/apps/{NOPE}").status_code == 404
    copy_item = ann.get("/api/v1/items", params={"resourceId": target}).json()["data"][0]["id"]
    assert ann.delete(f"/api/v1/items/{NOPE}").status_code == 404
    assert api("carl").delete(f"/api/v1/items/{copy_item}").status_code == 403
    assert adam.delete(f"/api/v1/items/{copy_item}").status_code == 204

    # spaces and assignments
    created = adam.post("/api/v1/spaces", json={"name": "Walk Space", "type": "managed"}).json()
    assert anon.post("/api/v1/spaces", json={"name": "x", "type": "shared"}).status_code == 401
    assert adam.get(f"/api/v1/spaces/{created['id']}").status_code == 200
    assert ann.get(f"/api/v1/spaces/{created['id']}").status_code == 404
    url = f"/api/v1/spaces/{created['id']}/assignments"
    uid = ann.get(ann.get("/api/v1/users/me").headers["location"]).json()["id"]
    a = adam.post(url, json={"type": "user", "assigneeId": uid, "roles": ["consumer"]}).json()
    assert adam.post(url, json={"type": "user", "assigneeId": uid, "roles": ["consumer"]}).status_code == 409
    assert adam.get(url).status_code == 200
    assert adam.get(f"/api/v1/spaces/{NOPE}/assignments").status_code == 404
    assert adam.get(f"{url}/{a['id']}").status_code == 200
    assert adam.get(f"{url}/{NOPE}").status_code == 404
    assert adam.put(f"{url}/{a['id']}", json={"roles": ["consumer", "publisher"]}).status_code == 200
    assert adam.put(f"{url}/{a['id']}", json={"roles": ["producer"]}).status_code == 400
    assert ann.delete(f"{url}/{a['id']}").status_code == 403
    assert adam.delete(f"{url}/{a['id']}").status_code == 204

    # people
    assert ann.get("/api/v1/users", params={"filter": 'name eq "Ann Baker"'}).status_code == 200
    assert ann.get("/api/v1/users", params={"filter": "name eq"}).status_code == 400
    assert anon.get("/api/v1/users/me").status_code == 401
    assert ann.post("/api/v1/users/actions/filter", json={"filter": 'email co "@"'}).status_code == 200
    assert ann.post("/api/v1/users/actions/filter", json={"filter": "(("}).status_code == 400
    assert ann.get(f"/api/v1/users/{uid}").status_code == 200
    groups = ann.get("/api/v1/groups").json()["data"]
    assert ann.get("/api/v1/groups", params={"filter": "name xx 1"}).status_code == 400
    assert ann.post("/api/v1/groups/actions/filter", json={"filter": 'name co "a"'}).status_code == 200
    assert ann.post("/api/v1/groups/actions/filter", json={"filter": "bad"}).status_code == 400
    assert ann.get(f"/api/v1/groups/{groups[0]['id']}").status_code == 200
    assert ann.get(f"/api/v1/groups/{NOPE}").status_code == 404

    # OAuth
    assert anon.get("/.well-known/oauth-authorization-server").status_code == 200
    verifier, challenge = pkce()
    login = anon.get("/oauth/authorize", params=authorize_params(challenge))
    assert anon.get("/oauth/authorize", params={"client_id": "unknown"}).status_code == 400
    assert anon.get(login.headers["location"]).status_code == 200
    assert anon.get("/oauth/login", params={"client_id": "unknown"}).status_code == 400
    approved = anon.post("/oauth/login", data={**authorize_params(challenge), "user_id": uid})
    assert anon.post("/oauth/login", data={**authorize_params(challenge), "user_id": "x"}).status_code == 400
    code, _ = code_from(approved.headers["location"])
    tokens = anon.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "client_id": "qvupload-desktop",
            "redirect_uri": REDIRECT,
        },
    ).json()
    assert anon.post("/oauth/token", json={"grant_type": "refresh_token", "refresh_token": "x"}).status_code == 401
    assert anon.post("/oauth/revoke", json={"token": tokens["refresh_token"]}).status_code == 200
    assert anon.post("/oauth/revoke", data={}).status_code == 400

    # control routes
    assert control.post("/faults", json={"route": "GET /api/v1/users", "status": 500}).status_code == 201
    assert control.post("/faults", json={"bogus": 1}).status_code == 400
    assert control.get("/faults").status_code == 200
    assert control.delete("/faults").status_code == 204
    assert control.post("/config", json={"access_token_ttl": 3600}).status_code == 200
    assert control.post("/config", json={"colour": "red"}).status_code == 400
    assert control.post("/expire", json={"upload": NOPE}).status_code == 200

    counts = control.get("/state").json()["request_counts"]
    routes = {route.key for route in sandbox.router.routes}
    assert routes - set(counts) == set(), "routes never walked"
    # every documented operation was checked against a spec on at least one answer
    documented_errors = {(m, s) for m, _, s in contract.checked if s >= 400}
    assert documented_errors, "error answers were checked too"
