"""The sandbox tenant's state: records, lookups, files on disk and persistence.

One lock guards every change. With a data folder the state is written (atomically) after each
change and read back at start; uploaded and imported files live under that folder too.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from qvupload.sandbox.model import (
    EVERYONE_GROUP_ID,
    EVERYONE_GROUP_NAME,
    App,
    Assignment,
    Group,
    Item,
    OAuthClient,
    Space,
    TempFile,
    Token,
    User,
    from_json,
    to_json,
)

_COLLECTIONS: dict[str, type] = {
    "users": User,
    "groups": Group,
    "spaces": Space,
    "assignments": Assignment,
    "apps": App,
    "items": Item,
    "temp_files": TempFile,
    "tokens": Token,
    "clients": OAuthClient,
}


class Tenant:
    def __init__(self, data_dir: Path | None = None) -> None:
        self.lock = threading.RLock()
        self._own_tmp: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._own_tmp = tempfile.TemporaryDirectory(prefix="qvupload-sandbox-")
            data_dir = Path(self._own_tmp.name)
        self.data_dir = data_dir
        self.persistent = self._own_tmp is None
        (data_dir / "uploads").mkdir(parents=True, exist_ok=True)
        (data_dir / "apps").mkdir(parents=True, exist_ok=True)
        self.tenant_id = "sandboxTenant0000000000000000001"
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.spaces: dict[str, Space] = {}
        self.assignments: dict[str, Assignment] = {}
        self.apps: dict[str, App] = {}
        self.items: dict[str, Item] = {}
        self.temp_files: dict[str, TempFile] = {}
        self.tokens: dict[str, Token] = {}
        self.clients: dict[str, OAuthClient] = {}
        self.personas: dict[str, str] = {}  # user id -> business, admin, helpdesk, ...
        self.request_counts: Counter[str] = Counter()
        self.status_counts: Counter[str] = Counter()  # answers by HTTP status, e.g. how many 429s
        self.locked_uploads: set[str] = set()
        self._load()
        if EVERYONE_GROUP_ID not in self.groups:
            self.groups[EVERYONE_GROUP_ID] = Group(EVERYONE_GROUP_ID, EVERYONE_GROUP_NAME, provider_type="custom")

    # -- files -------------------------------------------------------------------------------
    def upload_path(self, file_id: str) -> Path:
        return self.data_dir / "uploads" / file_id

    def app_path(self, app: App) -> Path:
        return self.data_dir / "apps" / app.file_name

    # -- persistence -------------------------------------------------------------------------
    @property
    def seeded(self) -> bool:
        return bool(self.users)

    @property
    def _state_file(self) -> Path:
        return self.data_dir / "state.json"

    def _load(self) -> None:
        if not self.persistent or not self._state_file.exists():
            return
        data = json.loads(self._state_file.read_text(encoding="utf-8"))
        for name, cls in _COLLECTIONS.items():
            key = "value" if cls is Token else ("client_id" if cls is OAuthClient else "id")
            target: dict[str, Any] = getattr(self, name)
            for raw in data.get(name, []):
                record: Any = from_json(cls, raw)
                target[getattr(record, key)] = record
        self.personas.update(data.get("personas", {}))

    def save(self) -> None:
        """Write the state (only with a data folder); call with the lock held after a change."""
        if not self.persistent:
            return
        data: dict[str, Any] = {name: [to_json(r) for r in getattr(self, name).values()] for name in _COLLECTIONS}
        data["personas"] = self.personas
        tmp = self._state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self._state_file)

    def close(self) -> None:
        if self._own_tmp is not None:
            self._own_tmp.cleanup()

    # -- lookups -----------------------------------------------------------------------------
    def group_ids_of(self, user: User) -> list[str]:
        """The user's groups, Everyone included."""
        return [*user.group_ids, EVERYONE_GROUP_ID]

    def space_assignments(self, space_id: str) -> list[Assignment]:
        return [a for a in self.assignments.values() if a.space_id == space_id]

    def item_for_app(self, app_id: str) -> Item | None:
        return next((i for i in self.items.values() if i.resource_id == app_id), None)

    def app_sha256(self, app: App) -> str:
        """The sha256 of an app's bytes, computed on first request (app files never change)."""
        if not app.sha256:
            digest = hashlib.sha256()
            with open(self.app_path(app), "rb") as fh:
                while block := fh.read(1024 * 1024):
                    digest.update(block)
            app.sha256 = digest.hexdigest()
        return app.sha256

    def snapshot(self) -> dict[str, Any]:
        """The read-only view behind ``GET /__sandbox/state``."""
        with self.lock:
            for app in self.apps.values():
                self.app_sha256(app)
            return {
                "apps": [to_json(a) for a in self.apps.values()],
                "items": [to_json(i) for i in self.items.values()],
                "spaces": [to_json(s) for s in self.spaces.values()],
                "assignments": [to_json(a) for a in self.assignments.values()],
                "temp_files": [to_json(t) for t in self.temp_files.values()],
                "users": [to_json(u) for u in self.users.values()],
                "groups": [to_json(g) for g in self.groups.values()],
                "request_counts": dict(self.request_counts),
                "status_counts": dict(self.status_counts),
            }
