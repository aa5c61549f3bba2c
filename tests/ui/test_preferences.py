"""Settings: kept in the config folder, used by the window (threshold, policy, target, recent folders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from qvupload.documents.demo import write_demo_documents
from qvupload.ui.dialogs import PreferencesDialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.preferences import Preferences
from qvupload.ui.session import Session, default_store


def test_round_trip_and_damaged_file(tmp_path: Path) -> None:
    prefs = Preferences(stale_after_days=30, concurrency=4, duplicate_policy="replace", default_target="x")
    for i in range(12):
        prefs.remember_folder(tmp_path / f"f{i}")
    prefs.remember_folder(tmp_path / "f5")
    prefs.save(tmp_path)
    back = Preferences.load(tmp_path)
    assert back == prefs and len(back.recent_folders) == 8 and back.recent_folders[0] == str(tmp_path / "f5")
    (tmp_path / "preferences.json").write_text("{not json")
    assert Preferences.load(tmp_path) == Preferences()
    (tmp_path / "preferences.json").write_text('{"concurrency": 99, "duplicate_policy": "explode"}')
    odd = Preferences.load(tmp_path)
    assert odd.concurrency == 8 and odd.duplicate_policy == "ask"


def test_dialog_values(qtbot: QtBot) -> None:
    prefs = Preferences()
    dialog = PreferencesDialog(None, prefs, [("Personal space", "personal"), ("Sales (managed)", "managed:1")])
    qtbot.addWidget(dialog)
    dialog.stale.setValue(14)
    dialog.concurrency.setValue(3)
    dialog.policy.setCurrentIndex(dialog.policy.findData("keep-both"))
    dialog.target.setCurrentIndex(1)
    assert dialog.values(prefs) == Preferences(14, 3, "keep-both", "managed:1", [])


def test_window_uses_the_settings(tmp_path: Path, qtbot: QtBot, aloop: Any) -> None:
    docs = tmp_path / "docs"
    write_demo_documents(docs)
    Preferences(stale_after_days=60).save(tmp_path / "config")
    window = MainWindow(Session(default_store(tmp_path / "data")), prefs_folder=tmp_path / "config")
    qtbot.addWidget(window)
    window.add_paths([docs])  # remembered as a recent folder, scanned with the 60-day threshold
    aloop(window.scan([docs]))
    verdicts = {r.result.path.name: r.verdict for r in window.documents.rows}
    assert verdicts["Finance Monthly.qvw"] == "fresh"  # 41 days old: fresh under 60 days
    assert Preferences.load(tmp_path / "config").recent_folders == [str(docs)]
    assert [a.text() for a in window.recent_menu.actions()] == [str(docs)]
