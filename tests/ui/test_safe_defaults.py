"""Safe defaults: in the stale question, Enter alone never uploads stale data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from qvupload.ui.dialogs import SKIP_STALE, UPLOAD_ANYWAY, StaleConfirmDialog
from tests.ui.test_models_widgets import demo_model


def _stale_dialog(qtbot: QtBot, tmp_path: Path) -> StaleConfirmDialog:
    model = demo_model(tmp_path)
    dialog = StaleConfirmDialog(None, [r for r in model.rows if r.verdict in ("stale", "unknown")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_skips_stale_documents(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _stale_dialog(qtbot, tmp_path)
    assert dialog.skip_stale.isDefault() and not dialog.upload_anyway.isDefault()
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == SKIP_STALE


def test_enter_on_a_focused_upload_anyway_does_not_upload(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _stale_dialog(qtbot, tmp_path)
    dialog.upload_anyway.setFocus()
    QTest.keyClick(dialog.upload_anyway, Qt.Key.Key_Return)
    assert dialog.result() != UPLOAD_ANYWAY
    assert dialog.result() == SKIP_STALE  # the default button took Enter
    again = _stale_dialog(qtbot, tmp_path)
    again.upload_anyway.setFocus()
    QTest.keyClick(again.upload_anyway, Qt.Key.Key_Space)  # a deliberate press still works
    assert again.result() == UPLOAD_ANYWAY
