"""The window's "Link to QlikView Server..." and "Assessment report..." against the sandbox and
real files: the dialogs drive the same core as the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from qvupload.cloud import StaticToken
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.ui.main_window import MainWindow
from qvupload.ui.migration import AssessmentDialog, LinkDialog, open_assessment, open_links
from qvupload.ui.session import Session, default_store
from tests.conftest import persona
from tests.ui.keyboard import keyboard_problems


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QVUPLOAD_CONFIG_DIR", str(tmp_path / "config"))
    root = tmp_path / "qvs" / "Finance"
    root.mkdir(parents=True)
    for name in ("Budget.qvw", "Forecast.qvw"):
        write_document(root / name, SyntheticDocument(datetime.now(UTC) - timedelta(days=1)))
    return root


def window_for(tmp_path: Path, qtbot: QtBot) -> MainWindow:
    window = MainWindow(Session(default_store(tmp_path / "data")))
    qtbot.addWidget(window)
    return window


def test_link_dialog_previews_adds_and_leaves_existing(
    sandbox: Sandbox, docs: Path, tmp_path: Path, aloop: Any, qtbot: QtBot
) -> None:
    window = window_for(tmp_path, qtbot)
    assert aloop(open_links(window)) is None and "Sign in first" in window.message.text()
    aloop(window.session.connect(sandbox.url, StaticToken(persona(sandbox, "ann")[1]), None, "ann"))
    assert aloop(open_links(window)) is None and "Add the documents" in window.message.text()
    aloop(window.scan([docs]))
    dialog = aloop(open_links(window))
    assert isinstance(dialog, LinkDialog) and len(dialog.documents) == 2
    assert keyboard_problems(dialog) == []
    spaces = [dialog.space.itemText(i) for i in range(dialog.space.count())]
    assert "Sales Team (shared)" in spaces and "Sales Reports (managed)" in spaces
    dialog.space.setCurrentIndex(spaces.index("Sales Team (shared)"))

    dialog.accesspoint.setText("http://qlikview.example.com")
    aloop(dialog.dry_run())
    assert "must use https" in dialog.status.text() and not dialog.run_button.isEnabled()
    dialog.accesspoint.setText("https://qlikview.example.com")
    dialog.folders.setPlainText(f"{docs.parent} = ")
    aloop(dialog.dry_run())
    lines = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert [line.split()[0] for line in lines] == ["create", "create"]
    assert not [i for i in sandbox.tenant.items.values() if i.external]  # the preview wrote nothing
    assert dialog.run_button.isEnabled()
    aloop(dialog.execute())
    assert dialog.status.text().startswith("Finished: 2 added, 0 already there, 0 failed.")
    links = sorted(i.resource_link for i in sandbox.tenant.items.values() if i.external)
    assert links == [
        "https://qlikview.example.com/QvAJAXZfc/opendoc.htm?document=Finance%2FBudget.qvw",
        "https://qlikview.example.com/QvAJAXZfc/opendoc.htm?document=Finance%2FForecast.qvw",
    ]
    ledger = window.session.open_store().ledger()
    assert [(r["action"], r["outcome"]) for r in ledger] == [("link", "done"), ("link", "done")]

    again = aloop(open_links(window))  # the settings were kept for the profile
    assert isinstance(again, LinkDialog) and again.accesspoint.text() == "https://qlikview.example.com"
    again.space.setCurrentIndex(spaces.index("Sales Team (shared)"))
    aloop(again.dry_run())
    assert again.status.text().startswith("0 to add, 2 already there") and not again.run_button.isEnabled()


def test_assessment_dialog_writes_the_report(docs: Path, tmp_path: Path, aloop: Any, qtbot: QtBot) -> None:
    window = window_for(tmp_path, qtbot)
    assert open_assessment(window) is None and "Add documents" in window.message.text()
    aloop(window.scan([docs]))
    dialog = open_assessment(window)
    assert isinstance(dialog, AssessmentDialog)
    assert keyboard_problems(dialog) == []
    dialog.open_after.setChecked(False)
    dialog.logs.setText(str(tmp_path / "missing"))
    aloop(dialog.build())
    assert "is not a folder" in dialog.status.text()
    dialog.logs.setText("")
    dialog.report.setText(str(tmp_path / "out" / "report.html"))
    aloop(dialog.build())
    assert dialog.status.text().startswith("2 documents: 2 ready, 0 to review, 0 unreadable.")
    assert (tmp_path / "out" / "report.html").is_file() and (tmp_path / "out" / "report.csv").is_file()
    assert dialog.open_button.isEnabled()
