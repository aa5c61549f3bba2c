"""The window's settings (stale threshold, concurrency, duplicate policy, default target, recent
folders), kept as JSON in the config folder and written atomically (no Qt here: it loads before the window shows)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qvupload.i18n import N_
from qvupload.paths import write_atomically

RECENT_MAX = 8
POLICIES = (
    ("ask", N_("Ask each time")),
    ("skip", N_("Skip it")),
    ("replace", N_("Replace its content")),
    ("keep-both", N_("Keep both")),
)


@dataclass
class Preferences:
    stale_after_days: float = 7.0
    concurrency: int = 2
    duplicate_policy: str = "ask"
    default_target: str = "personal"
    recent_folders: list[str] = field(default_factory=list)
    language: str = "system"  # or a code of qvupload.i18n.LANGUAGES; --lang beats it

    @classmethod
    def load(cls, folder: Path) -> Preferences:
        path = folder / "preferences.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()  # missing or damaged: the defaults, and the file is rewritten on the next save
        known = {k: v for k, v in data.items() if k in cls.__annotations__}
        prefs = cls(**known)
        prefs.concurrency = max(1, min(8, int(prefs.concurrency)))
        if prefs.duplicate_policy not in dict(POLICIES):
            prefs.duplicate_policy = "ask"
        return prefs

    def save(self, folder: Path) -> None:
        write_atomically(folder / "preferences.json", json.dumps(asdict(self), indent=2))

    def remember_folder(self, folder: Path) -> None:
        text = str(folder)
        self.recent_folders = [text, *[f for f in self.recent_folders if f != text]][:RECENT_MAX]
