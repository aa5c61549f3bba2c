"""What the window loads before it shows: the start-up budget (tests/perf/test_gui_bench.py) holds only
while the event loop, the network, the keyring, the reader and the worker processes load after it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# each of these cost the window 5-60 ms before it showed when something imported it too early
LATER = {
    "asyncio": "the event loop starts after the window shows",
    "qasync": "the event loop starts after the window shows",
    "httpx": "the network comes after the window",
    "ssl": "the network comes after the window",
    "keyring": "the keyring is asked after the window shows",
    "sqlite3": "the queue's store opens after the window shows",
    "xml": "documents are read when the user adds them",
    "multiprocessing": "worker processes start with the first large scan",
    "html": "the details pane escapes its text itself",
    "babel": "Babel only builds catalogues; the app reads them with gettext",
}


def test_window_shows_before_the_heavy_modules_load(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QVUPLOAD_STARTUP_PROBE": "1",  # prints the moment it is shown and what was loaded by then
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    out = subprocess.run(
        [sys.executable, "-m", "qvupload"], env=env, check=True, capture_output=True, text=True, timeout=60
    ).stdout
    loaded = set(next(line for line in out.splitlines() if line.startswith("loaded ")).split()[1:])
    assert {"PySide6", "qvupload", "platformdirs"} <= loaded  # the list is real
    early = {name: why for name, why in LATER.items() if name in loaded}
    assert not early, f"loaded before the window showed: {early}"
