"""Refresh tokens only with offline_access, and access tokens shaped and sized like Qlik Cloud's.

Sources: docs/reference-notes/oauth-offline-access-and-token-shape.md."""

from __future__ import annotations

import base64
import json
import re
import time

import httpx
import pytest

from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID
from tests.conftest import persona
from tests.sandbox.test_oauth import REDIRECT, Api, authorize_params, code_from, pkce

B64URL = re.compile(r"^[A-Za-z0-9_-]+$")


def _sign_in(anon: httpx.Client, sandbox: Sandbox, scope: str) -> dict[str, object]:
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]
    verifier, challenge = pkce()
    redirect = anon.get("/oauth/authorize", params=authorize_params(challenge, scope=scope))
    code, _ = code_from(redirect.headers["location"])
    answer = anon.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "client_id": NATIVE_CLIENT_ID,
            "redirect_uri": REDIRECT,
        },
    )
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("scope", ["user_default", "", "offline_accessx user_default"])
def test_without_offline_access_no_refresh_token(api: Api, sandbox: Sandbox, scope: str) -> None:
    body = _sign_in(api("anonymous"), sandbox, scope)
    assert "refresh_token" not in body
    assert "offline_access" not in str(body["scope"]).split() and "user_default" in str(body["scope"]).split()
    kinds = [t.kind for t in sandbox.tenant.tokens.values() if t.user_id == persona(sandbox, "ann")[0]]
    assert "refresh" not in kinds


def test_with_offline_access_a_refresh_token_that_keeps_the_scope(api: Api, sandbox: Sandbox) -> None:
    anon = api("anonymous")
    body = _sign_in(anon, sandbox, "user_default offline_access")
    assert body["refresh_token"] and set(str(body["scope"]).split()) == {"user_default", "offline_access"}
    again = anon.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
    assert again.status_code == 200 and again.json()["refresh_token"] not in ("", body["refresh_token"])


def _decode(part: str) -> dict[str, object]:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # type: ignore[no-any-return]


def test_access_tokens_are_jwt_shaped_long_and_expire_on_time(api: Api, sandbox: Sandbox) -> None:
    anon = api("anonymous")
    sandbox.config.access_token_ttl = 2
    before = int(time.time())
    body = _sign_in(anon, sandbox, "user_default offline_access")
    token = str(body["access_token"])
    assert 1000 <= len(token) <= 1600, len(token)
    parts = token.split(".")
    assert len(parts) == 3 and all(B64URL.match(p) for p in parts)
    header, payload = _decode(parts[0]), _decode(parts[1])
    assert header["typ"] == "JWT" and header["alg"]
    assert {"iss", "sub", "aud", "exp", "iat", "jti", "scope"} <= payload.keys()
    assert payload["aud"] == sandbox.url and payload["sub"] == persona(sandbox, "ann")[0]
    assert before <= int(payload["iat"]) <= int(payload["exp"]) - 2  # type: ignore[call-overload]
    assert len(base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))) == 512
    refresh = str(body["refresh_token"])
    assert "." not in refresh and len(refresh) >= 64  # opaque
    other = _sign_in(anon, sandbox, "user_default offline_access")
    assert other["access_token"] != token  # a jti of its own
    me = {"Authorization": f"Bearer {token}"}
    assert anon.get("/api/v1/spaces", headers=me).status_code == 200
    time.sleep(2.2)
    assert anon.get("/api/v1/spaces", headers=me).status_code == 401  # expired on time
