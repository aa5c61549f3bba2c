"""OAuth 2.0 authorization code + PKCE (S256), refresh rotation, expiry and revocation."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx

from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID

Api = Callable[[str], httpx.Client]
REDIRECT = "http://127.0.0.1:53682/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def authorize_params(
    challenge: str, state: str = "st-123", scope: str = "user_default offline_access"
) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": NATIVE_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def code_from(location: str) -> tuple[str, str]:
    query = parse_qs(urlsplit(location).query)
    return query["code"][0], query["state"][0]


def test_code_flow_through_the_approval_page(api: Api, sandbox: Sandbox) -> None:
    anon = api("anonymous")
    verifier, challenge = pkce()
    to_login = anon.get("/oauth/authorize", params=authorize_params(challenge))
    assert to_login.status_code == 302
    page = anon.get(to_login.headers["location"])
    assert page.status_code == 200 and "Approve as Ann Baker" in page.text
    ann_id = re.search(r'value="([0-9a-f]{24})">Approve as Ann Baker', page.text).group(1)  # type: ignore[union-attr]
    approved = anon.post("/oauth/login", data={**authorize_params(challenge), "user_id": ann_id})
    assert approved.status_code == 302
    code, state = code_from(approved.headers["location"])
    assert state == "st-123" and approved.headers["location"].startswith(REDIRECT)
    token = anon.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "client_id": NATIVE_CLIENT_ID,
            "redirect_uri": REDIRECT,
        },
    )
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0 and body["refresh_token"]
    me = httpx.get(
        f"{sandbox.url}/api/v1/users/me",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        follow_redirects=True,
    )
    assert me.json()["id"] == ann_id


def _tokens(anon: httpx.Client, sandbox: Sandbox) -> dict[str, object]:
    sandbox.config.auto_approve_user = next(u for u, p in sandbox.tenant.personas.items() if p == "business")
    verifier, challenge = pkce()
    redirect = anon.get("/oauth/authorize", params=authorize_params(challenge))
    code, _ = code_from(redirect.headers["location"])
    return anon.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "client_id": NATIVE_CLIENT_ID,
            "redirect_uri": REDIRECT,
        },
    ).json()  # type: ignore[no-any-return]


def test_wrong_verifier_and_reused_code_are_rejected(api: Api, sandbox: Sandbox) -> None:
    anon = api("anonymous")
    sandbox.config.auto_approve_user = next(iter(sandbox.tenant.users))
    verifier, challenge = pkce()
    code, _ = code_from(anon.get("/oauth/authorize", params=authorize_params(challenge)).headers["location"])
    wrong = anon.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": "nope" * 12,
            "client_id": NATIVE_CLIENT_ID,
            "redirect_uri": REDIRECT,
        },
    )
    assert wrong.status_code == 400 and "code_verifier" in wrong.json()["errors"][0]["detail"]
    reused = anon.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "client_id": NATIVE_CLIENT_ID,
            "redirect_uri": REDIRECT,
        },
    )
    assert reused.status_code == 401  # a code works once, even after a failed try
    bad = anon.get("/oauth/authorize", params={**authorize_params(challenge), "code_challenge_method": "plain"})
    assert bad.status_code == 400
    other = anon.get(
        "/oauth/authorize", params={**authorize_params(challenge), "redirect_uri": "https://evil.example/cb"}
    )
    assert other.status_code == 400
    assert anon.post("/oauth/token", json={"grant_type": "password"}).status_code == 400


def test_refresh_rotates_and_expiry_and_revoke(api: Api, sandbox: Sandbox) -> None:
    anon = api("anonymous")
    sandbox.config.access_token_ttl = 1
    first = _tokens(anon, sandbox)
    client = httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {first['access_token']}"})
    assert client.get("/api/v1/spaces").status_code == 200
    time.sleep(1.2)
    assert client.get("/api/v1/spaces").status_code == 401
    refreshed = anon.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != first["refresh_token"]
    again = anon.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert again.status_code == 401  # rotated: the old refresh token is spent
    sandbox.config.access_token_ttl = 3600
    second = anon.post(
        "/oauth/token", json={"grant_type": "refresh_token", "refresh_token": refreshed.json()["refresh_token"]}
    ).json()
    headers = {"Authorization": f"Bearer {second['access_token']}"}
    assert httpx.get(f"{sandbox.url}/api/v1/spaces", headers=headers).status_code == 200
    assert anon.post("/oauth/revoke", json={"token": second["access_token"]}).status_code == 200
    assert httpx.get(f"{sandbox.url}/api/v1/spaces", headers=headers).status_code == 401
    assert anon.post("/oauth/revoke", json={}).status_code == 400
    meta = anon.get("/.well-known/oauth-authorization-server").json()
    assert meta["token_endpoint"] == f"{sandbox.url}/oauth/token"
    client.close()
