"""Signing in against the sandbox with a real keyring: API keys, the browser flow (driven by the
test over HTTP), refresh during an upload, and the command line."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import keyring.backends.SecretService
import pytest

from qvupload.auth import oauth
from qvupload.auth.oauth import OAuthCredentials, OAuthError, browser_sign_in
from qvupload.auth.profiles import ProfileStore
from qvupload.auth.secrets import CredentialStore
from qvupload.auth.session import Stores, credentials_for, sign_in_with_api_key, sign_in_with_browser, sign_out
from qvupload.cloud import CloudClient
from qvupload.cloud.errors import SignInError
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID
from qvupload.transfers import TransferQueue, TransferStore
from tests.conftest import persona


@pytest.fixture
def stores(keyring_env: dict[str, str], tmp_path: Path) -> Stores:
    return Stores(ProfileStore(tmp_path / "config"), CredentialStore(keyring.backends.SecretService.Keyring()))


def browser(sandbox: Sandbox) -> object:
    """Plays the user's browser: follows the authorize redirect (auto-approved) to the listener."""
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]

    def open_url(url: str) -> bool:
        httpx.get(url, follow_redirects=True, timeout=10)
        return True

    return open_url


def test_api_key_is_checked_before_it_is_stored(stores: Stores, sandbox: Sandbox) -> None:
    with pytest.raises(SignInError):
        asyncio.run(sign_in_with_api_key(stores, "acme", sandbox.url, "wrong-key"))
    assert stores.secrets.get("acme") is None
    profile = asyncio.run(sign_in_with_api_key(stores, "acme", sandbox.url, persona(sandbox, "ann")[1]))
    assert (profile.user_name, profile.user_email) == ("Ann Baker", "ann@sandbox.example")
    assert stores.profiles.get().name == "acme"
    assert "qvk_" not in stores.profiles.path.read_text()


def test_browser_sign_in_stores_tokens_and_refreshes(stores: Stores, sandbox: Sandbox) -> None:
    profile = asyncio.run(
        sign_in_with_browser(stores, "oa", sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox))
    )
    assert profile.kind == "oauth" and profile.user_email == "ann@sandbox.example"
    stored = stores.secrets.get("oa")
    assert stored is not None and stored.access_token and stored.refresh_token

    async def use() -> str:
        creds = await credentials_for(stores, profile)
        assert isinstance(creds, OAuthCredentials)
        fresh = await creds.refresh()
        assert fresh and fresh != stored.access_token
        async with CloudClient(profile.tenant, creds) as client:
            me = await client.json("GET", "/api/v1/users/me", doing="check")
        return str(me["email"])

    assert asyncio.run(use()) == "ann@sandbox.example"
    rotated = stores.secrets.get("oa")
    assert rotated is not None and rotated.refresh_token != stored.refresh_token  # rotation was saved
    old = httpx.post(
        f"{sandbox.url}/oauth/token", data={"grant_type": "refresh_token", "refresh_token": stored.refresh_token}
    )
    assert old.status_code == 401
    asyncio.run(sign_out(stores, profile))
    assert stores.secrets.get("oa") is None
    after = httpx.get(f"{sandbox.url}/api/v1/spaces", headers={"Authorization": f"Bearer {rotated.access_token}"})
    assert after.status_code == 401  # revoked at the tenant


def test_wrong_state_is_rejected(sandbox: Sandbox) -> None:
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]

    def tampering_browser(url: str) -> bool:
        location = httpx.get(url).headers["location"]
        httpx.get(location.replace("state=", "state=forged"))
        return True

    with pytest.raises(OAuthError, match="state mismatch"):
        asyncio.run(browser_sign_in(sandbox.url, NATIVE_CLIENT_ID, open_browser=tampering_browser, timeout=10))


def test_wrong_verifier_is_rejected(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    real = oauth.pkce_pair
    monkeypatch.setattr(oauth, "pkce_pair", lambda: (real()[0], real()[1]))  # verifier of another pair
    with pytest.raises(OAuthError, match="code_verifier"):
        asyncio.run(browser_sign_in(sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox), timeout=10))


def test_token_expiring_mid_upload_is_refreshed_without_restarting(
    stores: Stores,
    sandbox: Sandbox,
    tmp_path: Path,
) -> None:
    sandbox.config.access_token_ttl = 2  # the upload below takes about four seconds
    profile = asyncio.run(
        sign_in_with_browser(stores, "oa", sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox))
    )
    doc = write_document(tmp_path / "Big.qvw", SyntheticDocument(datetime.now(UTC), size=200 * 1024 * 1024))
    httpx.post(
        f"{sandbox.url}/__sandbox/faults",
        json={"route": "PATCH /api/v1/temp-contents/files/{id}", "bandwidth_bps": 50_000_000, "count": 1000},
    )

    async def run() -> list[object]:
        creds = await credentials_for(stores, profile)
        async with CloudClient(profile.tenant, creds) as client:
            queue = TransferQueue(client, TransferStore(tmp_path / "q.sqlite3"), chunk_size=256 * 1024 * 1024)
            jobs = queue.add([doc], "personal", policy="skip", allow_stale=True)
            await queue.run()
            return jobs  # type: ignore[return-value]

    (job,) = asyncio.run(run())
    assert job.state == "done", job.message  # type: ignore[attr-defined]
    state = httpx.get(f"{sandbox.url}/__sandbox/state").json()
    assert len(state["temp_files"]) == 1  # the upload was not restarted
    (app,) = [a for a in state["apps"] if a["name"] == "Big"]
    assert app["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
    assert state["request_counts"].get("POST /oauth/token", 0) >= 2  # sign-in plus at least one refresh


def test_command_line_login_upload_logout(keyring_env: dict[str, str], sandbox: Sandbox, tmp_path: Path) -> None:
    env = dict(keyring_env)
    key = persona(sandbox, "ann")[1]
    login = subprocess.run(
        [sys.executable, "-m", "qvupload", "login", "--tenant", sandbox.url, "--api-key-stdin"],
        input=key + "\n",
        env=env,
        capture_output=True,
        text=True,
    )
    assert login.returncode == 0, login.stderr
    assert "Ann Baker <ann@sandbox.example>" in login.stdout and key not in login.stdout + login.stderr
    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "qvupload", "profiles", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert listed == [
        {
            "name": "default",
            "tenant": sandbox.url,
            "kind": "api-key",
            "user": "Ann Baker",
            "email": "ann@sandbox.example",
            "default": True,
        }
    ]
    doc = write_document(tmp_path / "Cli.qvw", SyntheticDocument(datetime.now(UTC)))
    upload = subprocess.run(
        [sys.executable, "-m", "qvupload", "upload", str(doc), "--json"], env=env, capture_output=True, text=True
    )
    assert upload.returncode == 0 and json.loads(upload.stdout)["status"] == "uploaded", upload.stderr
    # OAuth from the command line: BROWSER is the user's browser; curl follows the redirects
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]
    oauth_env = {**env, "BROWSER": "curl -s -L -o /dev/null %s"}
    login2 = subprocess.run(
        [
            sys.executable,
            "-m",
            "qvupload",
            "login",
            "--profile",
            "browser",
            "--tenant",
            sandbox.url,
            "--oauth",
            "--client-id",
            NATIVE_CLIENT_ID,
        ],
        env=oauth_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert login2.returncode == 0, login2.stderr
    out = subprocess.run(
        [sys.executable, "-m", "qvupload", "logout", "--profile", "browser"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0 and "Signed out" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "qvupload", "login", "--tenant", sandbox.url, "--api-key", key],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2  # a key is never accepted as an argument
    assert os.environ.get("QVUPLOAD_API_KEY") is None
