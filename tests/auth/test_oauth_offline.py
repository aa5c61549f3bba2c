"""qvupload asks for offline_access and gets a refresh token; a sign-in without one is said before
a batch starts, with the time it ends."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import keyring.backends.SecretService
import pytest

from qvupload.auth import oauth
from qvupload.auth.lifetime import sign_in_warning
from qvupload.auth.profiles import ProfileStore
from qvupload.auth.secrets import CredentialStore, Secret
from qvupload.auth.session import Stores, credentials_for, sign_in_with_browser
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID
from tests.auth.test_windows_locker import browser
from tests.contract import ContractChecker, load_specs


@pytest.fixture(scope="module")
def contract(shared: Path) -> ContractChecker:
    return ContractChecker(load_specs(shared / "qlik-cloud-specs"))


def test_qvupload_asks_for_offline_access_and_gets_a_refresh_token(sandbox: Sandbox, contract: ContractChecker) -> None:
    urls: list[str] = []

    async def check(response: httpx.Response) -> None:
        await response.aread()
        contract.check(response)

    async def run() -> oauth.Secret:
        async with httpx.AsyncClient(timeout=30, event_hooks={"response": [check]}) as http:
            return await oauth.browser_sign_in(
                sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox), on_url=urls.append, http=http
            )

    secret = asyncio.run(run())
    (url,) = urls
    assert parse_qs(urlsplit(url).query)["scope"] == ["user_default offline_access"]
    assert secret.refresh_token and len(secret.access_token) >= 1000


def test_a_sign_in_without_refresh_token_is_said_before_a_batch(
    keyring_env: dict[str, str], sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a client that does not ask for offline_access (as qvupload did before): the tenant gives no refresh token
    monkeypatch.setattr(oauth, "SCOPE", "user_default")
    stores = Stores(ProfileStore(tmp_path / "config"), CredentialStore(keyring.backends.SecretService.Keyring()))
    profile = asyncio.run(
        sign_in_with_browser(stores, "default", sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox))
    )
    creds = asyncio.run(credentials_for(stores, profile))
    warning = sign_in_warning(creds, "Sign in again.")
    assert warning is not None and "cannot be renewed" in warning and "ends at" in warning
    doc = write_document(tmp_path / "One.qvw", SyntheticDocument(datetime.now(UTC)))
    upload = subprocess.run(
        [sys.executable, "-m", "qvupload", "upload", str(doc), "--json"],
        env=keyring_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upload.returncode == 0, upload.stderr
    first_line = upload.stderr.splitlines()[0]
    assert "cannot be renewed" in first_line and "ends at" in first_line and "qvupload login --oauth" in first_line

    monkeypatch.setattr(oauth, "SCOPE", "user_default offline_access")
    asyncio.run(sign_in_with_browser(stores, "default", sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox)))
    again = subprocess.run(
        [sys.executable, "-m", "qvupload", "upload", str(doc), "--json"],
        env=keyring_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0 and "cannot be renewed" not in again.stderr, again.stderr


def test_the_sentence_says_when_and_only_when_a_sign_in_cannot_be_renewed() -> None:
    now = 1_800_000_000.0
    lasting = Secret("oauth", access_token="a", refresh_token="r", expires_at=now + 60, issued_at=now)
    assert sign_in_warning(lasting, "x", now=now) is None
    assert sign_in_warning(Secret("api-key", api_key="k"), "x", now=now) is None
    ending = Secret("oauth", access_token="a", expires_at=now + 5400, issued_at=now)
    said = sign_in_warning(ending, "Sign in again.", now=now)
    assert said is not None and "in 90 minutes" in said and said.endswith("Sign in again.")
    at = datetime.fromtimestamp(now + 5400).astimezone().strftime("%H:%M")
    assert f"ends at {at}" in said
    ended = sign_in_warning(ending, "Sign in again.", now=now + 6000)
    assert ended is not None and ended.startswith("Your sign-in ended at")
