"""Keyboard access: every action from the keyboard, names for screen readers, a sensible tab
order, Delete and the context menu on the tables, and the same checks on every dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from qvupload.documents.demo import write_demo_documents
from qvupload.ui.dialogs import DuplicateDialog, PreferencesDialog, SignInDialog, SpacePickerDialog, StaleConfirmDialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.preferences import Preferences
from qvupload.ui.session import Session, default_store
from tests.ui.keyboard import keyboard_problems


def shown_window(tmp_path: Path, qtbot: QtBot, aloop: Any) -> MainWindow:
    window = MainWindow(Session(default_store(tmp_path / "data")), prefs_folder=tmp_path / "config")
    qtbot.addWidget(window)
    write_demo_documents(tmp_path / "docs")
    aloop(window.scan([tmp_path / "docs"]))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_the_checker_finds_problems(qtbot: QtBot) -> None:
    """keyboard_problems is what the other tests lean on, so it must be able to say no."""
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    for widget in (QPushButton("Go"), QPushButton("&Stop"), QCheckBox("&Soon"), QLabel("unlinked")):
        layout.addWidget(widget)
    from PySide6.QtWidgets import QLineEdit

    layout.addWidget(QLineEdit())
    problems = keyboard_problems(root)
    assert any("'Go' has no Alt+letter" in p for p in problems)
    assert any(p.startswith("Alt+S is used 2 times") for p in problems)
    assert any("QLineEdit" in p and "no name" in p for p in problems)


def test_main_window_keyboard(tmp_path: Path, qtbot: QtBot, aloop: Any) -> None:
    window = shown_window(tmp_path, qtbot, aloop)
    assert keyboard_problems(window) == []
    # Tab walks the controls in reading order, through both tables, and comes round again
    window.add_files_button.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(20):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is order[0]:
            break
        order.append(QApplication.focusWidget())
    names = [w.accessibleName() or getattr(w, "text", lambda: "")() for w in order]
    assert names == [
        "Add f&iles...",
        "Add f&older...",
        "Only &stale",
        "Upload target",
        "&Upload",
        "Documents",
        "Document details",
        "Transfers",
        "&Pause",
        "&Resume",
        "&Cancel",
        "Retr&y failed",
    ]
    # Alt+letter reaches a control (buttons answer with an animated click, a moment later)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.only_stale.isChecked, timeout=2000)
    assert window.filter.rowCount() < len(window.documents.rows)  # and the filter followed
    window.only_stale.setChecked(False)


def test_delete_and_context_menus(tmp_path: Path, qtbot: QtBot, aloop: Any) -> None:
    window = shown_window(tmp_path, qtbot, aloop)
    view = window.documents_view
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in view.actions() if not a.isSeparator()][:2] == ["&Upload", "&Remove from the list"]
    assert [a.text() for a in window.transfers_view.actions()] == [
        "&Pause",
        "&Resume",
        "&Cancel",
        "Retry &failed",
        "&Open in Qlik Cloud",
    ]
    before = len(window.documents.rows)
    # Delete in the transfers table does not touch the documents
    view.selectRow(0)
    window.transfers_view.setFocus()
    QTest.keyClick(window.transfers_view, Qt.Key.Key_Delete)
    assert len(window.documents.rows) == before
    # in the documents table it takes the selected documents off the list, and only those
    view.setFocus()
    view.selectRow(1)
    name = view.model().index(1, 0).data()
    QTest.keyClick(view, Qt.Key.Key_Delete)
    names = [r.result.path.name for r in window.documents.rows]
    assert len(names) == before - 1 and name not in names
    assert (tmp_path / "docs" / name).exists()  # the file itself stays
    assert "taken off the list" in window.message.text()
    # what is left still updates in place (the path index was rebuilt)
    aloop(window.scan([tmp_path / "docs"]))
    assert len(window.documents.rows) == before


def test_dialogs_keyboard(tmp_path: Path, qtbot: QtBot, aloop: Any) -> None:
    window = shown_window(tmp_path, qtbot, aloop)
    rows = list(window.documents.rows)
    spaces = [{"name": "Sales Team", "type": "shared", "id": "1"}]
    for dialog in (
        SignInDialog(window),
        PreferencesDialog(window, Preferences(), [("Personal space", "personal")]),
        SpacePickerDialog(window, "Move to shared space", "Move the apps.", spaces),
        StaleConfirmDialog(window, rows),
        DuplicateDialog(window, "Sales Overview"),
    ):
        assert keyboard_problems(dialog) == [], type(dialog).__name__
