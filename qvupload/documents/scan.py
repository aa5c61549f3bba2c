"""Scanning files and folders for QlikView documents: recursive, cancellable, with progress.

Folders are walked with ``os.scandir``; symlinked folders are followed once (a loop is noticed by
device and inode and not entered again). In folders, files ending in ``.qvw`` or ``.qvf`` are
examined; a file named explicitly is always examined. Every file that cannot be read becomes a
result with an ``error`` sentence: the scan never stops on one bad file.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents.doclog import logs_by_document
from qvupload.documents.errors import DocumentError
from qvupload.documents.facts import DocumentFacts, read_document
from qvupload.documents.freshness import DEFAULT_STALE_AFTER, Freshness, assess, gather_evidence
from qvupload.pathnames import os_path

DOCUMENT_SUFFIXES = (".qvw", ".qvf")
PROGRESS_INTERVAL = 0.1
PARALLEL_FROM = 1000  # documents; below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
CHUNK = 250


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
    workers: int = 0  # 0: one process for small scans, one per core (up to 4) for large ones


@dataclass(frozen=True)
class ScanResult:
    path: Path
    facts: DocumentFacts | None = None
    freshness: Freshness | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ScanProgress:
    found: int = 0  # candidate files found so far
    examined: int = 0
    errors: int = 0
    current: Path | None = None
    walking: bool = True  # still discovering files
    finished: bool = False


@dataclass
class _Candidate:
    path: Path
    siblings: list[str] | None = None  # names of logs next to it (None: look for them)


@dataclass
class _Walk:
    candidates: list[_Candidate] = field(default_factory=list)
    problems: list[ScanResult] = field(default_factory=list)
    seen_files: set[tuple[int, int]] = field(default_factory=set)
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)


def _is_document_name(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def _file_key(entry: os.DirEntry[str], folder_dev: int) -> tuple[int, int]:
    if entry.is_symlink():
        target = entry.stat()
        return (target.st_dev, target.st_ino)
    return (folder_dev, entry.inode())


def _walk(roots: Iterable[Path], cancel: CancelToken, on_found: Callable[[int], None]) -> _Walk:
    walk = _Walk()
    stack: list[Path] = []
    for root in roots:
        try:
            st = os.stat(os_path(root))
        except FileNotFoundError:
            walk.problems.append(ScanResult(root, error=f"{root} does not exist."))
            continue
        except OSError as exc:
            walk.problems.append(ScanResult(root, error=f"{root} cannot be read ({exc.strerror})."))
            continue
        if stat.S_ISDIR(st.st_mode):
            stack.append(root)
        elif (st.st_dev, st.st_ino) not in walk.seen_files:
            walk.seen_files.add((st.st_dev, st.st_ino))
            walk.candidates.append(_Candidate(root))
    while stack and not cancel.cancelled:
        folder = stack.pop()
        try:
            st = os.stat(os_path(folder))
            key = (st.st_dev, st.st_ino)
            if key in walk.seen_dirs:
                continue  # a symlink loop or a folder reached twice
            walk.seen_dirs.add(key)
            with os.scandir(os_path(folder)) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            walk.problems.append(ScanResult(folder, error=f"The folder {folder} cannot be read ({exc.strerror})."))
            continue
        logs = logs_by_document(e.name for e in entries)
        subfolders: list[Path] = []
        for entry in entries:
            try:
                if entry.is_dir():
                    subfolders.append(folder / entry.name)
                elif _is_document_name(entry.name) and entry.is_file():
                    # a symlinked file is identified by its target, a plain one by its inode
                    est_key = _file_key(entry, st.st_dev)
                    if est_key in walk.seen_files:
                        continue
                    walk.seen_files.add(est_key)
                    walk.candidates.append(_Candidate(folder / entry.name, logs.get(entry.name.lower(), [])))
            except OSError as exc:
                walk.problems.append(
                    ScanResult(folder / entry.name, error=f"{entry.name} cannot be read ({exc.strerror}).")
                )
        stack.extend(reversed(subfolders))
        on_found(len(walk.candidates))
    return walk


def find_documents(
    paths: Iterable[Path | str], cancel: CancelToken | None = None
) -> tuple[list[Path], list[ScanResult]]:
    """The documents under ``paths`` (folders searched recursively) and the paths that could not be read."""
    walk = _walk([Path(p) for p in paths], cancel or CancelToken(), lambda count: None)
    return [c.path for c in walk.candidates], walk.problems


def examine(path: Path, options: ScanOptions, siblings: list[str] | None = None) -> ScanResult:
    """Read one document and judge its freshness; never raises for a bad file."""
    try:
        facts = read_document(path, saving_build=options.saving_build)
    except DocumentError as exc:
        return ScanResult(path, error=str(exc))
    except OSError as exc:  # anything the reader did not already turn into a sentence
        return ScanResult(path, error=f"{path.name} could not be read ({exc.strerror or exc}).")
    evidence = gather_evidence(facts, siblings) if options.evidence else []
    now = options.now or datetime.now(UTC)
    return ScanResult(path, facts, assess(facts, evidence, now=now, stale_after=options.stale_after))


def _examine_chunk(chunk: list[tuple[Path, list[str] | None]], options: ScanOptions) -> list[ScanResult]:
    return [examine(path, options, siblings) for path, siblings in chunk]


def _workers(options: ScanOptions, count: int) -> int:
    if options.workers:
        return options.workers
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _examine_all(candidates: list[_Candidate], options: ScanOptions, cancel: CancelToken) -> Iterator[ScanResult]:
    """Examine in this process, or in worker processes for large scans (each document is CPU-bound
    XML work, so processes, not threads, use the other cores). Results keep the walk's order."""
    workers = _workers(options, len(candidates))
    if workers <= 1:
        for candidate in candidates:
            if cancel.cancelled:
                return
            yield examine(candidate.path, options, candidate.siblings)
        return
    items = [(c.path, c.siblings) for c in candidates]
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    # "spawn": safe in a process that runs Qt threads, unlike fork
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_examine_chunk, chunk, options) for chunk in chunks]
        try:
            for future in futures:
                if cancel.cancelled:
                    return
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()


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

    def found(count: int) -> None:
        state.found = count
        report()

    walk = _walk([Path(p) for p in paths], cancel, found)
    state.found, state.walking = len(walk.candidates), False
    state.errors = len(walk.problems)
    report(force=True)
    yield from walk.problems
    if options.now is None:  # one "now" for the whole scan, so verdicts agree with each other
        options = replace(options, now=datetime.now(UTC))
    for result in _examine_all(walk.candidates, options, cancel):
        state.current = result.path
        state.examined += 1
        state.errors += 0 if result.ok else 1
        report()
        yield result
    state.finished, state.current = True, None
    report(force=True)


def scan(
    paths: Iterable[Path | str],
    options: ScanOptions | None = None,
    *,
    progress: Callable[[ScanProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[ScanResult]:
    return list(iter_scan(paths, options, progress=progress, cancel=cancel))
