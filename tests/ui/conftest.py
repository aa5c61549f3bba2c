"""Qt tests run offscreen; coroutines run on a qasync loop (Qt's own event loop)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


@pytest.fixture
def aloop(qapp: QApplication) -> Iterator[Any]:
    """Run coroutines on a qasync loop: ``aloop(coro)`` returns its result."""
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)

    def run(coro: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(coro)

    yield run
    loop.close()
    asyncio.set_event_loop(None)
