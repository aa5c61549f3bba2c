"""Scanning files and folders for QlikView documents: recursive, cancellable, with progress.

The walk (:mod:`qvupload.documents.walk`) lists each folder once and names every path it passes
over; the documents are then read with many requests in flight (threads: on a file server each
read is a round trip; on a local disk, one after the other with small reads, as a timing probe
of the first few decides) and, for large scans, in worker processes as well (the XML is CPU work;
the scan's own process reads its share too). Results keep the walk's order. Every file that
cannot be read becomes a result with an ``error`` sentence: the scan never stops on one bad file.
"""

from __future__ import annotations

import gc
import itertools
import operator
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents.container import LOCAL_TAIL_WINDOW, TAIL_WINDOW
from qvupload.documents.errors import DocumentError
from qvupload.documents.facts import DocumentFacts, read_document
from qvupload.documents.freshness import DEFAULT_STALE_AFTER, Freshness, assess, gather_evidence
from qvupload.documents.pool import chunked, ordered_map, process_context
from qvupload.documents.walk import DOCUMENT_SUFFIXES, Candidate, Problem, WalkResult, walk
from qvupload.i18n import _

__all__ = ["DOCUMENT_SUFFIXES", "CancelToken", "ScanOptions", "ScanProgress", "ScanResult", "iter_scan", "scan"]

PROGRESS_INTERVAL = 0.1
PARALLEL_FROM = 1000  # documents; below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
CHUNK = 250  # documents per piece of work of a worker process (fewer towards the end: MIN_CHUNK)
MIN_CHUNK = 25
AHEAD = 2  # pieces handed to each worker process and not yet done: one it reads, one waiting for it
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


# A result crosses from a worker process as a plain tuple: no path (the parent has it in the
# candidate, already a Path), the facts and the verdict as tuples of their fields. Pickling
# dataclasses and Path objects cost the parent more per document than the reading did.
_FACT_FIELDS = operator.attrgetter(*(f.name for f in fields(DocumentFacts) if f.name != "path"))
_FRESHNESS_FIELDS = operator.attrgetter(*(f.name for f in fields(Freshness)))
_Packed = tuple[tuple[object, ...] | None, tuple[object, ...] | None, str | None, bool]


def _pack(result: ScanResult) -> _Packed:
    facts = None if result.facts is None else _FACT_FIELDS(result.facts)
    freshness = None if result.freshness is None else _FRESHNESS_FIELDS(result.freshness)
    return facts, freshness, result.error, result.skipped


def _unpack(path: Path, packed: _Packed) -> ScanResult:
    facts, freshness, error, skipped = packed
    return ScanResult(
        path,
        None if facts is None else DocumentFacts(path, *facts),  # type: ignore[arg-type]
        None if freshness is None else Freshness(*freshness),  # type: ignore[arg-type]
        error,
        skipped,
    )


# A piece of work crosses to a worker process as its documents' folders, each once, with the names
# in it: (folder, folder listing, [(name, logs), ...]); the worker joins each folder and name
# into the Path it reads. Pickled Candidates carried a Path each, which cost the worker three
# times as much to unpickle.
_Piece = list[tuple[str, tuple[str, ...] | None, list[tuple[str, tuple[str, ...] | None]]]]


def _to_piece(candidates: list[Candidate]) -> _Piece:
    piece: _Piece = []
    for candidate in candidates:
        path = candidate.path
        folder = str(path.parent) if path.name else ""  # no name: a root such as "/", never a document
        name = path.name if folder else str(path)
        if piece and piece[-1][0] == folder and piece[-1][1] is candidate.listing:
            piece[-1][2].append((name, candidate.logs))
        else:
            piece.append((folder, candidate.listing, [(name, candidate.logs)]))
    return piece


def _from_piece(piece: _Piece) -> list[Candidate]:
    candidates: list[Candidate] = []
    for folder, listing, entries in piece:
        parent = Path(folder) if folder else None
        candidates.extend(
            Candidate(parent / name if parent is not None else Path(name), logs, listing) for name, logs in entries
        )
    return candidates


def _examine_threaded(piece: _Piece, options: ScanOptions, waits: bool) -> list[_Packed]:
    """A worker process's task: its documents, with many reads in flight where they wait."""
    return [_pack(result) for result in _read_all(_from_piece(piece), options, waits=waits)]


def _worker_started() -> None:
    """A worker process keeps nothing between its documents (each result is packed and sent, and
    everything else is freed as soon as it is unused), so the cycle collector would only walk the
    objects of the document at hand, again and again: about a tenth of the process's time. It
    is off for the life of the process, which ends with the scan."""
    gc.disable()


def _piece(count: int, threads: int) -> int:
    """Documents per thread task: up to IO_CHUNK, fewer when that would leave threads idle."""
    return max(1, min(IO_CHUNK, count // (4 * max(1, threads))))


def _workers(options: ScanOptions, count: int) -> int:
    """Processes that read documents, this one included (it reads too: worker processes are this minus one)."""
    if options.workers:
        return options.workers
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _piece_size(left: int, processes: int) -> int:
    """Documents in the next piece of work: CHUNK while much is left, smaller towards the end, so
    that the last pieces, which a worker process cannot give back once it holds them, end soon
    after this process has read its own."""
    return max(MIN_CHUNK, min(CHUNK, left // (4 * processes)))


class _Workers:
    """Worker processes for a large scan, started as soon as the walk has found enough documents
    to need them: they start up (a copy of this process, or a new interpreter each where other
    threads run here) while the walk goes on. They read pieces from the front of the walk's list,
    AHEAD each at most handed out and not yet done; this process reads from the back (see
    _examine_all)."""

    def __init__(self, options: ScanOptions, candidates: list[Candidate] | None = None) -> None:
        self.options = options
        self.pool: ProcessPoolExecutor | None = None
        self.count = 0
        self.candidates = candidates if candidates is not None else []  # the walk's list, as it grows
        self.first: list[ScanResult] | None = None  # the probe's results, once it has run
        self.waits = False
        self.given = PROBE  # candidates[PROBE:given] are handed out, in pieces
        self.pieces: deque[tuple[list[Candidate], Future[list[_Packed]]]] = deque()  # in order, not yet yielded

    def found(self, count: int) -> None:
        if self.pool is None and _workers(self.options, count) > 1:
            self.start(_workers(self.options, count) - 1)
        if self.pool is not None:
            self.feed(len(self.candidates), walking=True)

    def feed(self, end: int, walking: bool = False) -> None:
        """Hand out pieces of candidates[given:end] from the front until every worker process has
        AHEAD not yet done (while the walk goes on, whole pieces only). The probe runs first, on
        the first documents found."""
        found = self.candidates
        if self.pool is None or (len(found) < PROBE and walking):
            return
        if self.first is None:
            self.first, self.waits = _probe(found, self.options)
        busy = sum(1 for _piece, future in self.pieces if not future.done())
        while busy < AHEAD * self.count and self.given < end:
            size = CHUNK if walking else min(end - self.given, _piece_size(end - self.given, self.count + 1))
            if self.given + size > end:
                return  # the walk has not found a whole piece yet
            piece = found[self.given : self.given + size]
            future = self.pool.submit(_examine_threaded, _to_piece(piece), self.options, self.waits)
            self.pieces.append((piece, future))
            self.given += len(piece)
            busy += 1

    def start(self, count: int) -> ProcessPoolExecutor:
        if self.pool is None:
            # "fork" only where this process has no other thread (see pool.process_context)
            self.pool = ProcessPoolExecutor(count, mp_context=process_context(), initializer=_worker_started)
            self.count = count
            # A forked copy shares this process's objects until it writes to them, and a full
            # collection there would touch (and so copy) every one: frozen while the copies are
            # made, they stay out of the copies' collections. Nothing changes here or for spawn.
            gc.freeze()
            try:
                for _ in range(count):  # one empty task each: every process starts now, not at the first piece
                    self.pool.submit(_examine_threaded, [], self.options, False)
            finally:
                gc.unfreeze()
        return self.pool

    def close(self) -> None:
        for _piece, future in self.pieces:
            future.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _examine_all(
    candidates: list[Candidate], options: ScanOptions, cancel: CancelToken, workers: _Workers
) -> Iterator[ScanResult]:
    """Read every candidate, many at once; in worker processes too for large scans. Results keep
    the walk's order."""
    count = _workers(options, len(candidates))
    if count <= 1:
        workers.close()  # started for a walk whose documents then turned out fewer (duplicates)
        yield from _read_all(candidates, options, lambda: cancel.cancelled)
        return
    if cancel.cancelled:  # the walk was stopped: nothing more to hand out or read
        return
    workers.start(count - 1)
    # The worker processes read pieces from the front, handed out as they finish; this process
    # reads from the back, a piece at a time (half a worker's, so that it hands out the next
    # pieces in time), until the two meet. Results are yielded in order: the workers' as they
    # come, this process's own (the end of the list) after them.
    cancelled = lambda: cancel.cancelled  # noqa: E731
    back = len(candidates)
    own: list[list[ScanResult]] = []  # read here, the last piece first
    workers.feed(back)
    for result in workers.first or []:
        if cancel.cancelled:
            return
        yield result
    pieces = workers.pieces
    while not cancel.cancelled:
        while pieces and pieces[0][1].done():
            yield from _unpacked(*pieces.popleft(), cancelled)
        workers.feed(back)
        left = back - workers.given
        if left > 0:
            size = min(left, max(1, _piece_size(left, count) // 2))
            own.append(list(_read_all(candidates[back - size : back], options, cancelled, waits=workers.waits)))
            back -= size
        elif pieces:
            yield from _unpacked(*pieces.popleft(), cancelled)
        else:
            break
    for results in reversed(own):
        for result in results:
            if cancel.cancelled:
                return
            yield result


def _unpacked(
    piece: list[Candidate], future: Future[list[_Packed]], cancelled: Callable[[], bool]
) -> Iterator[ScanResult]:
    for candidate, packed in zip(piece, future.result(), strict=True):
        if cancelled():
            return
        yield _unpack(candidate.path, packed)


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
    found_all = WalkResult()
    workers = _Workers(options, found_all.candidates)

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
    workers: _Workers,
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
    for result in _examine_all(found_all.candidates, options, cancel, workers):
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
