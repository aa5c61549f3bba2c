"""The details pane and "Open in Qlik Cloud": the scan's facts in words, what happened in the
cloud, the same links in the transfers table's context menu and in ``upload --json``."""

from __future__ import annotations

import asyncio
import html
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from qvupload.documents.builds import build_label
from qvupload.documents.demo import write_demo_documents
from qvupload.sandbox import Sandbox
from qvupload.ui import details
from qvupload.ui.dialogs import SpacePickerDialog, StaleConfirmDialog
from tests.conftest import persona
from tests.ui.test_window import Run, answer_dialog, window_for


def test_build_numbers_in_words() -> None:
    assert build_label(50611) == "QlikView 12.x (build 50611)"
    assert build_label(12664) == "QlikView 11.20 (build 12664)"
    assert build_label(9061, long=True) == "QlikView 10 (build 9061, release inferred from the build number)"
    assert build_label(7000) == "build 7000 (release not known)" and build_label(None) == ""


@given(st.text())
def test_pane_escapes_text_as_html_escape_does(text: str) -> None:
    # the pane has its own escape (html would load before the window shows); a file named
    # '<b>Q1 & "Q2"</b>.qvw' must read as written, never as markup
    assert details._e(text) == html.escape(text)
    assert details._e('<b>Q1 & "Q2"</b>.qvw') == "&lt;b&gt;Q1 &amp; &quot;Q2&quot;&lt;/b&gt;.qvw"


def _select(window: Any, name: str) -> None:
    row = next(i for i, r in enumerate(window.documents.rows) if r.result.path.name == name)
    window.documents_view.setCurrentIndex(window.filter.mapFromSource(window.documents.index(row, 0)))


def _settle(aloop: Run, window: Any, name: str = "") -> None:
    """Select (on the running loop, as a click does in the app) and wait for the pane's cloud part."""

    async def wait() -> None:
        if name:
            _select(window, name)
        await asyncio.sleep(0)
        while window.details_pane.task is not None and not window.details_pane.task.done():
            await asyncio.sleep(0.02)

    aloop(wait())


def test_details_pane_and_open_links(
    sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(details, "open_url", opened.append)  # the desktop's browser is not ours to start
    write_demo_documents(tmp_path / "docs")
    window = window_for(sandbox, tmp_path, aloop, qtbot)
    _settle(aloop, window, "HR Headcount (secured).qvw")
    text = window.details_pane.toPlainText()
    assert "Fresh: its data is recent enough" in text and "Section access" in text and "yes: the app applies" in text
    assert "Tables and rows" in text and "Not uploaded yet." in text
    assert "password=***" in text or "Data source" not in text  # passwords never shown
    _settle(aloop, window, "Notes.qvw")
    assert "Not readable" in window.details_pane.toPlainText()
    window.documents_view.clearSelection()  # nothing selected: Upload takes every document
    answer_dialog(StaleConfirmDialog, lambda d: d.upload_anyway.click())

    async def upload() -> None:
        await window.upload()
        while window.details_pane.task is not None and not window.details_pane.task.done():
            await asyncio.sleep(0.02)

    aloop(upload())
    _settle(aloop, window, "HR Headcount (secured).qvw")

    def pick(dialog: SpacePickerDialog) -> None:
        dialog.combo.setCurrentIndex(dialog.combo.findText("Sales Reports (managed)"))
        dialog.accept()

    answer_dialog(SpacePickerDialog, pick)

    async def publish_and_look() -> None:  # one run of the loop: the pane's look-up starts inside it
        await window.move_or_publish("managed")
        while window.details_pane.task is not None and not window.details_pane.task.done():
            await asyncio.sleep(0.02)

    aloop(publish_and_look())
    pane = window.details_pane.toHtml()
    app_id = window.app_ids[next(p for p in window.app_ids if p.name == "HR Headcount (secured).qvw")]
    assert f"{sandbox.url}/sense/app/{app_id}" in pane and "Open in Qlik Cloud" in pane
    assert "Published copy in Sales Reports (managed)" in window.details_pane.toPlainText()
    assert "Open the published copy" in pane
    window.transfers_view.selectRow(0)
    action = next(a for a in window.transfers_view.actions() if a.text() == "&Open in Qlik Cloud")
    action.trigger()
    job = window.transfers.job_at(0)
    assert opened == [f"{sandbox.url}/sense/app/{job.published_app_id or job.app_id}"]


def test_upload_json_has_app_url(sandbox: Sandbox, tmp_path: Path) -> None:
    write_demo_documents(tmp_path / "docs")
    env = {
        **os.environ,
        "QVUPLOAD_API_KEY": persona(sandbox, "ann")[1],
        "QVUPLOAD_TENANT": sandbox.url,
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    doc = str(tmp_path / "docs" / "Sales Overview.qvw")
    out = subprocess.run(
        [sys.executable, "-m", "qvupload", "upload", doc, "--to", "managed:Sales Reports", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    row = json.loads(out.stdout.splitlines()[-1])
    assert row["status"] == "uploaded", out.stderr
    assert row["app_url"] == f"{sandbox.url}/sense/app/{row['app_id']}"
    assert row["published_app_url"] == f"{sandbox.url}/sense/app/{row['published_app_id']}"
    page = httpx.get(row["published_app_url"])  # the sandbox's hub page: the link leads somewhere
    assert page.status_code == 200 and "Sales Overview" in page.text and "Sales Reports (managed space)" in page.text
    assert httpx.get(f"{sandbox.url}/sense/app/no-such-app").status_code == 404
