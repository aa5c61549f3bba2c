"""The Access check window against the demo seed: search as you type, pick from the suggestions,
a verdict for each app a name matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from qvupload.sandbox import Sandbox
from qvupload.ui.access_check import AccessCheckDialog
from tests.ui.keyboard import keyboard_problems
from tests.ui.test_admin import signed_in


def _requests(sandbox: Sandbox, route: str) -> int:
    counts: dict[str, int] = httpx.get(f"{sandbox.url}/__sandbox/state").json()["request_counts"]
    return counts.get(route, 0)


def _open(sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot) -> AccessCheckDialog:
    window = signed_in(sandbox, "hana", tmp_path, aloop, qtbot)
    dialog = window.open_access_check()
    assert isinstance(dialog, AccessCheckDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _wait(aloop: Any, qtbot: QtBot, condition: Any) -> None:
    import asyncio

    async def poll() -> None:
        for _ in range(200):
            if condition():
                return
            await asyncio.sleep(0.025)
        raise AssertionError("the window did not get there in 5 s")

    aloop(poll())


def test_type_part_of_a_name_and_pick_the_user(sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot) -> None:
    dialog = _open(sandbox, tmp_path, aloop, qtbot)
    assert keyboard_problems(dialog) == []
    before = _requests(sandbox, "GET /api/v1/users")
    dialog.user.setFocus()
    QTest.keyClicks(dialog.user, "car")  # three keys, well inside the pause that starts a search
    _wait(aloop, qtbot, lambda: dialog.user_suggestions.isVisible())
    assert _requests(sandbox, "GET /api/v1/users") - before == 1  # one search for "car", not one per key
    texts = [dialog.user_suggestions.item(i).text() for i in range(dialog.user_suggestions.count())]
    assert texts == ["Carl Consumer <carl@sandbox.example>"]
    item = dialog.user_suggestions.item(0)
    rect = dialog.user_suggestions.visualItemRect(item)
    QTest.mouseClick(dialog.user_suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.picked_user is not None and dialog.picked_user["email"] == "carl@sandbox.example"
    assert dialog.user.text() == "Carl Consumer <carl@sandbox.example>" and not dialog.user_suggestions.isVisible()
    QTest.keyClicks(dialog.app, "Sales Dash")
    _wait(aloop, qtbot, lambda: dialog.app_suggestions.count() == 2)
    apps = [dialog.app_suggestions.item(i).text() for i in range(2)]
    assert any("Sales Team (shared)" in a for a in apps)
    assert any("Sales Reports (managed), published copy" in a for a in apps)
    QTest.keyClick(dialog.app, Qt.Key.Key_Down)  # into the suggestions, then Down to the second, Enter picks
    QTest.keyClick(dialog.app_suggestions, Qt.Key.Key_Down)
    picked = dialog.app_suggestions.currentItem().text()
    QTest.keyClick(dialog.app_suggestions, Qt.Key.Key_Return)
    assert dialog.picked_app is not None and dialog.app.text() == picked
    aloop(dialog.run_check())
    assert len(dialog.answers) == 1 and dialog.verdict.text() in ("VIEW-ONLY", "MORE-THAN-VIEW")


def test_a_name_of_two_apps_gets_a_verdict_for_each(sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot) -> None:
    dialog = _open(sandbox, tmp_path, aloop, qtbot)
    dialog.user.setText("carl@sandbox.example")
    dialog.app.setText("Sales Dashboard")
    aloop(dialog.run_check())
    assert "2 apps are named Sales Dashboard" in dialog.matches_label.text()
    rows = [dialog.matches.item(i).text() for i in range(dialog.matches.count())]
    assert rows == ["MORE-THAN-VIEW  in Sales Team (shared)", "VIEW-ONLY  in Sales Reports (managed), published copy"]
    assert dialog.verdict.text() == "MORE-THAN-VIEW"
    assert "group Sales Leads" in "\n".join(dialog.reasons.item(i).text() for i in range(dialog.reasons.count()))
    assert "removes it from that group's assignment" in dialog.advice.text()
    dialog.matches.setCurrentRow(1)
    assert dialog.verdict.text() == "VIEW-ONLY" and "published copy" in dialog.summary.text()
    assert "Nothing to do" in dialog.advice.text()


def test_closing_the_panel_cancels_its_searches(sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot) -> None:
    import asyncio

    dialog = _open(sandbox, tmp_path, aloop, qtbot)
    httpx.post(f"{sandbox.url}/__sandbox/faults", json={"route": "GET /api/v1/users", "latency_ms": 3000, "count": 5})

    async def scenario() -> tuple[asyncio.Task[Any], asyncio.Task[Any]]:
        dialog.user.setText("ca")
        dialog._search("user")
        stale = dialog.searches["user"]
        await asyncio.sleep(0.1)
        dialog.user.setText("car")
        dialog._search("user")  # a newer search: the stale one is cancelled
        newer = dialog.searches["user"]
        await asyncio.sleep(0.1)
        dialog.reject()  # closing the panel cancels what it started
        await asyncio.gather(stale, newer, return_exceptions=True)
        return stale, newer

    stale, newer = aloop(scenario())
    assert stale.cancelled() and newer.cancelled() and not dialog.tasks


def test_signing_out_closes_the_panel_and_cancels_its_search(
    sandbox: Sandbox, tmp_path: Path, aloop: Any, qtbot: QtBot
) -> None:
    import asyncio

    window = signed_in(sandbox, "hana", tmp_path, aloop, qtbot)
    dialog = window.open_access_check()
    assert isinstance(dialog, AccessCheckDialog)
    httpx.post(f"{sandbox.url}/__sandbox/faults", json={"route": "GET /api/v1/users", "latency_ms": 3000, "count": 5})

    async def scenario() -> asyncio.Task[Any]:
        dialog.user.setText("car")
        dialog._search("user")
        search = dialog.searches["user"]
        await asyncio.sleep(0.1)
        await window.sign_out()  # the client closes: nothing may still be using it
        await asyncio.gather(search, return_exceptions=True)
        return search

    search = aloop(scenario())
    assert search.cancelled() and not dialog.isVisible() and window.session.client is None
