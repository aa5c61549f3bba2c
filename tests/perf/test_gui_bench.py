"""The window under load, and how fast it appears.

- While four uploads run at full speed (to a sandbox in its own process) and the documents table
  holds 5,000 rows, a 10 ms heartbeat timer measures how late the event loop runs it: the worst
  and the 99th-percentile stall are printed (target: worst <= 50 ms).
- Start-up: `qvupload` until its window is shown, against an empty PySide6 window in the same run
  (target: at most 2x).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
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

    import qasync
    from PySide6.QtCore import QTimer

    from qvupload.cloud import StaticToken
    from qvupload.documents.scan import ScanOptions, scan
    from qvupload.documents.synthetic import SyntheticDocument, write_document
    from qvupload.ui.main_window import MainWindow
    from qvupload.ui.session import Session, default_store

    now = datetime.now(UTC) - timedelta(hours=1)
    many = tmp_path / "many"
    many.mkdir()
    for i in range(5000):
        write_document(many / f"Doc {i:04}.qvw", SyntheticDocument(now))
    big = [write_document(tmp_path / f"Big {i}.qvw", SyntheticDocument(now, size=400 * 1024 * 1024)) for i in range(4)]
    results = scan([many], ScanOptions())

    sys.setswitchinterval(0.001)  # as run_window sets it
    loop = qasync.QEventLoop(qapp, already_running=False)
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
        window.documents.add_results(results)
        assert window.documents.rowCount() == 5000
        last[0] = time.perf_counter()
        timer.start(10)
        assert session.queue is not None
        session.queue.add(big, "personal", policy="keep-both", allow_stale=True)
        await session.queue.run()
        timer.stop()
        await session.close_client()

    started = time.perf_counter()
    loop.run_until_complete(run())
    elapsed = time.perf_counter() - started
    window.close()
    loop.close()
    assert all(j.state == "done" for j in window.transfers.jobs), [j.message for j in window.transfers.jobs]
    worst = max(stalls) * 1000
    p99 = statistics.quantiles(stalls, n=100)[98] * 1000
    print(
        f"\nevent loop under load (4 uploads of 400 MB at full speed, 5,000 documents listed, {elapsed:.1f} s):\n"
        f"  heartbeats     {len(stalls)}\n  worst stall    {worst:6.1f} ms (target <= 50 ms)\n"
        f"  99th pct       {p99:6.1f} ms"
    )
    assert worst <= 50


def _time(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its window being shown (it prints the moment)."""
    start = time.time()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, timeout=60).stdout
    shown = float(next(line.split()[1] for line in out.splitlines() if line.startswith("shown ")))
    return shown - start


@pytest.mark.xfail(
    strict=False,
    reason="issue 6 open: 2.1-2.8x an empty window here (target 2x); the window now shows before asyncio loads",
)
def test_window_appears_quickly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QVUPLOAD_STARTUP_PROBE": "1",
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    empty = min(_time([sys.executable, "-c", EMPTY_WINDOW], env) for _ in range(3))
    ours = min(_time([sys.executable, "-m", "qvupload"], env) for _ in range(3))
    print(
        f"\nstart-up to a shown window (best of three):\n  empty PySide6 window  {empty:5.2f} s\n"
        f"  qvupload              {ours:5.2f} s\n  ratio                 {ours / empty:5.2f} (target <= 2)"
    )
    assert ours <= 2 * empty
