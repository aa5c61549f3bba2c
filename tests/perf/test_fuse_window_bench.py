"""The window stays responsive while it reads documents from a slow file server.

The window scans 2,000 documents on the slow FUSE mount (2 ms per call, no inode numbers: see
tests/fusefs/) as when a user adds a folder of a file server; a 10 ms heartbeat on the window's
event loop measures the longest stall while the scan runs, and the progress line is sampled.
Targets: while the documents are read, the 99th percentile of the stalls at most 50 ms and the worst
at most 250 ms; the pause when the list is complete at most 1 s; every document listed; the progress
line moves. The machine has 2 cores, shared here with the file system's own server (run at the lowest
priority, as a remote server's processors are not ours) and the scan's worker process.
Run: ``QVUPLOAD_REQUIRE_FUSE=1 .venv/bin/python -m pytest tests/perf/test_fuse_window_bench.py -m perf -s -q``
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.fusefs.mount import require_fuse, slow_mount
from tests.perf.test_fuse_bench import build_tree

COUNT = 2000
# while documents come in: 99 of 100 heartbeats within 50 ms of their time, none held up past 250 ms
TARGET_P99_MS = 50.0
TARGET_WORST_MS = 250.0
# once, when the list is complete (fitting the columns, one garbage collection)
TARGET_END_MS = 1000.0
TARGET_FIT_MS = 100.0  # fitting the columns on its own (it took 0.9-1.1 s with Qt's default precision)

pytestmark = pytest.mark.perf


def test_window_scan_of_a_slow_mount_never_stalls(tmp_path: Path, qapp: object) -> None:
    require_fuse()
    from PySide6.QtCore import QTimer

    from qvupload.ui.app import MainThreadCollector
    from qvupload.ui.main_window import MainWindow
    from qvupload.ui.qtloop import QtEventLoop
    from qvupload.ui.session import Session, default_store

    backing = tmp_path / "share"
    backing.mkdir()
    assert len(build_tree(backing)) == COUNT
    sys.setswitchinterval(0.001)  # as run_window sets it
    loop = QtEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    window = MainWindow(Session(default_store(tmp_path / "data")))
    window.show()
    stalls: list[float] = []
    when: list[str] = []  # the progress line when each heartbeat came
    passes: list[int] = []  # full garbage-collection passes so far
    done: list[bool] = []  # whether every document was listed by then (the stall was the scan's end)
    labels: list[str] = []
    last = [time.perf_counter()]

    def beat() -> None:
        t = time.perf_counter()
        stalls.append(max(0.0, (t - last[0]) - 0.010))
        last[0] = t
        text = window.scan_label.text()
        when.append(text)
        done.append(window.documents.rowCount() == COUNT)
        passes.append(gc.get_stats()[2]["collections"])
        if not labels or labels[-1] != text:
            labels.append(text)

    timer = QTimer()
    timer.timeout.connect(beat)
    with slow_mount(backing, tmp_path / "mnt", delay_ms=2.0, inodes="constant", remote=True) as mnt:
        time.sleep(1.2)  # the kernel's entry and attribute caches of the mounting run out

        async def run() -> float:
            last[0] = time.perf_counter()
            timer.start(10)
            start = time.perf_counter()
            await window.scan([mnt])
            timer.stop()
            return time.perf_counter() - start

        with MainThreadCollector():
            wall = loop.run_until_complete(run())
    fit_start = time.perf_counter()
    window.documents_view.resizeColumnsToContents()  # what each scan ends with, timed on its own
    fit_ms = (time.perf_counter() - fit_start) * 1000
    window.close()
    loop.close()
    asyncio.set_event_loop(None)
    while_reading = [s for s, d in zip(stalls, done, strict=True) if not d]
    worst = max(while_reading) * 1000
    p99 = statistics.quantiles(while_reading, n=100)[98] * 1000
    end_pause = max((s for s, d in zip(stalls, done, strict=True) if d), default=0.0) * 1000
    reading = [t for t in labels if t.startswith("Reading documents")]
    full = [b - a for a, b in zip([passes[0], *passes], passes, strict=False)]  # a full pass came before this beat
    longest = sorted(zip(stalls, when, full, strict=True), reverse=True)[:5]
    longest_text = "\n".join(
        f"    {s * 1000:6.1f} ms before a beat at {w!r}{' (a full garbage collection)' if f else ''}"
        for s, w, f in longest
    )
    print(
        f"\nwindow scan of {COUNT:,} documents on a slow mount (2 ms per call, no inode numbers): {wall:.1f} s\n"
        f"  heartbeats       {len(stalls)} ({len(while_reading)} while documents were still coming)\n"
        f"  worst stall      {worst:6.1f} ms while reading (target <= {TARGET_WORST_MS:.0f} ms)\n"
        f"  99th pct         {p99:6.1f} ms while reading (target <= {TARGET_P99_MS:.0f} ms)\n"
        f"  end of the scan  {end_pause:6.1f} ms (columns fitted, garbage collected; target <= {TARGET_END_MS:.0f})\n"
        f"  fitting columns  {fit_ms:6.1f} ms for {COUNT:,} rows (target <= {TARGET_FIT_MS:.0f} ms)\n"
        f"  progress lines   {len(labels)} distinct ({len(reading)} while reading), last: {labels[-1]!r}\n"
        f"  longest five\n{longest_text}"
    )
    assert window.documents.rowCount() == COUNT
    assert len(reading) >= 3  # the user sees it move
    assert p99 <= TARGET_P99_MS
    assert worst <= TARGET_WORST_MS
    assert end_pause <= TARGET_END_MS
    assert fit_ms <= TARGET_FIT_MS
