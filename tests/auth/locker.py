"""Keyring backends that hold entries to the Windows Credential Locker's limit.

The Locker keeps at most 2,560 bytes per credential blob (CRED_MAX_CREDENTIAL_BLOB_SIZE,
5 x 512 bytes, wincred.h), and keyring's WinVault backend writes the blob as UTF-16, so a password
above 1,280 characters fails in ``CredWrite`` with error 1783, "The stub received bad data"
(jaraco/keyring#355; glyph/PINPal#1 measured 1,280 characters on Windows 10).

- :class:`EmulatedWinVault` is keyring's own ``WinVaultKeyring`` (its target naming and compound
  ``user@service`` gymnastics run as they do on Windows) with the three ``win32cred`` calls replaced
  by an in-memory vault that refuses blobs above the limit with that error.
- :class:`LimitedSecretService` is the real Secret Service backend (gnome-keyring over D-Bus)
  that refuses the same passwords before storing them.

Both remember every key written so a test can check that nothing is left behind.
"""

from __future__ import annotations

from typing import Any

import keyring.backends.SecretService
from keyring.backends.Windows import DecodingCredential, WinVaultKeyring

CRED_MAX_CREDENTIAL_BLOB_SIZE = 5 * 512


class LockerError(OSError):
    """What pywin32's ``pywintypes.error`` carries for a blob that is too big."""

    def __init__(self, funcname: str) -> None:
        super().__init__(1783, "The stub received bad data")
        self.winerror, self.funcname = 1783, funcname


def _blob(password: str) -> bytes:
    blob = password.encode("utf-16-le")
    if len(blob) > CRED_MAX_CREDENTIAL_BLOB_SIZE:
        raise LockerError("CredWrite")
    return blob


class EmulatedWinVault(WinVaultKeyring):
    # below zero: usable when passed explicitly, never chosen by keyring's own detection, so no later
    # test of this process finds a test backend picked for it
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.vault: dict[str, dict[str, Any]] = {}
        self.written: set[tuple[str, str]] = set()
        self.largest = 0

    def _read_credential(self, target: str) -> DecodingCredential | None:
        found = self.vault.get(target)
        return DecodingCredential(found) if found else None

    def _set_password(self, target: str, username: str, password: str) -> None:
        blob = _blob(password)
        self.largest = max(self.largest, len(blob))
        self.vault[target] = {"TargetName": target, "UserName": username, "CredentialBlob": blob}
        self.written.add(("qvupload", username))

    def _delete_password(self, target: str) -> None:
        self.vault.pop(target, None)


class LimitedSecretService(keyring.backends.SecretService.Keyring):
    priority = -1  # type: ignore[assignment]  # as above: only when passed explicitly

    def __init__(self) -> None:
        super().__init__()
        self.written: set[tuple[str, str]] = set()
        self.largest = 0

    def set_password(self, service: str, username: str, password: str) -> None:
        blob = _blob(password)
        self.largest = max(self.largest, len(blob))
        self.written.add((service, username))
        super().set_password(service, username, password)
