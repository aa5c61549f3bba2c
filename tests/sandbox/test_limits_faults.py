"""Rate limits per user and tier with Retry-After, and injected faults."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

Api = Callable[[str], httpx.Client]


def test_429_with_retry_after_per_user_and_tier(api: Api, control: httpx.Client) -> None:
    control.post("/config", json={"rate_limits": {"1": 3, "2": 2}, "rate_window": 2})
    ann, fiona = api("ann"), api("fiona")
    assert [ann.get("/api/v1/spaces").status_code for _ in range(3)] == [200, 200, 200]
    limited = ann.get("/api/v1/spaces")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 2
    assert limited.json()["errors"][0]["title"] == "API rate limit reached."
    assert ann.get("/api/v1/items").status_code == 429  # the whole tier is blocked
    assert fiona.get("/api/v1/spaces").status_code == 200  # other users are not
    assert ann.post("/api/v1/spaces", json={"name": "T2", "type": "shared"}).status_code == 201  # other tier
    time.sleep(int(limited.headers["retry-after"]) + 0.1)
    assert ann.get("/api/v1/spaces").status_code == 200


def test_faults_answer_k_calls_then_stop(api: Api, control: httpx.Client) -> None:
    ann = api("ann")
    for status in (500, 502, 503, 504):
        control.post("/faults", json={"route": "GET /api/v1/spaces", "status": status, "count": 2})
        assert [ann.get("/api/v1/spaces").status_code for _ in range(3)] == [status, status, 200]
    control.post("/faults", json={"route": "GET /api/v1/items", "status": 429, "retry_after": 7})
    r = ann.get("/api/v1/items")
    assert r.status_code == 429 and r.headers["retry-after"] == "7"
    control.post("/faults", json={"route": "*", "latency_ms": 300})
    start = time.monotonic()
    ann.get("/api/v1/users")
    assert time.monotonic() - start >= 0.3
    control.post("/faults", json={"route": "GET /api/v1/users", "status": 503, "count": 5})
    assert len(control.get("/faults").json()) == 1
    assert control.delete("/faults").status_code == 204
    assert ann.get("/api/v1/users").status_code == 200
    assert control.post("/faults", json={"status": 500}).status_code == 400  # no route


def test_state_counts_requests_by_route(api: Api, control: httpx.Client) -> None:
    ann = api("ann")
    for _ in range(3):
        ann.get("/api/v1/spaces")
    assert control.get("/state").json()["request_counts"]["GET /api/v1/spaces"] == 3


def test_expired_api_key_is_401(api: Api, control: httpx.Client, sandbox: object) -> None:
    from tests.conftest import persona

    _, key = persona(sandbox, "ann")  # type: ignore[arg-type]
    control.post("/expire", json={"token": key})
    r = api("ann").get("/api/v1/spaces")
    assert r.status_code == 401 and "expired" in r.json()["errors"][0]["detail"]


def test_carried_out_then_dropped_or_answered_late(api: Api, control: httpx.Client) -> None:
    """The network's faults: the tenant did the work, the client never hears of it (or too late)."""
    ann = api("ann")
    assert control.post("/faults", json={"route": "POST /api/v1/spaces", "then": "drop"}).status_code == 201
    try:
        ann.post("/api/v1/spaces", json={"name": "Dropped", "type": "shared"})
        raise AssertionError("the answer should have been lost")
    except httpx.RemoteProtocolError:
        pass
    assert [s["name"] for s in control.get("/state").json()["spaces"]].count("Dropped") == 1
    control.post("/faults", json={"route": "*", "then": "late", "late_ms": 1500})
    start = time.monotonic()
    try:
        ann.get("/api/v1/users/me", timeout=0.5)
        raise AssertionError("the answer should have come after the time-out")
    except httpx.ReadTimeout:
        pass
    assert time.monotonic() - start < 1.4
    assert control.get("/state").json()["request_counts"]["GET /api/v1/users/me"] == 1
    time.sleep(1.2)  # the late answer goes to a closed connection; the sandbox carries on
    assert ann.post("/api/v1/spaces", json={"name": "Answered", "type": "shared"}).status_code == 201
    assert control.post("/faults", json={"route": "*", "then": "later"}).status_code == 400
