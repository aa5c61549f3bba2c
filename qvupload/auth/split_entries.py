"""Keyring entries that never exceed the Windows Credential Locker's limit.

The Locker keeps at most 2,560 bytes per entry (``CRED_MAX_CREDENTIAL_BLOB_SIZE``, 5 x 512), and
keyring's WinVault backend stores the text as UTF-16, so 1,280 characters at most; above that,
``CredWrite`` fails with "The stub received bad data". The same limit is kept on every system, so
a sign-in saved on Linux behaves as it would on Windows.

A value that fits is stored as it is under its key. A longer one is cut into parts stored under
``KEY#GEN.N`` (``GEN`` is new for every write) and the key itself holds a small header naming the
generation, the number of parts and the value's sha256. Writing puts the new parts first, then the
header, then removes the old generation's parts, so a reader sees the old value or the new one,
never a mix (a torn read does not match the checksum and reads as nothing stored).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from qvupload.i18n import _

MAX_ENTRY_BYTES = 2560  # per entry, as the Windows Credential Locker counts it (UTF-16)
PART_CHARS = 1000  # characters per part: 2,000 bytes in UTF-16 even at two bytes a character
HEADER_KIND = "qvupload-split-entry"


def entry_bytes(value: str) -> int:
    """The size of ``value`` in the Windows Credential Locker (UTF-16, as keyring's WinVault stores it)."""
    return len(value.encode("utf-16-le"))


def fits(value: str) -> bool:
    return entry_bytes(value) <= MAX_ENTRY_BYTES


def _parts(value: str) -> list[str]:
    parts: list[str] = []
    start = 0
    while start < len(value):
        end = min(len(value), start + PART_CHARS)
        while entry_bytes(value[start:end]) > MAX_ENTRY_BYTES:  # only with characters outside the BMP
            end -= 1
        parts.append(value[start:end])
        start = end
    return parts


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _header(raw: str | None) -> dict[str, object] | None:
    """The header stored under a key, or None when the key holds a plain value (or nothing)."""
    if not raw or HEADER_KIND not in raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") != HEADER_KIND:
        return None
    return data


def _part_keys(key: str, header: dict[str, object] | None) -> list[str]:
    if header is None:
        return []
    count = header.get("parts")
    gen = header.get("gen")
    if not isinstance(count, int) or not isinstance(gen, str):
        return []
    return [f"{key}#{gen}.{n}" for n in range(1, count + 1)]


@dataclass
class Entries:
    """Split-aware get/set/delete over three keyring calls (each given the full entry key)."""

    read: Callable[[str], str | None]
    write: Callable[[str, str], None]
    remove: Callable[[str], None]

    def _put(self, key: str, value: str) -> None:
        if not fits(value):  # a programming error: every entry is cut to fit before this
            raise ValueError(
                _("A keyring entry of %(value)s bytes exceeds %(max_entry_bytes)s.")
                % {"value": entry_bytes(value), "max_entry_bytes": MAX_ENTRY_BYTES}
            )
        self.write(key, value)

    def get(self, key: str) -> str | None:
        raw = self.read(key)
        header = _header(raw)
        if header is None:
            return raw
        pieces: list[str] = []
        for part_key in _part_keys(key, header):
            piece = self.read(part_key)
            if piece is None:
                return None  # a part is missing: nothing usable is stored
            pieces.append(piece)
        value = "".join(pieces)
        return value if _digest(value) == header.get("sha256") else None

    def set(self, key: str, value: str) -> None:
        old_parts = _part_keys(key, _header(self.read(key)))
        if fits(value) and _header(value) is None:
            self._put(key, value)
        else:
            gen = secrets.token_hex(4)
            parts = _parts(value)
            for n, piece in enumerate(parts, start=1):
                self._put(f"{key}#{gen}.{n}", piece)
            header = {"kind": HEADER_KIND, "gen": gen, "parts": len(parts), "sha256": _digest(value)}
            self._put(key, json.dumps(header))
        for part_key in old_parts:
            self.remove(part_key)

    def delete(self, key: str) -> None:
        for part_key in _part_keys(key, _header(self.read(key))):
            self.remove(part_key)
        self.remove(key)
