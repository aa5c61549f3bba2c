"""The window's scan: documents are read in a worker thread and their rows arrive in batches, so the
window stays responsive (tests/perf/test_fuse_window_bench.py measures it on a slow file server)."""

from __future__ import annotations

import gc
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from qvupload.i18n import _

if TYPE_CHECKING:
    from qvupload.documents import ScanResult
    from qvupload.ui.main_window import MainWindow

BATCH = 200  # rows handed to the table at a time


async def scan_into(window: MainWindow, paths: list[Path]) -> None:
    """Read ``paths`` and list their documents in the window, with progress in its scan line."""
    import asyncio

    from qvupload.documents import CancelToken, ScanOptions, ScanProgress, iter_scan

    loop = asyncio.get_running_loop()
    window.scan_label.setText(_("Looking for documents..."))
    cancel = CancelToken(window.scan_cancel)  # the window's close stops it

    def progress(state: ScanProgress) -> None:  # from the scan's thread, at most ten times a second
        text = (
            _("Looking for documents... %(found)s found") % {"found": state.found}
            if state.walking
            else _("Reading documents... %(examined)s of %(found)s")
            % {"examined": state.examined, "found": state.found}
        )
        loop.call_soon_threadsafe(window.scan_label.setText, text)

    def work() -> int:
        batch: list[ScanResult] = []
        count = 0
        options = ScanOptions(stale_after=timedelta(days=window.prefs.stale_after_days), saving_build=True)
        for result in iter_scan(paths, options, cancel=cancel, progress=progress):
            batch.append(result)
            count += 1
            if len(batch) >= BATCH:
                loop.call_soon_threadsafe(window.documents.add_results, batch)
                batch = []
        loop.call_soon_threadsafe(window.documents.add_results, batch)
        return count

    count = await loop.run_in_executor(None, work)
    if count >= BATCH:  # the documents just read stay: collect now, not in the middle of an upload
        gc.collect()
    window.documents_view.resizeColumnsToContents()
    window.documents_view.setColumnWidth(1, min(window.documents_view.columnWidth(1), 160))  # folders elide
    stale = sum(1 for r in window.documents.rows if r.verdict not in ("fresh", "skipped"))
    skipped = sum(1 for r in window.documents.rows if r.verdict == "skipped")
    window.scan_label.setText(
        _("%(listed)s documents listed (%(count)s just read); %(stale)s stale, unknown or unreadable.")
        % {"listed": len(window.documents.rows), "count": count, "stale": stale}
        + (" " + _("%(skipped)s skipped: their rows say why.") % {"skipped": skipped} if skipped else "")
    )
