"""The queue's controls and events: concurrency, pause/resume, cancel, retry failed, progress rate."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.transfers import Event, JobState, TransferQueue
from qvupload.transfers.queue import RateMeter, eta
from tests.transfers.conftest import Engine

MIB = 1024 * 1024


def slow(engine: Engine, bps: int) -> None:
    httpx.post(
        f"{engine.sandbox.url}/__sandbox/faults",
        json={"route": "PATCH /api/v1/temp-contents/files/{id}", "bandwidth_bps": bps, "count": 1000},
    )


def make(tmp_path: Path, count: int, size: int) -> list[Path]:
    now = datetime.now(UTC) - timedelta(hours=1)
    return [write_document(tmp_path / f"Q{i}.qvw", SyntheticDocument(now, size=size)) for i in range(count)]


def test_concurrency_pause_resume_cancel_and_events(engine: Engine, tmp_path: Path) -> None:
    paths = make(tmp_path, 4, 2 * MIB)
    slow(engine, 4 * MIB)
    events: list[Event] = []
    running_max = 0

    async def main() -> TransferQueue:
        nonlocal running_max
        async with engine.client() as client:
            queue = TransferQueue(client, engine.store, concurrency=2, chunk_size=MIB)
            queue.listeners.append(events.append)
            jobs = queue.add(paths, "personal", policy="skip", allow_stale=True)
            runner = asyncio.create_task(queue.run())
            while not any(j.bytes_done for j in jobs):
                running_max = max(running_max, sum(1 for j in jobs if j.job_state.active))
                await asyncio.sleep(0.02)
            queue.pause(jobs[0].id)
            queue.cancel(jobs[3].id)
            await asyncio.sleep(0.3)
            assert jobs[0].job_state is JobState.PAUSED
            queue.resume(jobs[0].id)
            await runner
            return queue

    queue = asyncio.run(main())
    assert running_max <= 2
    states = {Path(j.path).name: j.state for j in queue.jobs.values()}
    assert states == {"Q0.qvw": "done", "Q1.qvw": "done", "Q2.qvw": "done", "Q3.qvw": "cancelled"}
    apps = httpx.get(f"{engine.sandbox.url}/__sandbox/state").json()["apps"]
    for path in paths[:3]:
        mine = [a for a in apps if a["name"] == path.stem]
        assert len(mine) == 1 and mine[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not [a for a in apps if a["name"] == "Q3"]
    kinds = Counter(e.kind for e in events)
    assert kinds["progress"] > 0 and kinds["state"] > 0
    # at most about ten progress events per second per job
    for job_id in {e.job.id for e in events}:
        times = [e for e in events if e.kind == "progress" and e.job.id == job_id]
        assert len(times) <= 12 * 3  # each upload takes well under three seconds here
    last = events[-1].totals
    assert last.jobs == 4 and last.finished == 4 and last.bytes_done == last.bytes_total
    assert any(e.totals.speed > 0 and e.totals.eta is not None for e in events if e.kind == "progress")
    # each upload's own speed and time left come with its events (bytes left = speed x time left)
    rated = [e for e in events if e.speed > 0]
    assert {e.job.id for e in rated} >= {j.id for j in queue.jobs.values() if j.state == "done"}
    assert all(e.eta is not None and 0 <= e.eta * e.speed <= e.job.size for e in rated)


def test_rate_meter_measures_over_its_window() -> None:
    meter = RateMeter(window=5.0)
    assert meter.update(0, 100.0) == 0.0  # one sample: no speed yet
    assert meter.update(2 * MIB, 101.0) == 2 * MIB
    assert meter.update(4 * MIB, 102.0) == 2 * MIB
    meter.update(24 * MIB, 106.0)  # samples older than five seconds drop out
    assert [t for t, _ in meter.samples] == [101.0, 102.0, 106.0]
    assert meter.update(24 * MIB, 107.0) == (24 - 4) * MIB / 5  # measured from 102 s on
    assert meter.update(24 * MIB, 112.0) == 0.0  # nothing sent for five seconds: stalled
    assert eta(10 * MIB, 2 * MIB) == 5 and eta(10 * MIB, 0.0) is None


def test_retry_failed(engine: Engine, tmp_path: Path) -> None:
    (path,) = make(tmp_path, 1, 300 * 1024)
    httpx.post(f"{engine.sandbox.url}/__sandbox/faults", json={"route": "POST /api/v1/apps/import", "status": 403})

    async def main() -> TransferQueue:
        async with engine.client() as client:
            queue = TransferQueue(client, engine.store)
            (job,) = queue.add([path], "personal", policy="skip", allow_stale=True)
            await queue.run()
            assert job.job_state is JobState.FAILED and "right" in job.message
            assert re.search(r"\[trace id [0-9a-f]{32}\]$", job.message)  # the tenant's trace id, for support
            queue.retry_failed()
            await queue.run()
            return queue

    queue = asyncio.run(main())
    (job,) = queue.jobs.values()
    assert job.job_state is JobState.DONE
    ledger = engine.store.ledger()
    assert [r["outcome"] for r in ledger] == ["failed", "uploaded"]
    assert "[trace id " in ledger[0]["message"]
