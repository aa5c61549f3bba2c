"""The window under load, and how fast it appears.

- While four uploads run at full speed (to a sandbox in its own process) and the documents table
  holds 5,000 rows, a 10 ms heartbeat timer measures how late the event loop runs it: the worst
  and the 99th-percentile stall are printed (target: worst <= 50 ms).
- Start-up: `qvupload` until its window is shown, against an empty PySide6 window in the same run
  (target: at most 2x). Twelve alternating pairs after one warm-up each, both from compiled bytecode;
  the median of the pair ratios is judged, and every time is printed.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from itertools import count
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytestmark = pytest.mark.perf

EMPTY_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()

def shown():
    import time
    print(f"shown {time.time():.6f}", flush=True)
    app.quit()

QTimer.singleShot(0, shown)
app.exec()
"""


def test_event_loop_never_stalls_under_load(tenant: dict[str, str], tmp_path: Path, qapp: object) -> None:
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QTimer

    from qvupload.cloud import StaticToken
    from qvupload.documents.synthetic import SyntheticDocument, write_document
    from qvupload.ui.app import MainThreadCollector
    from qvupload.ui.main_window import MainWindow
    from qvupload.ui.qtloop import QtEventLoop
    from qvupload.ui.session import Session, default_store

    now = datetime.now(UTC) - timedelta(hours=1)
    many = tmp_path / "many"
    many.mkdir()
    for i in range(5000):
        write_document(many / f"Doc {i:04}.qvw", SyntheticDocument(now))
    big = [write_document(tmp_path / f"Big {i}.qvw", SyntheticDocument(now, size=400 * 1024 * 1024)) for i in range(4)]

    sys.setswitchinterval(0.001)  # as run_window sets it
    loop = QtEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    session = Session(default_store(tmp_path / "data"), concurrency=4)
    window = MainWindow(session)
    window.show()
    stalls: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        t = time.perf_counter()
        stalls.append(max(0.0, (t - last[0]) - 0.010))
        last[0] = t

    timer = QTimer()
    timer.timeout.connect(beat)

    async def run() -> None:
        await session.connect(tenant["url"], StaticToken(tenant["key"]), window.ask_duplicate)
        await window.scan([many])  # as a user lists them (the window collects garbage once the scan ends)
        assert window.documents.rowCount() == 5000
        last[0] = time.perf_counter()
        timer.start(10)
        assert session.queue is not None
        session.queue.add(big, "personal", policy="keep-both", allow_stale=True)
        await session.queue.run()
        timer.stop()
        await session.close_client()

    started = time.perf_counter()
    with MainThreadCollector():  # as run_window collects: on the window's thread, on a timer
        loop.run_until_complete(run())
    elapsed = time.perf_counter() - started
    window.close()
    loop.close()
    assert all(j.state == "done" for j in window.transfers.jobs), [j.message for j in window.transfers.jobs]
    worst = max(stalls) * 1000
    p99 = statistics.quantiles(stalls, n=100)[98] * 1000
    longest = ", ".join(f"{s * 1000:.1f} ms (#{i})" for s, i in sorted(zip(stalls, count()), reverse=True)[:5])
    print(
        f"\nevent loop under load (4 uploads of 400 MB at full speed, 5,000 documents listed, {elapsed:.1f} s):\n"
        f"  heartbeats     {len(stalls)}\n  worst stall    {worst:6.1f} ms (target <= 50 ms)\n"
        f"  99th pct       {p99:6.1f} ms\n"
        f"  longest five   {longest}"
    )
    assert worst <= 50


RUNS = 12


def _time(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its window being shown (it prints the moment)."""
    start = time.time()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, timeout=60).stdout
    shown = float(next(line.split()[1] for line in out.splitlines() if line.startswith("shown ")))
    return shown - start


def test_window_appears_quickly(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "QT_QPA_PLATFORM": "offscreen",
        "QVUPLOAD_STARTUP_PROBE": "1",
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
        # both start from compiled bytecode, as an installed app does (pip compiles at install; this
        # machine sets PYTHONDONTWRITEBYTECODE, which would make our side recompile on every start)
        "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
    }
    empty_cmd, our_cmd = [sys.executable, "-c", EMPTY_WINDOW], [sys.executable, "-m", "qvupload"]
    _time(empty_cmd, env), _time(our_cmd, env)  # warm-up: fills the bytecode cache for both
    # alternating pairs: each pair runs back to back, so a busy moment on this 2-core machine hits
    # both sides alike; the median of the pair ratios is judged
    empty_runs, our_runs = [], []
    for _ in range(RUNS):
        empty_runs.append(_time(empty_cmd, env))
        our_runs.append(_time(our_cmd, env))
    ratios = sorted(ours / empty for empty, ours in zip(empty_runs, our_runs, strict=True))
    median = statistics.median(ratios)
    best_empty, best_ours = min(empty_runs), min(our_runs)
    print(
        f"\nstart-up to a shown window ({RUNS} alternating pairs, seconds):\n"
        f"  empty PySide6 window  {' '.join(f'{t:.2f}' for t in empty_runs)}\n"
        f"  qvupload              {' '.join(f'{t:.2f}' for t in our_runs)}\n"
        f"  best                  {best_empty:.2f} vs {best_ours:.2f} (ratio {best_ours / best_empty:.2f})\n"
        f"  median pair ratio     {median:.2f} (target <= 2; range {ratios[0]:.2f}-{ratios[-1]:.2f})"
    )
    assert median <= 2
