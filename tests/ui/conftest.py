"""Qt tests run offscreen; coroutines run on a qasync loop (Qt's own event loop)."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")
# pytest-timeout's signal cannot interrupt Qt's event loop, so a coroutine that never ends would hang
# the whole run: each ``aloop`` call fails after this many seconds instead
RUN_LIMIT_S = 180


@pytest.fixture
def aloop(qapp: QApplication) -> Iterator[Any]:
    """Run coroutines on a qasync loop: ``aloop(coro)`` returns its result."""
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    gc.disable()  # as the app does: collect cycles on the Qt thread only (see MainThreadCollector)

    def run(coro: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(asyncio.wait_for(coro, RUN_LIMIT_S))

    yield run
    # finish what the test left running (tasks a window started) before the loop goes away, so
    # no Qt callback later reaches a closed loop or a deleted widget
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    asyncio.set_event_loop(None)
    gc.collect()
    gc.enable()
