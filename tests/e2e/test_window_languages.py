"""End to end: ``qvupload --lang de demo`` and ``--lang fr`` in a real X window under Xvfb; a screenshot of
each goes to test-artifacts/e2e/window-de.png and window-fr.png (the README shows them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, require
from tests.e2e.xdo import Screen, xvfb

ARTIFACTS = REPO / "test-artifacts" / "e2e"


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    for tool in ("Xvfb", "xdotool", "import"):
        require(shutil.which(tool) is not None, f"{tool} is not installed", "QVUPLOAD_REQUIRE_DISPLAY")
    with xvfb(range(151, 155)) as name:
        yield name


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_demo_window_in_german_and_french(display: str, tmp_path: Path, lang: str) -> None:
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "LANGUAGE": lang,
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    demo = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "--lang", lang, "demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        screen = Screen(display)
        main = screen.window("qvupload")
        screen.resize(main, 1270, 840)
        screen.focus(main)
        time.sleep(4)  # the demo documents are scanned and listed
        shot = screen.shoot(tmp_path / f"window-{lang}.png", main)
        screen.keys("ctrl+q")
        code = demo.wait(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert code == 0, demo.stderr.read()[-3000:] if demo.stderr else ""
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / shot.name)
