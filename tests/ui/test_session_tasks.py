"""Background work of the window belongs to the session: signing out or closing the window while a
search is at the tenant cancels it and waits for it before the client closes; a failure in such
work is a sentence in place, not a crash dialog."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from qvupload.cloud import StaticToken
from qvupload.sandbox import Sandbox
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store
from tests.conftest import persona

Run = Callable[[Any], Any]


@pytest.fixture
def window(sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot) -> Iterator[MainWindow]:
    session = Session(default_store(tmp_path / "data"))
    win = MainWindow(session)
    qtbot.addWidget(win)
    aloop(session.connect(sandbox.url, StaticToken(persona(sandbox, "ann")[1]), win.ask_duplicate, "ann"))
    yield win
    aloop(session.aclose())


@pytest.fixture
def loop_errors(aloop: Run, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What reaches the event loop's exception handler or sys.excepthook (the crash dialog's hook)."""
    errors: list[Any] = []
    asyncio.get_event_loop().set_exception_handler(lambda _loop, context: errors.append(context))
    monkeypatch.setattr(sys, "excepthook", lambda *exc: errors.append(exc))
    return errors


def slow_tenant(sandbox: Sandbox, count: int = 1) -> None:
    spec = {"route": "*", "latency_ms": 1500, "count": count}
    assert httpx.post(f"{sandbox.url}/__sandbox/faults", json=spec).status_code == 201


def test_sign_out_while_a_search_runs(window: MainWindow, sandbox: Sandbox, aloop: Run, loop_errors: list[Any]) -> None:
    slow_tenant(sandbox)

    async def scenario() -> asyncio.Task[Any]:
        targets = window.run(window.load_targets())
        await asyncio.sleep(0.3)  # at the tenant
        await window.sign_out()
        return targets

    targets = aloop(scenario())
    assert targets.cancelled() and not window.session.tasks
    assert window.session.client is None and window.message.text() == "Signed out."
    assert loop_errors == []


def test_window_closed_while_a_search_runs(
    window: MainWindow, sandbox: Sandbox, aloop: Run, loop_errors: list[Any]
) -> None:
    slow_tenant(sandbox)
    session = window.session

    async def scenario() -> asyncio.Task[Any]:
        targets = window.run(window.load_targets())
        await asyncio.sleep(0.3)
        window.close()  # as the app does: the window closes, then the session
        await session.aclose()
        return targets

    targets = aloop(scenario())
    assert targets.cancelled() and session.client is None
    assert loop_errors == []


def test_a_failure_in_background_work_is_a_sentence(window: MainWindow, aloop: Run, loop_errors: list[Any]) -> None:
    async def broken() -> None:
        raise RuntimeError("the list could not be drawn")

    async def scenario() -> None:
        await asyncio.gather(window.run(broken()))

    aloop(scenario())
    text = window.message.text()
    assert text.startswith("That did not finish because of an unexpected error") and text.endswith(".")
    assert "the list could not be drawn" in text and "Traceback" not in text
    seen: list[Exception] = []
    task = window.session.spawn(broken(), on_error=seen.append)
    aloop(asyncio.gather(task))
    assert [str(e) for e in seen] == ["the list could not be drawn"] and task.result() is None
    assert loop_errors == []
