"""Many reads in flight, results in order: a bounded thread pool for work that mostly waits on I/O.

On a file server every open and read is a round trip; threads overlap the waits (the GIL is free
while a thread waits on the file system). At most ``ahead`` items are in progress, results come
back in the order of the items, and nothing new starts once ``cancelled()`` says so.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.context import BaseContext
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    threads: int,
    cancelled: Callable[[], bool] = lambda: False,
    ahead: int = 0,
) -> Iterator[R]:
    """``fn`` over ``items`` on up to ``threads`` threads; yields in the items' order."""
    if threads <= 1:
        for item in items:
            if cancelled():
                return
            yield fn(item)
        return
    ahead = ahead or threads * 2
    pool = ThreadPoolExecutor(threads, thread_name_prefix="qvupload-read")
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            if cancelled():
                return
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            if cancelled():
                return
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunked(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def only_thread() -> bool:
    """True when this process runs a single thread of any kind (Qt's and other native threads
    included: Linux lists every one under /proc/self/task)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def process_context() -> BaseContext:
    """How worker processes start: "fork" on Linux when this process has no other thread (a copy
    of this process, ready in milliseconds, nothing imported again), else "spawn" (a new
    interpreter that imports the reader: a quarter of a second and more, but safe next to Qt's
    threads or anyone else's, whose locks a forked copy could inherit held)."""
    if sys.platform.startswith("linux") and only_thread():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")
