"""End to end: ``qvupload demo`` in a real X window under Xvfb, driven from outside with real
keyboard and mouse events (xdotool), as a person would: upload (Enter in the stale question
skips the stale documents), look at a document's details, publish it to a managed space, and ask
the access check about Carl on Sales Dashboard. What happened is read back from the demo's
sandbox tenant; screenshots of each state go to test-artifacts/e2e/ (the README's come from here).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO, require
from tests.e2e.xdo import Screen, wait_for, xvfb

ARTIFACTS = REPO / "test-artifacts" / "e2e"
FIRST_ROW = (60, 212)  # inside the documents table's first row (the window is moved to 0,0 and sized)
SECOND_MATCH = (120, 171)  # the access check's second verdict line, inside that dialog


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    for tool in ("Xvfb", "xdotool", "import"):
        require(shutil.which(tool) is not None, f"{tool} is not installed", "QVUPLOAD_REQUIRE_DISPLAY")
    with xvfb(range(131, 140)) as name:
        yield name


def _state(url: str) -> dict[str, Any]:
    state: dict[str, Any] = httpx.get(f"{url}/__sandbox/state").json()
    return state


def _apps(url: str) -> list[tuple[str, str, bool]]:
    state = _state(url)
    spaces = {s["id"]: s["name"] for s in state["spaces"]}
    return sorted((a["name"], spaces.get(a["space_id"] or "", "personal"), a["published"]) for a in state["apps"])


def test_demo_window_driven_from_outside(display: str, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    demo = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _drive(Screen(display), demo, shots)
        code = demo.wait(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert code == 0, demo.stderr.read()[-3000:] if demo.stderr else ""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    digests = set()
    for shot in sorted(shots.glob("*.png")):
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, shot.name  # a real, non-empty picture
        digests.add(hashlib.sha256(data).hexdigest())
        shutil.copyfile(shot, ARTIFACTS / shot.name)
    assert len(digests) == len(list(shots.glob("*.png"))) == 8  # each state looks different


def _drive(screen: Screen, demo: subprocess.Popen[str], shots: Path) -> None:
    assert demo.stdout is not None
    line = demo.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert found, f"the demo did not say where its sandbox is: {line!r}"
    url = found.group(0)
    main = screen.window("qvupload")
    screen.resize(main, 1270, 840)
    screen.focus(main)
    time.sleep(2.5)  # the demo documents are read in the background
    screen.shoot(shots / "1-documents.png", main)

    # Upload everything (nothing selected); the stale question comes; Enter takes its default
    httpx.post(
        f"{url}/__sandbox/faults",
        json={"route": "PATCH /api/v1/temp-contents/files/{id}", "count": 1000, "bandwidth_bps": 600_000},
    )
    screen.keys("ctrl+u")
    question = screen.window("Some documents hold old data")
    screen.focus(question)
    screen.shoot(shots / "2-stale-question.png")
    screen.keys("Return")
    wait_for(lambda: any(t for t in _state(url)["temp_files"]), "an upload starting")
    time.sleep(1.5)
    screen.shoot(shots / "3-uploading.png", main)
    httpx.delete(f"{url}/__sandbox/faults")
    uploaded = {("Sales Overview", "personal", False), ("HR Headcount (secured)", "personal", False)}
    wait_for(lambda: uploaded <= set(_apps(url)), "both fresh documents reaching the tenant", timeout=60)
    time.sleep(1.5)
    names = {a[0] for a in _apps(url)}
    assert "Finance Monthly" not in names and "Template (never reloaded)" not in names  # Enter skipped stale data
    screen.shoot(shots / "4-done.png", main)

    # A click on the documents table, then type-ahead to the secured document: the details pane follows
    screen.click(main, *FIRST_ROW)
    screen.type("HR")
    time.sleep(1.0)
    screen.shoot(shots / "5-details.png", main)

    # Publish it to a managed space, choosing the space with the keyboard
    screen.keys("ctrl+p")
    picker = screen.window("Publish to managed space")
    screen.focus(picker)
    screen.type("Sales")
    screen.keys("Return")
    copy = ("HR Headcount (secured)", "Sales Reports", True)
    wait_for(lambda: copy in _apps(url), "the published copy in Sales Reports")
    time.sleep(1.5)
    screen.shoot(shots / "6-published-details.png", main)

    # The help desk's question: type part of Carl's name, pick him from the suggestions, then the app
    screen.focus(main)
    screen.keys("ctrl+k")
    check = screen.window("Access check")
    screen.focus(check)
    before = _state(url)["request_counts"].get("GET /api/v1/users", 0)
    screen.type("car")
    time.sleep(1.5)
    assert _state(url)["request_counts"].get("GET /api/v1/users", 0) > before  # searched as typed
    screen.keys("Down", "Return")  # into the suggestions, pick the first
    screen.type("Sales Dashboard")
    time.sleep(1.5)
    screen.keys("Escape", "Return")  # the suggestions away, then check the name as typed: two apps
    time.sleep(2.0)
    screen.shoot(shots / "7-access-check.png")
    screen.click(check, *SECOND_MATCH)  # a click on the published copy's line shows its verdict
    screen.shoot(shots / "8-access-check-published-copy.png")
    screen.keys("Escape")
    time.sleep(0.3)
    screen.focus(main)
    screen.keys("ctrl+q")
