"""The window's "Access check" and "Share to managed space..." against the sandbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from qvupload.cloud import StaticToken
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.ui.admin import AccessCheckDialog, ShareDialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store
from tests.conftest import persona
from tests.ui.keyboard import keyboard_problems


def signed_in(sandbox: Sandbox, who: str, tmp_path: Path, aloop: Any, qtbot: QtBot) -> MainWindow:
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    aloop(session.connect(sandbox.url, StaticToken(persona(sandbox, who)[1]), None, who))
    return window


def test_access_check_panel(sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot) -> None:
    window = signed_in(sandbox, "hana", tmp_path, aloop, qtbot)
    dialog = window.open_access_check()
    assert isinstance(dialog, AccessCheckDialog)
    assert keyboard_problems(dialog) == []
    dialog.user.setText("carl@sandbox.example")
    dialog.app.setText("Budget 2026")
    aloop(dialog.run_check())
    assert dialog.verdict.text() == "VIEW-ONLY"
    assert "basicconsumer" in dialog.summary.text()
    lines = [dialog.reasons.item(i).text() for i in range(dialog.reasons.count())]
    assert "Has restricted view (basicconsumer): assigned to the user directly" in lines
    assert any("two minutes" in line for line in lines)
    dialog.user.setText("nobody@sandbox.example")
    aloop(dialog.run_check())
    assert dialog.verdict.text() == "Cannot tell" and "no user" in dialog.summary.text()


def test_share_dialog_previews_then_runs(sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot) -> None:
    doc = write_document(tmp_path / "Shared.qvw", SyntheticDocument(datetime.now(UTC)))
    window = signed_in(sandbox, "adam", tmp_path, aloop, qtbot)
    aloop(window.scan([doc]))
    window.documents_view.selectRow(0)
    dialog = aloop(window.open_share())
    assert isinstance(dialog, ShareDialog)
    dialog.space.setCurrentIndex(dialog.space.findText("Finance Reports"))
    assert keyboard_problems(dialog) == []
    dialog.search.setText("hana")
    qtbot.waitExposed(dialog)
    dialog.preview.setFocus()  # a button that had the focus must not take over Enter afterwards
    dialog.search.setFocus()
    QTest.keyClick(dialog.search, Qt.Key.Key_Return)  # Enter in the search box finds, and does nothing else
    assert dialog.task is not None
    aloop(dialog.task)
    assert dialog.people.count() >= 1 and dialog.results.count() == 0
    dialog.people.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.roles["publisher"].setChecked(True)
    before = httpx.get(f"{sandbox.url}/__sandbox/state").json()["request_counts"]
    aloop(dialog.dry_run())
    after = httpx.get(f"{sandbox.url}/__sandbox/state").json()["request_counts"]
    writes = ("POST /api/v1/apps", "PUT /api/v1/spaces", "POST /api/v1/spaces", "POST /api/v1/temp")
    assert {k: v for k, v in after.items() if k.startswith(writes)} == {
        k: v for k, v in before.items() if k.startswith(writes)
    }  # the dry run wrote nothing
    preview = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert any(p.startswith("create") and "Shared.qvw" in p for p in preview)
    assert any(p.startswith("change") and "Hana Help" in p for p in preview)
    assert dialog.run_button.isEnabled()
    aloop(dialog.execute())
    assert dialog.status.text().startswith("Finished:") and "0 failed" in dialog.status.text()
    state = httpx.get(f"{sandbox.url}/__sandbox/state").json()
    finance = next(s["id"] for s in state["spaces"] if s["name"] == "Finance Reports")
    assert any(a["name"] == "Shared" and a["space_id"] == finance for a in state["apps"])
    hana = persona(sandbox, "hana")[0]
    (assignment,) = [a for a in state["assignments"] if a["space_id"] == finance and a["assignee_id"] == hana]
    assert set(assignment["roles"]) == {"facilitator", "consumer", "publisher"}  # consumer is ticked by default
    assert asyncio.iscoroutinefunction(dialog.dry_run)
