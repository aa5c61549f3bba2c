from __future__ import annotations

from collections.abc import Callable

import httpx


def test_reads_validate(api: Callable[[str], httpx.Client]) -> None:
    ann = api("ann")
    for path in [
        "/api/v1/spaces",
        "/api/v1/items?resourceType=qvapp",
        "/api/v1/users",
        "/api/v1/groups",
        "/api/v1/apps/privileges",
        "/.well-known/oauth-authorization-server",
    ]:
        r = ann.get(path)
        assert r.status_code == 200, (path, r.text)
    me = ann.get("/api/v1/users/me")
    assert me.status_code == 301
    r = ann.get(me.headers["location"])
    assert r.status_code == 200
    spaces = ann.get("/api/v1/spaces").json()["data"]
    for s in spaces:
        ann.get(f"/api/v1/spaces/{s['id']}")
        ann.get(f"/api/v1/spaces/{s['id']}/assignments")
    items = ann.get("/api/v1/items").json()["data"]
    for i in items:
        ann.get(f"/api/v1/items/{i['id']}")
        ann.get(f"/api/v1/items/{i['id']}/publisheditems")
        ann.get(f"/api/v1/apps/{i['resourceId']}")
