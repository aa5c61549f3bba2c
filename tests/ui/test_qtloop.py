"""The window's event loop never runs a task's step while no loop is running."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication

from qvupload.ui.qtloop import QtEventLoop


def test_work_that_outlives_one_run_only_runs_inside_the_loop(qapp: QApplication) -> None:
    # a background task (as a target list or an upload) keeps going across many short runs, as the
    # window's work does across the tests' ``aloop`` calls and the app's final clean-up; plain
    # qasync ran some of its steps in the events it processes after stopping (no loop running)
    loop = QtEventLoop(qapp, already_running=False)
    outside: list[RuntimeError] = []
    steps = 0

    async def background() -> None:
        nonlocal steps
        while True:
            try:
                asyncio.get_running_loop()
            except RuntimeError as error:
                outside.append(error)
            steps += 1
            await asyncio.sleep(0)

    async def short() -> int:
        await asyncio.sleep(0.001)
        return 7

    try:
        task = loop.create_task(background())
        results = [loop.run_until_complete(short()) for _ in range(200)]
        assert results == [7] * 200
        assert steps > 200 and outside == []
        task.cancel()
        loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
    finally:
        loop.close()
