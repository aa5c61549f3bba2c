"""End to end: `qvupload demo` in a real X window under Xvfb, driven through the same actions a
user takes (the autopilot: add documents, upload and answer the stale question, move one app to a
shared space, publish another to a managed space), with screenshots of each main state saved to
test-artifacts/e2e/."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, require

ARTIFACTS = REPO / "test-artifacts" / "e2e"
SHOTS = ("1-empty", "2-documents", "3-uploading", "4-done", "5-moved-and-published")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    require(shutil.which("Xvfb") is not None, "Xvfb is not installed", "QVUPLOAD_REQUIRE_DISPLAY")
    for number in range(90, 110):
        if not Path(f"/tmp/.X{number}-lock").exists():
            break
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert time.monotonic() < deadline and proc.poll() is None, "Xvfb did not start"
        time.sleep(0.05)
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


def test_demo_window_end_to_end(display: str, tmp_path: Path) -> None:
    out = tmp_path / "pilot"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QVUPLOAD_AUTOPILOT": str(out),
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "qvupload", "demo"], env=env, capture_output=True, text=True, timeout=180
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads((out / "result.json").read_text())
    assert result["all_done"] and set(result["jobs"]) == {
        "Sales Overview.qvw",
        "Finance Monthly.qvw",
        "HR Headcount (secured).qvw",
        "Template (never reloaded).qvw",
    }
    apps = result["apps"]
    moved = [a for a in apps if a["name"] == "Sales Overview"]
    assert [(a["space"], a["published"]) for a in moved] == [("Sales Team", False)]
    published = sorted((a["space"], a["published"]) for a in apps if a["name"] == "HR Headcount (secured)")
    assert published == [("Sales Reports", True), ("personal", False)]
    assert "published to Sales Reports" in result["message"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    digests = set()
    for name in SHOTS:
        shot = out / f"{name}.png"
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name  # a real, non-empty picture
        digests.add(hashlib.sha256(data).hexdigest())
        shutil.copyfile(shot, ARTIFACTS / shot.name)
    assert len(digests) == len(SHOTS)  # each state looks different
