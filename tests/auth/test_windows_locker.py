"""Every keyring entry fits the Windows Credential Locker (2,560 bytes, UTF-16), with OAuth tokens of
the size Qlik Cloud issues: a full browser sign-in, a batch that outlives its access tokens (so the
sign-in is refreshed and rotated several times), and sign-out, against the sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from qvupload.auth.profiles import ProfileStore
from qvupload.auth.secrets import SERVICE, CredentialStore, Secret
from qvupload.auth.session import Stores, credentials_for, sign_in_with_browser, sign_out
from qvupload.auth.split_entries import Entries
from qvupload.cloud import CloudClient
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID
from qvupload.transfers import TransferQueue, TransferStore
from tests.auth.locker import CRED_MAX_CREDENTIAL_BLOB_SIZE, EmulatedWinVault, LimitedSecretService, LockerError
from tests.conftest import persona

Limited = EmulatedWinVault | LimitedSecretService


@pytest.fixture(params=["emulated-winvault", "limited-secret-service"])
def limited(request: pytest.FixtureRequest) -> Limited:
    if request.param == "emulated-winvault":
        return EmulatedWinVault()
    request.getfixturevalue("keyring_env")  # a real gnome-keyring on a private D-Bus
    return LimitedSecretService()


def browser(sandbox: Sandbox) -> object:
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]

    def open_url(url: str) -> bool:
        httpx.get(url, follow_redirects=True, timeout=10)
        return True

    return open_url


def test_the_backends_refuse_what_windows_refuses(limited: Limited) -> None:
    limited.set_password("qvupload-test", "fits", "x" * 1280)
    assert limited.get_password("qvupload-test", "fits") == "x" * 1280
    with pytest.raises(LockerError, match="The stub received bad data"):
        limited.set_password("qvupload-test", "too-long", "x" * 1281)
    limited.delete_password("qvupload-test", "fits")


def test_oauth_sign_in_batch_refresh_and_sign_out_fit_the_locker(
    limited: Limited, sandbox: Sandbox, control: httpx.Client, tmp_path: Path
) -> None:
    stores = Stores(ProfileStore(tmp_path / "config"), CredentialStore(limited))
    ttl = 2
    assert control.post("/config", json={"access_token_ttl": ttl}).status_code == 200
    profile = asyncio.run(
        sign_in_with_browser(stores, "oa", sandbox.url, NATIVE_CLIENT_ID, open_browser=browser(sandbox))
    )
    first = stores.secrets.get("oa")
    assert first is not None and first.refresh_token
    assert 1000 <= len(first.access_token) <= 1600, len(first.access_token)
    assert len(first.to_json()) > 1280  # more than one Locker entry can hold

    docs = [write_document(tmp_path / f"Batch {n}.qvw", SyntheticDocument(datetime.now(UTC))) for n in range(4)]
    patch = "PATCH /api/v1/temp-contents/files/{id}"
    control.post("/faults", json={"route": patch, "latency_ms": 1000, "count": 1000})

    async def batch() -> list[str]:
        creds = await credentials_for(stores, profile)
        async with CloudClient(profile.tenant, creds) as client:
            queue = TransferQueue(client, TransferStore(tmp_path / "q.sqlite3"), concurrency=1)
            jobs = queue.add(docs, "personal", policy="skip", allow_stale=True)
            await queue.run()
            return [f"{j.state}: {j.message}" for j in jobs]

    started = time.monotonic()
    states = asyncio.run(batch())
    elapsed = time.monotonic() - started
    assert all(s.startswith("done") for s in states), states
    assert elapsed > 2 * ttl  # the batch outlived more than one access token
    state = control.get("/state").json()
    assert sorted(a["name"] for a in state["apps"] if a["name"].startswith("Batch")) == [f"Batch {n}" for n in range(4)]
    refreshes = state["request_counts"]["POST /oauth/token"] - 1
    assert refreshes >= elapsed / ttl - 1  # refreshed about once per token lifetime, not once per request
    assert refreshes <= 2 * elapsed / ttl + 2
    print(f"batch {elapsed:.1f} s with {ttl} s access tokens: {refreshes} refreshes, statuses {state['status_counts']}")

    rotated = stores.secrets.get("oa")
    assert rotated is not None and rotated.refresh_token and rotated.refresh_token != first.refresh_token
    assert limited.largest <= CRED_MAX_CREDENTIAL_BLOB_SIZE
    assert len(limited.written) >= 3  # the header and its parts

    asyncio.run(sign_out(stores, profile))
    assert stores.secrets.get("oa") is None
    leftovers = [user for service, user in limited.written if limited.get_password(service, user) is not None]
    assert leftovers == []  # every part of every generation is gone
    used = httpx.get(f"{sandbox.url}/api/v1/users/me", headers={"Authorization": f"Bearer {rotated.access_token}"})
    assert used.status_code == 401  # revoked


def _entries(vault: KeyringBackend) -> Entries:
    def remove(key: str) -> None:
        with contextlib.suppress(PasswordDeleteError):  # already gone
            vault.delete_password(SERVICE, key)

    return Entries(
        read=lambda k: vault.get_password(SERVICE, k),
        write=lambda k, v: vault.set_password(SERVICE, k, v),
        remove=remove,
    )


def test_split_entries_shrink_grow_and_tear() -> None:
    vault = EmulatedWinVault()
    entries = _entries(vault)
    long = "".join(chr(0x1F600 + n % 50) for n in range(3000))  # outside the BMP: 4 bytes each in UTF-16
    entries.set("k", long)
    assert entries.get("k") == long and vault.largest <= CRED_MAX_CREDENTIAL_BLOB_SIZE
    parts_before = {t for t in vault.vault if "#" in t}
    assert len(parts_before) >= 5
    entries.set("k", "a" * 2000)  # fewer parts: the old generation's parts are removed
    assert entries.get("k") == "a" * 2000
    parts_after = {t for t in vault.vault if "#" in t}
    assert parts_after and not parts_after & parts_before
    entries.set("k", "short")  # fits: stored as it is, no parts left
    assert entries.get("k") == "short" and not [t for t in vault.vault if "#" in t]
    entries.set("k", "b" * 5000)
    vault.vault.pop(next(t for t in vault.vault if "#" in t))  # a part lost: reads as nothing stored
    assert entries.get("k") is None
    entries.delete("k")
    assert vault.vault == {}


def test_an_entry_saved_whole_before_still_reads() -> None:
    vault = EmulatedWinVault()
    old = Secret("api-key", api_key="qvk_" + "x" * 700)
    vault.set_password(SERVICE, "profile:old", old.to_json())  # as earlier versions stored it
    store = CredentialStore(vault)
    got = store.get("old")
    assert got is not None and got.api_key == old.api_key
    store.delete("old")
    assert vault.vault == {}
