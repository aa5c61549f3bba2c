"""The credential store: every secret qvupload keeps, in the operating system's keyring.

One class, one service name, one entry per profile (or a few: see below). Only secure backends
are accepted (Secret Service or KWallet on Linux, the macOS Keychain, the Windows Credential Locker,
or a subclass of one of them). A missing, locked or failing keyring raises
:class:`KeyringUnavailable` with what to do. A plaintext file is used only when the user has
explicitly turned that on. The calls block (D-Bus, system APIs): the window runs them in an
executor, never on its own thread.

The Windows Credential Locker holds at most 2,560 bytes per entry, stored as UTF-16 (keyring's
WinVault backend fails with "The stub received bad data" above 1,280 characters), and OAuth
sign-ins (a JWT access token of a thousand characters or more plus a refresh token) are longer.
So every entry is kept under that limit on every system: a secret that does not fit goes into
numbered part entries (see :mod:`qvupload.auth.split_entries`) behind a small header entry.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from qvupload.auth import split_entries
from qvupload.i18n import _
from qvupload.paths import write_atomically

SERVICE = "qvupload"
SECURE_BACKENDS = {
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
}


class KeyringUnavailable(Exception):
    """No usable secure keyring; ``str()`` says what to do."""


@dataclass
class Secret:
    kind: str  # "api-key" or "oauth"
    api_key: str = ""
    access_token: str = ""
    refresh_token: str = ""
    expires_at: float = 0.0  # epoch seconds
    issued_at: float = 0.0  # epoch seconds, when the access token was obtained (0: not known)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Secret:
        data: dict[str, Any] = json.loads(text)
        return cls(**{k: v for k, v in data.items() if k in cls.__annotations__})

    def __repr__(self) -> str:  # never show a secret in a log or a traceback
        return f"Secret(kind={self.kind!r}, ...)"


def _name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _is_secure(backend: KeyringBackend) -> bool:
    """One of the secure backends, or a subclass of one (a wrapper that adds checks stays secure)."""
    return any(f"{cls.__module__}.{cls.__name__}" in SECURE_BACKENDS for cls in type(backend).__mro__)


def secure_backend(backend: KeyringBackend | None = None) -> KeyringBackend:
    """The keyring backend to use, or KeyringUnavailable when none of the secure ones is there."""
    chosen = backend or keyring.get_keyring()
    candidates = list(getattr(chosen, "backends", None) or [chosen])  # a chainer wraps several
    for candidate in candidates:
        if _is_secure(candidate):
            secure: KeyringBackend = candidate
            return secure
    found = ", ".join(_name(c) for c in candidates) or _("none")
    raise KeyringUnavailable(
        _(
            "No secure keyring is available to keep your sign-in (found: %(found)s). On Linux start GNOME Keyring "
            "or KWallet (a desktop session usually does); on macOS and Windows the system keychain is used."
        )
        % {"found": found}
    )


class CredentialStore:
    def __init__(self, backend: KeyringBackend | None = None, *, plaintext_file: Path | None = None) -> None:
        """``plaintext_file`` is given only when the user turned plaintext storage on."""
        self._backend = backend
        self.plaintext_file = plaintext_file

    @property
    def insecure(self) -> bool:
        return self.plaintext_file is not None

    def _call(self, what: str, fn: Any, *args: str) -> Any:
        try:
            return fn(*args)
        except keyring.errors.KeyringLocked as exc:
            raise KeyringUnavailable(
                _(
                    "The keyring is locked, so qvupload cannot %(what)s. Unlock it (for example by "
                    "signing in to your desktop) and try again."
                )
                % {"what": what}
            ) from exc
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(
                _(
                    "The keyring failed, so qvupload cannot %(what)s (%(name)s). Check that your "
                    "keyring service is running."
                )
                % {"what": what, "name": type(exc).__name__}
            ) from exc
        except Exception as exc:  # D-Bus and platform errors surface as many types
            raise KeyringUnavailable(
                _(
                    "The keyring could not be reached, so qvupload cannot %(what)s (%(name)s). Check "
                    "that your keyring service is running."
                )
                % {"what": what, "name": type(exc).__name__}
            ) from exc

    def _plain(self) -> dict[str, str]:
        assert self.plaintext_file is not None
        if not self.plaintext_file.exists():
            return {}
        return dict(json.loads(self.plaintext_file.read_text(encoding="utf-8")))

    def _write_plain(self, data: dict[str, str]) -> None:
        assert self.plaintext_file is not None
        write_atomically(self.plaintext_file, json.dumps(data))
        if sys.platform != "win32":  # on Windows a mode only sets read-only; the profile folder's ACL protects it
            os.chmod(self.plaintext_file, 0o600)

    def _entries(self) -> split_entries.Entries:
        backend = secure_backend(self._backend)
        return split_entries.Entries(
            read=lambda key: self._call(_("read your sign-in"), backend.get_password, SERVICE, key),
            write=lambda key, value: self._call(_("keep your sign-in"), backend.set_password, SERVICE, key, value),
            remove=lambda key: self._remove(backend, key),
        )

    def _remove(self, backend: KeyringBackend, key: str) -> None:
        try:
            self._call(_("remove your sign-in"), backend.delete_password, SERVICE, key)
        except KeyringUnavailable as exc:
            if isinstance(exc.__cause__, keyring.errors.PasswordDeleteError):
                return  # nothing was stored: already gone
            raise

    def get(self, profile: str) -> Secret | None:
        raw = self._plain().get(profile) if self.insecure else self._entries().get(f"profile:{profile}")
        return Secret.from_json(raw) if raw else None

    def set(self, profile: str, secret: Secret) -> None:
        if self.insecure:
            data = self._plain()
            data[profile] = secret.to_json()
            self._write_plain(data)
            return
        self._entries().set(f"profile:{profile}", secret.to_json())

    def delete(self, profile: str) -> None:
        if self.insecure:
            data = self._plain()
            data.pop(profile, None)
            self._write_plain(data)
            return
        self._entries().delete(f"profile:{profile}")


def plaintext_protection() -> str:
    """What protects the plaintext file, said plainly for the system it is on."""
    if sys.platform == "win32":
        return _(
            "Only your Windows user profile protects it (the folder's permissions: your "
            "account, administrators and backups of the profile can read it); it is not "
            "encrypted."
        )
    return _(
        "Only its file mode protects it (600: your user account alone may read it); it "
        "is not encrypted, so anyone with your account or a copy of your files can read "
        "it."
    )


def plaintext_warning() -> str:
    return _("WARNING: secrets will be kept in a plain file, not in the system keyring. %(protection)s") % {
        "protection": plaintext_protection()
    }
