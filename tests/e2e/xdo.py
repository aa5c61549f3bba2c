"""Driving a real X window from outside, as a person would: xdotool sends real key and mouse
events to the X server (Xvfb), ImageMagick's ``import`` takes screenshots. Nothing here runs
inside the application."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def xvfb(numbers: range) -> Iterator[str]:
    """A private Xvfb screen (1280x860) on the first free display number of ``numbers``, until the
    block ends; each test folder takes its own range so that they never meet."""
    number = next((n for n in numbers if not Path(f"/tmp/.X{n}-lock").exists()), numbers[-1] + 1)
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            assert time.monotonic() < deadline and proc.poll() is None, "Xvfb did not start"
            time.sleep(0.05)
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Screen:
    def __init__(self, display: str) -> None:
        self.display = display

    def xdo(self, *args: str) -> str:
        env = {"DISPLAY": self.display, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30)
        return done.stdout.strip()

    def window(self, title: str, timeout: float = 30) -> str:
        """The id of the visible window with exactly this title, once it is there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.xdo("search", "--onlyvisible", "--name", f"^{title}$").split()
            if found:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no window titled {title!r} appeared in {timeout:.0f} s")

    def focus(self, window: str) -> None:
        self.xdo("windowfocus", "--sync", window)
        time.sleep(0.15)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.xdo("key", "--delay", "60", key)
            time.sleep(0.08)

    def type(self, text: str) -> None:
        self.xdo("type", "--delay", "90", text)

    def click(self, window: str, x: int, y: int) -> None:
        """A left click at (x, y) inside the window."""
        self.xdo("mousemove", "--window", window, str(x), str(y))
        time.sleep(0.1)
        self.xdo("click", "1")
        time.sleep(0.2)

    def resize(self, window: str, width: int, height: int) -> None:
        self.xdo("windowsize", "--sync", window, str(width), str(height))
        self.xdo("windowmove", "--sync", window, "0", "0")

    def shoot(self, path: Path, window: str = "root") -> Path:
        time.sleep(0.4)  # let the last events paint
        env = {"DISPLAY": self.display, "PATH": "/usr/bin:/bin"}
        subprocess.run(["import", "-window", window, str(path)], env=env, check=True, timeout=30)
        return path


def wait_for(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen in {timeout:.0f} s")
