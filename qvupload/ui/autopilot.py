"""A scripted user for the end-to-end test: with ``QVUPLOAD_AUTOPILOT=<folder>`` the demo window
drives itself through the same actions a person would take (add documents, upload and answer
the stale question, move one app, publish another), saves a screenshot of each main state into
the folder, writes what happened to ``result.json``, and closes. It is inert otherwise."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from qvupload.sandbox import Sandbox
from qvupload.sandbox.limits import Fault
from qvupload.transfers import JobState
from qvupload.ui.dialogs import SpacePickerDialog, StaleConfirmDialog
from qvupload.ui.main_window import MainWindow


def when_dialog(kind: type[QDialog], act: Callable[[Any], None]) -> None:
    """Act on the next visible dialog of that kind, as a user clicking it would."""

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(30, poll)

    QTimer.singleShot(30, poll)


def shoot(window: MainWindow, folder: Path, name: str) -> None:
    QApplication.processEvents()
    screen = window.screen()
    screen.grabWindow(window.winId()).save(str(folder / f"{name}.png"))


def _pick(space_name: str) -> Callable[[SpacePickerDialog], None]:
    def act(dialog: SpacePickerDialog) -> None:
        for i in range(dialog.combo.count()):
            if dialog.combo.itemData(i)["name"] == space_name:
                dialog.combo.setCurrentIndex(i)
        dialog.accept()

    return act


async def autopilot(window: MainWindow, sandbox: Sandbox, documents: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    await asyncio.sleep(0.5)
    shoot(window, folder, "1-empty")
    await window.scan([documents])
    shoot(window, folder, "2-documents")
    sandbox.faults.add(Fault("PATCH /api/v1/temp-contents/files/{id}", count=1000, bandwidth_bps=3_000_000))
    when_dialog(StaleConfirmDialog, lambda d: d.upload_anyway.click())
    upload = asyncio.ensure_future(window.upload())
    while not any(j.bytes_acked for j in window.transfers.jobs) and not upload.done():
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    shoot(window, folder, "3-uploading")
    await upload
    shoot(window, folder, "4-done")
    select(window, "Sales Overview.qvw")
    when_dialog(SpacePickerDialog, _pick("Sales Team"))
    await window.move_or_publish("shared")
    select(window, "HR Headcount (secured).qvw")
    when_dialog(SpacePickerDialog, _pick("Sales Reports"))
    await window.move_or_publish("managed")
    shoot(window, folder, "5-moved-and-published")
    state = sandbox.tenant.snapshot()
    spaces = {s["id"]: s["name"] for s in state["spaces"]}
    result = {
        "jobs": {Path(j.path).name: j.state for j in window.transfers.jobs},
        "all_done": all(j.job_state is JobState.DONE for j in window.transfers.jobs),
        "apps": [
            {
                "name": a["name"],
                "space": spaces.get(a["space_id"] or "", "personal"),
                "published": a["published"],
                "sha256": a["sha256"],
            }
            for a in state["apps"]
        ],
        "message": window.message.text(),
    }
    (folder / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    window.close()


def select(window: MainWindow, name: str) -> None:
    """Select one document's row, as a click on it would."""
    row = next(i for i, r in enumerate(window.documents.rows) if r.result.path.name == name)
    window.documents_view.clearSelection()
    window.documents_view.selectRow(window.filter.mapFromSource(window.documents.index(row, 0)).row())
