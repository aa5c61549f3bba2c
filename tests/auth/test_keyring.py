"""The credential store against a real Secret Service (gnome-keyring in its own D-Bus session)."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring.backends.fail
import keyring.backends.SecretService
import pytest
import secretstorage

from qvupload.auth.secrets import CredentialStore, KeyringUnavailable, Secret
from tests.conftest import require_secret_service, running_secret_service


@pytest.fixture
def store(keyring_env: dict[str, str]) -> CredentialStore:
    return CredentialStore(keyring.backends.SecretService.Keyring())


def test_store_read_replace_delete(store: CredentialStore) -> None:
    assert store.get("p1") is None
    store.set("p1", Secret("api-key", api_key="key-one"))
    assert store.get("p1") == Secret("api-key", api_key="key-one")
    store.set("p1", Secret("oauth", access_token="a", refresh_token="r", expires_at=12.5))
    assert store.get("p1") == Secret("oauth", access_token="a", refresh_token="r", expires_at=12.5)
    store.delete("p1")
    assert store.get("p1") is None
    store.delete("p1")  # deleting twice is fine: already signed out


def test_locked_keyring_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_secret_service()
    with running_secret_service(tmp_path) as bus:  # its own keyring: locking it disturbs no other test
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
        store = CredentialStore(keyring.backends.SecretService.Keyring())
        store.set("p2", Secret("api-key", api_key="k"))
        secretstorage.get_default_collection(secretstorage.dbus_init()).lock()
        with pytest.raises(KeyringUnavailable, match=r"locked.*Unlock it"):
            store.get("p2")


def test_no_secure_backend_is_refused() -> None:
    store = CredentialStore(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="No secure keyring"):
        store.set("p3", Secret("api-key", api_key="k"))


def test_plaintext_only_when_turned_on(tmp_path: Path) -> None:
    plain = CredentialStore(keyring.backends.fail.Keyring(), plaintext_file=tmp_path / "secrets.json")
    plain.set("p4", Secret("api-key", api_key="visible"))
    assert plain.insecure and plain.get("p4") == Secret("api-key", api_key="visible")
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600


def test_secret_repr_hides_values() -> None:
    assert "hunter2" not in repr(Secret("api-key", api_key="hunter2"))
