"""Scanning files and folders for QlikView documents: recursive, cancellable, with progress.

The walk (:mod:`qvupload.documents.walk`) lists each folder once and names every path it passes
over; the documents are then read with many requests in flight (threads: on a file server each
read is a round trip; on a local disk, one after the other with small reads, as a timing probe
of the first few decides) and, for large scans, in worker processes as well (the XML is CPU work;
the scan's own process reads its share too: :mod:`~qvupload.documents.scan_processes`). Results
keep the walk's order. Every file that
cannot be read becomes a result with an ``error`` sentence: the scan never stops on one bad file.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from qvupload.documents.container import LOCAL_TAIL_WINDOW, TAIL_WINDOW
from qvupload.documents.errors import DocumentError
from qvupload.documents.facts import DocumentFacts, read_document
from qvupload.documents.freshness import DEFAULT_STALE_AFTER, Freshness, assess, gather_evidence
from qvupload.documents.pool import chunked, ordered_map
from qvupload.documents.walk import DOCUMENT_SUFFIXES, Candidate, Problem, WalkResult, walk
from qvupload.i18n import _

if TYPE_CHECKING:
    from qvupload.documents.scan_processes import Workers

__all__ = ["DOCUMENT_SUFFIXES", "CancelToken", "ScanOptions", "ScanProgress", "ScanResult", "iter_scan", "scan"]

PROGRESS_INTERVAL = 0.1
PARALLEL_FROM = 1000  # documents; below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
IO_THREADS = 32  # reads in flight (per process)
IO_CHUNK = 8  # documents per thread task (fewer hand-overs)
SLOW_DOCUMENT = 0.002  # seconds: a document that takes longer to read is waiting on the file system
PROBE = 8  # documents read one after the other and timed before deciding


class CancelToken:
    """Set from any thread to stop a scan between two files."""

    def __init__(self, event: threading.Event | None = None) -> None:
        self._event = event or threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class ScanOptions:
    stale_after: timedelta = DEFAULT_STALE_AFTER
    saving_build: bool = False  # costs a read of block 0 per document
    evidence: bool = True  # look for logs and QVDs next to each document
    now: datetime | None = None
    # processes that read, this one included: 0 = one for small scans, one per core (up to 4) for large ones
    workers: int = 0
    io_threads: int = IO_THREADS  # documents read at once in each process (1: one after the other)


@dataclass(frozen=True, slots=True)
class ScanResult:
    path: Path
    facts: DocumentFacts | None = None
    freshness: Freshness | None = None
    error: str | None = None
    skipped: bool = False  # left out on purpose (a second link to a document, a folder loop); see error

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ScanProgress:
    found: int = 0  # candidate files found so far
    examined: int = 0
    errors: int = 0
    skipped: int = 0  # paths passed over on purpose (links to documents already found, loops)
    current: Path | None = None
    walking: bool = True  # still discovering files
    finished: bool = False


def find_documents(
    paths: Iterable[Path | str], cancel: CancelToken | None = None
) -> tuple[list[Path], list[ScanResult]]:
    """The documents under ``paths`` (folders searched recursively) and the paths that could not be read."""
    token = cancel or CancelToken()
    found = walk([Path(p) for p in paths], lambda: token.cancelled)
    return [c.path for c in found.candidates], [_problem_result(p) for p in found.problems]


def _problem_result(problem: Problem) -> ScanResult:
    return ScanResult(problem.path, error=problem.reason, skipped=problem.skipped)


def examine(
    path: Path,
    options: ScanOptions,
    siblings: Iterable[str] | None = None,
    listing: Iterable[str] | None = None,
    tail_window: int = TAIL_WINDOW,
) -> ScanResult:
    """Read one document and judge its freshness; never raises for a bad file."""
    try:
        facts = read_document(path, saving_build=options.saving_build, tail_window=tail_window)
    except DocumentError as exc:
        return ScanResult(path, error=str(exc))
    except OSError as exc:  # anything the reader did not already turn into a sentence
        return ScanResult(
            path,
            error=_("%(name)s could not be read (%(strerror)s).")
            % {"name": path.name, "strerror": exc.strerror or exc},
        )
    evidence = gather_evidence(facts, siblings, listing) if options.evidence else []
    now = options.now or datetime.now(UTC)
    return ScanResult(path, facts, assess(facts, evidence, now=now, stale_after=options.stale_after))


def _examine_chunk(chunk: list[Candidate], options: ScanOptions, tail_window: int = TAIL_WINDOW) -> list[ScanResult]:
    return [examine(c.path, options, c.logs, c.listing, tail_window) for c in chunk]


def _probe(candidates: list[Candidate], options: ScanOptions) -> tuple[list[ScanResult], bool]:
    """Read the first few candidates one after the other, timed: do documents wait on the file system?"""
    first, times = [], []
    for candidate in candidates[:PROBE]:
        start = time.perf_counter()
        first.append(examine(candidate.path, options, candidate.logs, candidate.listing))
        times.append(time.perf_counter() - start)
    # the median, not the mean: on a busy machine one document that lost the processor to another
    # program (or the first one in a new process) would make a local disk look like a file server
    return first, bool(times) and sorted(times)[len(times) // 2] > SLOW_DOCUMENT  # the (upper) median


def _read_all(
    candidates: list[Candidate],
    options: ScanOptions,
    cancelled: Callable[[], bool] = lambda: False,
    waits: bool | None = None,
) -> Iterator[ScanResult]:
    """Read the candidates in order. Unless ``waits`` is known, the first few are read here and
    timed (:func:`_probe`). Where documents wait on the file system (a share, a slow link), they
    are read with ``io_threads`` in flight and coalesced reads; on a local disk, where threads
    would only add hand-overs and a large tail read costs more than an occasional extra read, one
    after the other with small reads."""
    first: list[ScanResult] = []
    rest = candidates
    if waits is None:
        first, waits = _probe(candidates, options)
        rest = candidates[PROBE:]
    threads = min(options.io_threads, len(rest)) if waits else 1
    window = TAIL_WINDOW if waits else LOCAL_TAIL_WINDOW
    parts = ordered_map(
        lambda piece: _examine_chunk(piece, options, window),
        chunked(rest, _piece(len(rest), threads)),
        threads=threads,
        cancelled=cancelled,
    )
    for part in itertools.chain([first], parts):
        for result in part:
            if cancelled():  # results read ahead are dropped: the caller said stop
                return
            yield result


def _piece(count: int, threads: int) -> int:
    """Documents per thread task: up to IO_CHUNK, fewer when that would leave threads idle."""
    return max(1, min(IO_CHUNK, count // (4 * max(1, threads))))


def iter_scan(
    paths: Iterable[Path | str],
    options: ScanOptions | None = None,
    *,
    progress: Callable[[ScanProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[ScanResult]:
    """Yield one result per document (and per unreadable path), in a stable order."""
    options = options or ScanOptions()
    cancel = cancel or CancelToken()
    state = ScanProgress()
    last_report = 0.0

    def report(force: bool = False) -> None:
        nonlocal last_report
        now = time.monotonic()
        if progress is not None and (force or now - last_report >= PROGRESS_INTERVAL):
            last_report = now
            progress(state)

    if options.now is None:  # one "now" for the whole scan, so verdicts agree with each other
        options = replace(options, now=datetime.now(UTC))
    # the worker processes' side, loaded with the first scan (it imports this module)
    from qvupload.documents.scan_processes import Workers

    found_all = WalkResult()
    workers = Workers(options, found_all.candidates)

    def found(count: int) -> None:
        state.found = count
        workers.found(count)
        report()

    try:
        yield from _walk_and_examine(paths, options, cancel, workers, state, found, report, found_all)
    finally:
        workers.close()


def _walk_and_examine(
    paths: Iterable[Path | str],
    options: ScanOptions,
    cancel: CancelToken,
    workers: Workers,
    state: ScanProgress,
    found: Callable[[int], None],
    report: Callable[[bool], None],
    found_all: WalkResult,
) -> Iterator[ScanResult]:
    walk([Path(p) for p in paths], lambda: cancel.cancelled, found, found_all)
    state.found, state.walking = len(found_all.candidates), False
    state.skipped = sum(1 for p in found_all.problems if p.skipped)
    state.errors = len(found_all.problems) - state.skipped
    report(True)
    for problem in found_all.problems:
        yield _problem_result(problem)
    for result in workers.examine_all(cancel):
        state.current = result.path
        state.examined += 1
        state.errors += 0 if result.ok else 1
        report(False)
        yield result
    state.finished, state.current = True, None
    report(True)


def scan(
    paths: Iterable[Path | str],
    options: ScanOptions | None = None,
    *,
    progress: Callable[[ScanProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[ScanResult]:
    return list(iter_scan(paths, options, progress=progress, cancel=cancel))
