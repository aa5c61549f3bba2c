"""The window's settings (stale threshold, concurrency, duplicate policy, default target, recent
folders), kept as JSON in the config folder and written atomically, and the dialog that edits them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

from qvupload.auth.profiles import write_atomically

RECENT_MAX = 8
POLICIES = (
    ("ask", "Ask each time"),
    ("skip", "Skip it"),
    ("replace", "Replace its content"),
    ("keep-both", "Keep both"),
)


@dataclass
class Preferences:
    stale_after_days: float = 7.0
    concurrency: int = 2
    duplicate_policy: str = "ask"
    default_target: str = "personal"
    recent_folders: list[str] = field(default_factory=list)

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


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, prefs: Preferences, targets: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        form = QFormLayout(self)
        self.stale = QDoubleSpinBox()
        self.stale.setRange(0.5, 3650)
        self.stale.setSuffix(" days")
        self.stale.setValue(prefs.stale_after_days)
        self.stale.setAccessibleName("Stale after")
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 8)
        self.concurrency.setValue(prefs.concurrency)
        self.concurrency.setAccessibleName("Documents at a time")
        self.policy = QComboBox()
        for key, text in POLICIES:
            self.policy.addItem(text, key)
        self.policy.setCurrentIndex(max(0, self.policy.findData(prefs.duplicate_policy)))
        self.target = QComboBox()
        for text, key in targets:
            self.target.addItem(text, key)
        self.target.setCurrentIndex(max(0, self.target.findData(prefs.default_target)))
        form.addRow("Data is stale after", self.stale)
        form.addRow("Documents uploaded at a time", self.concurrency)
        form.addRow("When an app of that name exists", self.policy)
        form.addRow("Default upload target", self.target)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self, prefs: Preferences) -> Preferences:
        return Preferences(
            self.stale.value(),
            self.concurrency.value(),
            str(self.policy.currentData()),
            str(self.target.currentData() or "personal"),
            list(prefs.recent_folders),
        )
