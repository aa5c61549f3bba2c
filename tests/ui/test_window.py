"""The window driven as a user would, against a sandbox over real HTTP: scan, confirm stale
documents, upload with progress, pause/resume/cancel/retry, sign in with a real keyring."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from qvupload.cloud import StaticToken
from qvupload.documents.demo import write_demo_documents
from qvupload.sandbox import Sandbox
from qvupload.transfers import JobState
from qvupload.ui.dialogs import SignInDialog, SpacePickerDialog, StaleConfirmDialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store
from tests.conftest import persona

Run = Callable[[Any], Any]


def answer_dialog(kind: type[QDialog], act: Callable[[Any], None]) -> None:
    """When a dialog of that kind opens, act on it (as the user would click); gives up after 90 s (a
    loaded CI machine can take a while to get there; a count of polls ran out under load)."""
    deadline = time.monotonic() + 90

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                act(widget)
                return
        if time.monotonic() < deadline:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def window_for(sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot) -> MainWindow:
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    aloop(session.connect(sandbox.url, StaticToken(persona(sandbox, "ann")[1]), window.ask_duplicate, "test"))
    window.show_signed_in()
    aloop(window.scan([tmp_path / "docs"]))
    return window


def test_upload_through_the_window(sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot) -> None:
    write_demo_documents(tmp_path / "docs")
    window = window_for(sandbox, tmp_path, aloop, qtbot)
    assert window.documents.rowCount() == 5
    answer_dialog(StaleConfirmDialog, lambda d: d.upload_anyway.click())
    aloop(window.upload())
    jobs = window.transfers.jobs
    assert len(jobs) == 4  # the unreadable file is never queued
    assert {j.state for j in jobs} == {"done"}
    assert window.overall.value() == 100
    cloud = {r.result.path.name: r.cloud for r in window.documents.rows}
    assert cloud["Sales Overview.qvw"] == "uploaded" and cloud["Notes.qvw"] == ""
    assert "4 uploaded, 0 skipped, 0 failed" in window.message.text()
    apps = httpx.get(f"{sandbox.url}/__sandbox/state").json()["apps"]
    assert {"Sales Overview", "Finance Monthly", "HR Headcount (secured)", "Template (never reloaded)"} <= {
        a["name"] for a in apps
    }


def test_skip_stale_uploads_only_fresh(sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot) -> None:
    write_demo_documents(tmp_path / "docs")
    window = window_for(sandbox, tmp_path, aloop, qtbot)
    answer_dialog(StaleConfirmDialog, lambda d: d.skip_stale.click())
    aloop(window.upload())
    assert sorted(Path(j.path).name for j in window.transfers.jobs) == [
        "HR Headcount (secured).qvw",
        "Sales Overview.qvw",
    ]


def test_pause_resume_cancel_retry(sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot) -> None:
    write_demo_documents(tmp_path / "docs")
    window = window_for(sandbox, tmp_path, aloop, qtbot)
    httpx.post(
        f"{sandbox.url}/__sandbox/faults",
        json={"route": "PATCH /api/v1/temp-contents/files/{id}", "bandwidth_bps": 2_000_000, "count": 1000},
    )
    httpx.post(f"{sandbox.url}/__sandbox/faults", json={"route": "POST /api/v1/apps/import", "status": 403, "count": 1})
    answer_dialog(StaleConfirmDialog, lambda d: d.upload_anyway.click())

    async def drive() -> None:
        upload = asyncio.ensure_future(window.upload())
        queue = window.session.queue
        assert queue is not None
        while len(queue.jobs) < 4:
            await asyncio.sleep(0.02)
        # cancel the last job while it still waits its turn: cancelled later (under load it may be
        # importing by then) it could be the one that met the 403, and then no job would fail
        last = list(queue.jobs.values())[-1]
        assert last.job_state is JobState.QUEUED
        queue.cancel(last.id)
        while last not in window.transfers.jobs:  # its row appears with its first event
            await asyncio.sleep(0.02)
        assert last.job_state is JobState.CANCELLED
        while not any(j.job_state is JobState.UPLOADING for j in window.transfers.jobs):
            await asyncio.sleep(0.02)
        first = next(j for j in window.transfers.jobs if j.job_state is JobState.UPLOADING)
        window.transfers_view.selectRow(window.transfers.jobs.index(first))
        window.pause_selected()
        await asyncio.sleep(0.2)
        assert first.job_state is JobState.PAUSED
        window.resume_selected()
        await upload
        while window.tasks:
            await asyncio.sleep(0.05)

    aloop(drive())
    states = [j.state for j in window.transfers.jobs]
    assert states.count("cancelled") == 1 and states.count("failed") == 1, states
    httpx.delete(f"{sandbox.url}/__sandbox/faults")
    window.retry_failed()

    async def settle() -> None:
        while window.tasks:
            await asyncio.sleep(0.05)

    aloop(settle())
    assert sorted(j.state for j in window.transfers.jobs) == ["cancelled", "done", "done", "done"]


def test_sign_in_dialog_with_a_real_keyring(
    sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot, keyring_env: dict[str, str]
) -> None:
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    dialog = SignInDialog(window)
    dialog.tenant.setText(sandbox.url)
    dialog.api_key.setText("wrong")
    answer_dialog(SignInDialog, lambda d: d.with_key.click())
    assert aloop(window.sign_in(dialog)) is False
    assert "Could not sign in" in window.message.text() and dialog.api_key.text() == ""
    dialog.api_key.setText(persona(sandbox, "ann")[1])
    answer_dialog(SignInDialog, lambda d: d.with_key.click())
    assert aloop(window.sign_in(dialog)) is True
    assert "Ann Baker" in window.user_label.text()
    from qvupload.auth.session import open_stores

    stores = open_stores()
    assert stores.profiles.get().user_email == "ann@sandbox.example"
    secret = stores.secrets.get("default")
    assert secret is not None and secret.api_key == persona(sandbox, "ann")[1]
    aloop(window.sign_out())
    assert open_stores().secrets.get("default") is None and "Not signed in" in window.user_label.text()


def test_plaintext_secret_storage_is_said_plainly(tmp_path: Path, qtbot: QtBot, aloop: Run) -> None:
    import keyring.backends.fail

    from qvupload.auth.profiles import ProfileStore
    from qvupload.auth.secrets import CredentialStore
    from qvupload.auth.session import Stores

    session = Session(default_store(tmp_path / "data"))
    session.stores = Stores(
        ProfileStore(tmp_path / "config"),
        CredentialStore(keyring.backends.fail.Keyring(), plaintext_file=tmp_path / "s.json"),
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show_signed_in()
    assert "plain file" in window.message.text()


def test_expired_sign_in_asks_again_and_keeps_the_queue(
    sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot, keyring_env: dict[str, str]
) -> None:
    import secrets

    from qvupload.sandbox.model import Token

    write_demo_documents(tmp_path / "docs")
    window = window_for(sandbox, tmp_path, aloop, qtbot)
    queue = window.session.queue
    uid, key = persona(sandbox, "ann")
    httpx.post(f"{sandbox.url}/__sandbox/expire", json={"token": key})  # the key stops working
    fresh = Token("qvk_" + secrets.token_urlsafe(16), uid, "api-key")
    sandbox.tenant.tokens[fresh.value] = fresh

    def sign_in_again(dialog: SignInDialog) -> None:
        dialog.tenant.setText(sandbox.url)
        dialog.api_key.setText(fresh.value)
        dialog.with_key.click()

    answer_dialog(StaleConfirmDialog, lambda d: d.skip_stale.click())
    answer_dialog(SignInDialog, sign_in_again)
    aloop(window.upload())
    assert window.session.queue is queue  # the same queue carried on
    assert sorted(j.state for j in queue.jobs.values()) == ["done", "done"]  # type: ignore[union-attr]


def test_an_error_is_said_in_place_with_details_one_click_away(
    sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot
) -> None:
    write_demo_documents(tmp_path / "docs")
    window = window_for(sandbox, tmp_path, aloop, qtbot)
    assert not window.details_button.isVisibleTo(window)
    row = next(r for r in window.documents.rows if r.verdict == "fresh")
    window.app_ids[row.result.path] = "0" * 24  # as if the app had been deleted on the web meanwhile
    source = window.documents.index(window.documents.rows.index(row), 0)
    window.documents_view.selectRow(window.filter.mapFromSource(source).row())
    answer_dialog(SpacePickerDialog, lambda dialog: dialog.accept())
    aloop(window.run(window.move_or_publish("shared")))
    assert "not found" in window.message.text()
    assert window.details_button.isVisibleTo(window)
    assert "HTTP status: 404" in window.details and f"Request: PUT /api/v1/apps/{'0' * 24}/space" in window.details
    assert re.search(r"^Trace id: [0-9a-f]{32}$", window.details, re.M)  # what Qlik support asks for
    assert "Bearer" not in window.details and persona(sandbox, "ann")[1] not in window.details
    window.details_button.click()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1 and "Trace id:" in boxes[0].informativeText()
    boxes[0].close()
    window.say("All good.")
    assert not window.details_button.isVisibleTo(window)


def test_profile_switcher(
    sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot, keyring_env: dict[str, str]
) -> None:
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.fill_profiles_menu()
    (empty,) = window.profiles_menu.actions()
    assert not empty.isEnabled() and "No saved profiles" in empty.text()
    for name, who in (("sales", "ann"), ("admin", "adam")):
        aloop(session.sign_in(window.ask_duplicate, name, sandbox.url, api_key=persona(sandbox, who)[1]))
    window.show_signed_in()
    window.profiles_menu.aboutToShow.emit()  # as when the menu opens
    entries = {a.text().split(":")[0]: a for a in window.profiles_menu.actions()}
    assert set(entries) == {"sales", "admin"} and entries["admin"].isChecked() and not entries["sales"].isChecked()
    assert "Ann Baker on http://127.0.0.1" in entries["sales"].text()
    from qvupload.auth.session import open_stores

    assert open_stores().profiles.get().name == "admin"  # the latest sign-in
    aloop(asyncio.gather(*window.tasks))  # the admin's targets are listed
    # searches of the old profile in flight while it switches: the target list and an access check
    loop_errors: list[dict[str, Any]] = []
    asyncio.get_event_loop().set_exception_handler(lambda _loop, context: loop_errors.append(context))
    slow = {"route": "*", "latency_ms": 1500, "count": 2}
    assert httpx.post(f"{sandbox.url}/__sandbox/faults", json=slow).status_code == 201
    dialog: Any = window.open_access_check()
    assert dialog is not None

    async def switch_while_searching() -> tuple[asyncio.Task[Any], asyncio.Task[Any]]:
        targets = window.run(window.load_targets())
        dialog.user.setText("carl@sandbox.example")
        dialog.app.setText("Sales Overview")
        dialog.check.click()
        await asyncio.sleep(0.3)  # both calls are at the tenant, held by the latency
        assert httpx.get(f"{sandbox.url}/__sandbox/faults").json() == []
        entries["sales"].trigger()
        while pending := [t for t in window.tasks if not t.done()]:  # the switch, then the new targets
            await asyncio.gather(*pending, return_exceptions=True)
        return targets, dialog.task

    targets, check = aloop(switch_while_searching())
    assert targets.cancelled() and check.cancelled()  # stopped before the old client closed
    assert "Ann Baker" in window.user_label.text()
    assert session.profile == "sales" and "(profile sales)" in window.message.text()
    assert dialog.verdict.text() != "Cannot tell"
    assert loop_errors == [] and not session.tasks
    dialog.close()
    assert open_stores().profiles.get().name == "sales"  # the window opens with it next time
    # unfinished transfers belong to the profile in use: switching is refused, and nothing is lost
    write_demo_documents(tmp_path / "docs")
    assert session.queue is not None
    session.queue.add([tmp_path / "docs" / "Sales Overview.qvw"], "personal", policy="skip", allow_stale=True)
    assert aloop(window.switch_profile("admin")) is False
    assert "Finish or cancel the transfers first" in window.message.text() and session.profile == "sales"
    assert len(session.queue.jobs) == 1
