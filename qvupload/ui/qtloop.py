"""The asyncio event loop of the window: qasync's, without running callbacks outside the loop.

qasync's ``run_until_complete`` processes Qt's pending events once more after its loop has stopped.
Those events include the steps of other tasks (a target list, an upload still in flight), which then
run while no event loop is running: httpx's ``anyio`` finds none and the task fails with
"NoEventLoopError", or ``asyncio.get_running_loop()`` raises. ``asyncio.Runner`` (the app) and the
tests call ``run_until_complete`` and would meet it whenever work outlives one call. Here such events
stay queued for the next time the loop runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import qasync  # type: ignore[import-untyped]

T = TypeVar("T")


class QtEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    def run_until_complete(self, future: Awaitable[T]) -> T:
        task: asyncio.Future[T] = asyncio.ensure_future(future, loop=self)

        def stop(_: Any) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            task.remove_done_callback(stop)
        if not task.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return task.result()
