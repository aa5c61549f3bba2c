"""The transfer queue: a concurrency limit, pause/resume/cancel per job and for all, events,
totals with speed and ETA, and persistence in the store after every change."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError
from qvupload.cloud.tus import DEFAULT_CHUNK, Uploader
from qvupload.documents import DEFAULT_STALE_AFTER
from qvupload.i18n import _
from qvupload.pathnames import os_path
from qvupload.transfers.model import Job, JobState, now_iso
from qvupload.transfers.pipeline import AskDuplicate, JobEnv, JobSkipped, run_job
from qvupload.transfers.store import TransferStore

PROGRESS_EVERY = 0.1  # at most ~10 progress events per second per job
SPEED_WINDOW = 5.0


class RateMeter:
    """Bytes per second over the last few seconds, from (time, bytes done) samples."""

    def __init__(self, window: float = SPEED_WINDOW) -> None:
        self.window = window
        self.samples: list[tuple[float, int]] = []

    def update(self, done: int, now: float) -> float:
        self.samples = [(t, b) for t, b in self.samples if now - t <= self.window] + [(now, done)]
        first_t, first_b = self.samples[0]
        return (done - first_b) / (now - first_t) if now > first_t else 0.0


def eta(left: int, speed: float) -> float | None:
    return left / speed if speed > 0 else None


@dataclass(frozen=True)
class Totals:
    jobs: int
    finished: int
    bytes_total: int
    bytes_done: int
    speed: float  # bytes per second over the last few seconds
    eta: float | None  # seconds


@dataclass(frozen=True)
class Event:
    kind: str  # "state", "progress"
    job: Job
    totals: Totals
    speed: float = 0.0  # this job's bytes per second over the last few seconds (0 unless it is uploading)
    eta: float | None = None  # seconds until this job's bytes are sent


Listener = Callable[[Event], None]


class TransferQueue:
    def __init__(
        self,
        client: CloudClient,
        store: TransferStore,
        *,
        concurrency: int = 2,
        chunk_size: int = DEFAULT_CHUNK,
        ask: AskDuplicate | None = None,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
    ) -> None:
        self.store = store
        self.concurrency = max(1, concurrency)
        self.listeners: list[Listener] = []
        self.jobs: dict[str, Job] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._last_progress: dict[str, float] = {}
        self._total_rate = RateMeter()
        self._rates: dict[str, RateMeter] = {}
        self._wake = asyncio.Event()
        self.env = JobEnv(
            client, Uploader(client, chunk_size=chunk_size), self._changed, self._progress, ask, stale_after
        )
        self.env.claimed = lambda name: {
            job.app_id for job in self.jobs.values() if job.app_id and job.name.casefold() == name.casefold()
        }

    def use_client(self, client: CloudClient) -> None:
        """Carry on with another client (after signing in again): the jobs and their uploads stay."""
        self.env.client = client
        self.env.uploader.client = client
        self.env._spaces.clear()
        self.env._privileges = None

    # -- adding ----------------------------------------------------------------------------------
    def add(self, paths: Iterable[Path], target: str, *, policy: str, allow_stale: bool) -> list[Job]:
        added = []
        for path in paths:
            job = Job(str(path), target, policy, allow_stale)
            with contextlib.suppress(OSError):
                job.size = os.stat(os_path(path)).st_size
            self.jobs[job.id] = job
            self.store.save(job)
            added.append(job)
        self._wake.set()
        return added

    def load_unfinished(self) -> list[Job]:
        """Jobs a crash or a kill left behind; they go back to the queue (their uploads resume)."""
        jobs = self.store.unfinished()
        for job in jobs:
            job.state = JobState.QUEUED.value
            job.bytes_in_flight = 0
            self.jobs[job.id] = job
            self.store.save(job)
        return jobs

    # -- control ---------------------------------------------------------------------------------
    def pause(self, job_id: str) -> None:
        job = self.jobs[job_id]
        if job.job_state.terminal:
            return
        task = self._tasks.get(job_id)
        job.state = JobState.PAUSED.value  # the task sees this when cancelled
        if task is not None:
            task.cancel()
        self._changed(job)

    def resume(self, job_id: str) -> None:
        job = self.jobs[job_id]
        if job.job_state is JobState.PAUSED:
            job.state = JobState.QUEUED.value
            self._changed(job)
            self._wake.set()

    def cancel(self, job_id: str) -> None:
        job = self.jobs[job_id]
        if job.job_state.terminal:
            return
        task = self._tasks.get(job_id)
        job.state = JobState.CANCELLED.value
        job.outcome, job.message, job.ended_at = "cancelled", "Cancelled.", now_iso()
        if task is not None:
            task.cancel()
        self._finish(job, "cancel")

    def retry(self, job_id: str) -> None:
        job = self.jobs[job_id]
        if job.job_state in (JobState.FAILED, JobState.CANCELLED):
            job.state, job.outcome, job.message, job.ended_at = JobState.QUEUED.value, "", "", ""
            self._changed(job)
            self._wake.set()

    async def halt(self) -> list[str]:
        """Pause the running jobs and wait until they have stopped (before their client closes).
        Returns their ids; ``resume`` each to carry on."""
        running = list(self._tasks)
        tasks = list(self._tasks.values())
        for job_id in running:
            self.pause(job_id)
        await asyncio.gather(*tasks, return_exceptions=True)
        return running

    def pause_all(self) -> None:
        for job_id in list(self.jobs):
            self.pause(job_id)

    def resume_all(self) -> None:
        for job_id in list(self.jobs):
            self.resume(job_id)

    def cancel_all(self) -> None:
        for job_id in list(self.jobs):
            self.cancel(job_id)

    def retry_failed(self) -> None:
        for job in list(self.jobs.values()):
            if job.job_state is JobState.FAILED:
                self.retry(job.id)

    # -- running ---------------------------------------------------------------------------------
    async def run(self) -> list[Job]:
        """Run until no job is queued or running (paused jobs wait for resume)."""
        while True:
            self._start_queued()
            if not self._tasks:
                if any(j.job_state is JobState.QUEUED for j in self.jobs.values()):
                    continue
                return list(self.jobs.values())
            self._wake.clear()
            waiter = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait([*self._tasks.values(), waiter], return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:  # Ctrl+C or a closing window: stop the transfers and save them first
                waiter.cancel()
                await self._stop_running()
                raise
            waiter.cancel()

    async def _stop_running(self) -> None:
        """Cancel the running transfers and wait until each has saved its state (paused, resumable)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _start_queued(self) -> None:
        for job in self.jobs.values():
            if len(self._tasks) >= self.concurrency:
                return
            if job.job_state is JobState.QUEUED and job.id not in self._tasks:
                task = asyncio.create_task(self._run_one(job), name=f"transfer-{job.id}")
                self._tasks[job.id] = task

    async def _run_one(self, job: Job) -> None:
        try:
            await run_job(job, self.env)
            job.state, job.ended_at = JobState.DONE.value, now_iso()
            self._finish(job, "upload")
        except JobSkipped as skipped:
            job.state, job.outcome, job.message, job.ended_at = JobState.DONE.value, "skipped", str(skipped), now_iso()
            self._finish(job, "upload")
        except asyncio.CancelledError:
            if job.job_state is not JobState.CANCELLED:
                job.state = JobState.PAUSED.value
                job.bytes_in_flight = 0
                self._changed(job)
        except CloudError as exc:
            trace = f" [trace id {exc.trace_id}]" if exc.trace_id else ""  # in the ledger too, for a support case
            job.state, job.outcome, job.ended_at = JobState.FAILED.value, "failed", now_iso()
            job.message = f"{exc}{trace}"
            self._finish(job, "upload")
        except Exception as exc:
            job.state, job.outcome, job.ended_at = JobState.FAILED.value, "failed", now_iso()
            job.message = _("Unexpected error: %(name)s: %(exc)s") % {"name": type(exc).__name__, "exc": exc}
            self._finish(job, "upload")
        finally:
            self._tasks.pop(job.id, None)
            self._wake.set()

    # -- events ----------------------------------------------------------------------------------
    def _finish(self, job: Job, action: str) -> None:
        self.store.record(job, action)
        self._changed(job)

    def _changed(self, job: Job) -> None:
        self.store.save(job)
        self._emit("state", job)

    def _progress(self, job: Job) -> None:
        now = time.monotonic()
        if now - self._last_progress.get(job.id, 0.0) < PROGRESS_EVERY:
            return
        self._last_progress[job.id] = now
        if job.bytes_acked and job.bytes_in_flight == 0:
            self.store.save(job)
        self._emit("progress", job)

    def totals(self) -> Totals:
        jobs = list(self.jobs.values())
        total = sum(j.size for j in jobs if j.job_state is not JobState.CANCELLED)
        done = sum(
            j.size if j.job_state is JobState.DONE else j.bytes_done
            for j in jobs
            if j.job_state is not JobState.CANCELLED
        )
        speed = self._total_rate.update(done, time.monotonic())
        return Totals(
            len(jobs), sum(1 for j in jobs if j.job_state.terminal), total, done, speed, eta(total - done, speed)
        )

    def _emit(self, kind: str, job: Job) -> None:
        if not self.listeners:
            return
        speed, left = 0.0, None
        if job.job_state is JobState.UPLOADING:
            speed = self._rates.setdefault(job.id, RateMeter()).update(job.bytes_done, time.monotonic())
            left = eta(job.size - job.bytes_done, speed)
        else:
            self._rates.pop(job.id, None)  # a paused or finished job starts measuring afresh
        event = Event(kind, job, self.totals(), speed, left)
        for listener in list(self.listeners):
            listener(event)
