"""Tenant profiles: a name, a tenant address, how to sign in, and default targets.

Stored as JSON in the config folder (``QVUPLOAD_CONFIG_DIR`` overrides), written atomically.
A profile never holds a secret: keys and tokens live in the credential store.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qvupload.auth.urls import normalize_tenant_url
from qvupload.i18n import _
from qvupload.paths import write_atomically

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")


class ProfileError(ValueError):
    """A profile cannot be saved or found; ``str()`` says why."""


@dataclass
class Profile:
    name: str
    tenant: str
    kind: str  # "api-key" or "oauth"
    client_id: str = ""
    user_name: str = ""
    user_email: str = ""
    user_id: str = ""
    default_shared_space: str = ""
    default_managed_space: str = ""


@dataclass
class Settings:
    """App-wide settings that live beside the profiles."""

    default_profile: str = ""
    allow_plaintext_secrets: bool = False  # only ever turned on by the user, and said plainly
    extra: dict[str, Any] = field(default_factory=dict)


class ProfileStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "profiles.json"

    def _read(self) -> tuple[Settings, dict[str, Profile]]:
        if not self.path.exists():
            return Settings(), {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ProfileError(
                _("The profiles file %(path)s cannot be read: %(exc)s. Fix or remove it.")
                % {"path": self.path, "exc": exc}
            ) from exc
        settings = Settings(**{k: v for k, v in data.get("settings", {}).items() if k in Settings.__annotations__})
        profiles = {
            name: Profile(**{k: v for k, v in raw.items() if k in Profile.__annotations__})
            for name, raw in data.get("profiles", {}).items()
        }
        return settings, profiles

    def _write(self, settings: Settings, profiles: dict[str, Profile]) -> None:
        data = {"settings": asdict(settings), "profiles": {n: asdict(p) for n, p in profiles.items()}}
        write_atomically(self.path, json.dumps(data, indent=2))

    def settings(self) -> Settings:
        return self._read()[0]

    def save_settings(self, settings: Settings) -> None:
        self._write(settings, self._read()[1])

    def make_default(self, name: str) -> None:
        """The profile used when none is named (the window opens with it)."""
        chosen = self.get(name)  # says so when there is none of that name
        settings, profiles = self._read()
        settings.default_profile = chosen.name
        self._write(settings, profiles)

    def all(self) -> list[Profile]:
        return list(self._read()[1].values())

    def get(self, name: str | None = None) -> Profile:
        settings, profiles = self._read()
        chosen = name or settings.default_profile or (next(iter(profiles)) if len(profiles) == 1 else "")
        if not chosen:
            raise ProfileError(_("No profile is chosen: sign in with `qvupload login`, or name one with --profile."))
        if chosen not in profiles:
            raise ProfileError(
                _("There is no profile named %(chosen)s. `qvupload profiles` lists them.") % {"chosen": chosen}
            )
        return profiles[chosen]

    def save(self, profile: Profile, *, make_default: bool = False) -> Profile:
        if not _NAME.match(profile.name):
            raise ProfileError(_("A profile name is 1-64 letters, digits, spaces, dots, dashes or underscores."))
        if profile.kind not in ("api-key", "oauth"):
            raise ProfileError(_("A profile signs in with an API key or with OAuth."))
        if profile.kind == "oauth" and not profile.client_id:
            raise ProfileError(_("An OAuth profile needs the client id of a native OAuth client."))
        profile.tenant = normalize_tenant_url(profile.tenant)
        settings, profiles = self._read()
        profiles[profile.name] = profile
        if make_default or not settings.default_profile:
            settings.default_profile = profile.name
        self._write(settings, profiles)
        return profile

    def remove(self, name: str) -> None:
        settings, profiles = self._read()
        profiles.pop(name, None)
        if settings.default_profile == name:
            settings.default_profile = next(iter(profiles), "")
        self._write(settings, profiles)
