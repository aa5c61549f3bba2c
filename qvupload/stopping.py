"""Stopping a foreground command cleanly, on every system.

POSIX stops a program with SIGINT (Ctrl+C) and SIGTERM (``kill``, service managers). Windows has
no SIGTERM that anyone sends: ``os.kill``/``TerminateProcess`` and the Task Manager end the
process at once, so no handler runs. What a Windows console does deliver is Ctrl+C (SIGINT) and
Ctrl+Break (SIGBREAK), which is also how another program stops a child cleanly there
(``send_signal(CTRL_BREAK_EVENT)`` to a process started with ``CREATE_NEW_PROCESS_GROUP``).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from types import FrameType

from qvupload.i18n import _


def stop_signal_names(platform: str = sys.platform) -> list[str]:
    """The signals that mean "stop cleanly" where qvupload runs."""
    if platform == "win32":
        return ["SIGINT", "SIGBREAK"]
    return ["SIGINT", "SIGTERM"]


def on_stop_signals(callback: Callable[[], None], platform: str = sys.platform) -> list[str]:
    """Call ``callback`` (from the main thread) on each stop signal; returns the names handled."""

    def handler(signum: int, frame: FrameType | None) -> None:
        callback()

    handled = []
    for name in stop_signal_names(platform):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, handler)
            handled.append(name)
    return handled


def how_to_stop(platform: str = sys.platform) -> str:
    """What to tell a person at the console."""
    if platform == "win32":
        return _("Press Ctrl+C (or Ctrl+Break) to stop.")
    return _("Press Ctrl+C (or send SIGTERM) to stop.")
