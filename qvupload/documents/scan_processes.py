"""A large scan's worker processes: what crosses to them and back, and who reads which documents.

The walk's list is read from both ends: worker processes take pieces from the front, handed out
as they finish earlier ones and smaller towards the end; the scan's own process reads from the
back until the two meet (see :func:`_examine_all`). Results keep the walk's order. A piece crosses
as folder and names, a result as plain tuples (see :func:`_pack`): pickling dataclasses and Path
objects cost more than the reading did. Used by :func:`qvupload.documents.scan.iter_scan`.
"""

from __future__ import annotations

import gc
import operator
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import fields
from pathlib import Path

from qvupload.documents.facts import DocumentFacts
from qvupload.documents.freshness import Freshness
from qvupload.documents.pool import process_context
from qvupload.documents.scan import (
    MAX_WORKERS,
    PARALLEL_FROM,
    PROBE,
    CancelToken,
    ScanOptions,
    ScanResult,
    _probe,
    _read_all,
)
from qvupload.documents.walk import Candidate

CHUNK = 250  # documents per piece of work of a worker process (fewer towards the end: MIN_CHUNK)
MIN_CHUNK = 25
AHEAD = 2  # pieces handed to each worker process and not yet done: one it reads, one waiting for it


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


class Workers:
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

    def examine_all(self, cancel: CancelToken) -> Iterator[ScanResult]:
        """Every candidate the walk found, read, in order (see _examine_all)."""
        return _examine_all(self.candidates, self.options, cancel, self)

    def close(self) -> None:
        for _piece, future in self.pieces:
            future.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _examine_all(
    candidates: list[Candidate], options: ScanOptions, cancel: CancelToken, workers: Workers
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
