"""Transfers when the session's client changes under them: signing in again (same tenant) while a
document uploads pauses it, swaps the client and carries on; signing out pauses it, resumable."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from qvupload.cloud import StaticToken
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.transfers import JobState
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store
from tests.conftest import persona

Run = Callable[[Any], Any]
PATCH = "PATCH /api/v1/temp-contents/files/{id}"


def test_sign_in_again_and_sign_out_while_uploading(sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot) -> None:
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    key = persona(sandbox, "ann")[1]
    aloop(session.connect(sandbox.url, StaticToken(key), window.ask_duplicate, "ann"))
    now = datetime.now(UTC) - timedelta(hours=1)
    docs = [write_document(tmp_path / f"Big {i}.qvw", SyntheticDocument(now, size=3 * 2**20)) for i in range(2)]
    slow = {"route": PATCH, "bandwidth_bps": 2 * 2**20, "count": 1000}
    assert httpx.post(f"{sandbox.url}/__sandbox/faults", json=slow).status_code == 201
    errors: list[Any] = []
    asyncio.get_event_loop().set_exception_handler(lambda _loop, context: errors.append(context))

    async def scenario() -> None:
        queue = session.queue
        assert queue is not None
        (first,) = queue.add(docs[:1], "personal", policy="skip", allow_stale=True)
        run = window.run(queue.run())
        while first.bytes_acked == 0:
            await asyncio.sleep(0.05)
        old = session.client
        await session.connect(sandbox.url, StaticToken(key), window.ask_duplicate, "ann")  # signed in again
        assert session.client is not old and session.queue is queue
        while not first.job_state.terminal:
            await asyncio.sleep(0.05)
        assert first.state == JobState.DONE.value, first.message
        await asyncio.gather(run, return_exceptions=True)
        (second,) = queue.add(docs[1:], "personal", policy="skip", allow_stale=True)
        window.run(queue.run())
        while second.bytes_in_flight == 0:  # part-way through its one PATCH (acked bytes come only at its end)
            await asyncio.sleep(0.05)
        await window.sign_out()
        assert second.state == JobState.PAUSED.value  # not failed on a closed client: resumable
        assert session.client is None

    aloop(scenario())
    apps = [a for a in httpx.get(f"{sandbox.url}/__sandbox/state").json()["apps"] if a["name"] == "Big 0"]
    assert len(apps) == 1
    assert errors == []
