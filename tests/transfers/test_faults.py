"""The fault matrix: each fault ends in exactly one correct app or a clear error, never a duplicate
or a corrupted upload."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from qvupload.cloud import CloudClient
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox.model import Token
from qvupload.transfers import Event, Job, TransferQueue
from tests.conftest import persona
from tests.transfers.conftest import FAST_RETRY, Engine

PATCH = "PATCH /api/v1/temp-contents/files/{id}"


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    now = datetime.now(UTC).replace(microsecond=0)
    return write_document(tmp_path / "Orders.qvw", SyntheticDocument(now - timedelta(hours=1), size=1024 * 1024))


def fault(engine: Engine, **spec: object) -> None:
    assert httpx.post(f"{engine.sandbox.url}/__sandbox/faults", json=spec).status_code == 201


def exactly_one_correct_app(engine: Engine, doc: Path, job: Job) -> None:
    assert job.state == "done", job.message
    apps = engine.apps_named(doc.stem)
    assert len(apps) == 1 and apps[0]["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()


def test_connection_dropped_mid_patch(engine: Engine, doc: Path) -> None:
    fault(engine, route=PATCH, drop_after_bytes=100_000)
    (job,) = engine.run([doc])
    exactly_one_correct_app(engine, doc, job)
    (temp,) = engine.state()["temp_files"]
    assert temp["received"] == temp["length"]  # the server kept the first 100,000 bytes; sending resumed there
    assert job.resent_bytes <= 256 * 1024  # handed to the socket twice: at most the one interrupted chunk


@pytest.mark.parametrize(
    ("route", "target"),
    [
        ("GET /api/v1/apps/privileges", "personal"),
        ("GET /api/v1/items", "personal"),
        ("POST /api/v1/temp-contents/files", "personal"),
        (PATCH, "personal"),
        ("POST /api/v1/apps/import", "personal"),
        ("GET /api/v1/spaces", "shared:Sales Team"),
        ("PUT /api/v1/apps/{appId}/space", "shared:Sales Team"),
        ("GET /api/v1/items/{itemId}/publisheditems", "managed:Sales Reports"),
        ("POST /api/v1/apps/{appId}/publish", "managed:Sales Reports"),
    ],
)
def test_429_with_retry_after_on_each_step(engine: Engine, doc: Path, route: str, target: str) -> None:
    fault(engine, route=route, status=429, retry_after=1)
    (job,) = engine.run([doc], target)
    assert job.state == "done", job.message
    if target == "personal":
        exactly_one_correct_app(engine, doc, job)
    counts = engine.state()["request_counts"]
    assert counts[route] >= 2  # answered 429 once, then went through


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("route", [PATCH, "POST /api/v1/apps/import", "POST /api/v1/temp-contents/files"])
def test_server_errors_are_retried(
    engine: Engine, doc: Path, status: int, route: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # after a 504 (a gateway gave up; the tenant may still be working) an import is looked for up to a
    # minute before it is sent again; here the tenant did nothing, so a shorter look is enough
    monkeypatch.setattr("qvupload.cloud.reconcile.LOOK_AFTER_TIME_OUT", (0.2, 0.2))
    fault(engine, route=route, status=status, count=2)
    (job,) = engine.run([doc])
    exactly_one_correct_app(engine, doc, job)


def test_locked_upload_waits_and_rereads_the_offset(engine: Engine, doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qvupload.cloud.tus.LOCKED_WAIT", 0.05)
    fault(engine, route=PATCH, status=423, count=2)
    fault(engine, route="HEAD /api/v1/temp-contents/files/{id}", status=423, count=1)
    (job,) = engine.run([doc])
    exactly_one_correct_app(engine, doc, job)


def test_offset_mismatch_resumes_from_the_server_offset(engine: Engine, doc: Path) -> None:
    fault(engine, route=PATCH, status=409, count=1)
    (job,) = engine.run([doc])
    exactly_one_correct_app(engine, doc, job)


def _run_with_listener(
    engine: Engine, paths: list[Path], listener: object, client: CloudClient | None = None, chunk: int = 256 * 1024
) -> list[Job]:
    async def main() -> list[Job]:
        async with client or engine.client() as c:
            queue = TransferQueue(c, engine.store, concurrency=1, chunk_size=chunk)
            queue.listeners.append(listener)  # type: ignore[arg-type]
            jobs = queue.add(paths, "personal", policy="skip", allow_stale=True)
            await queue.run()
            return jobs

    return asyncio.run(main())


def test_expired_upload_starts_afresh(engine: Engine, doc: Path) -> None:
    fault(engine, route=PATCH, expire_upload=True, after=2)  # the third chunk finds the upload gone
    (job,) = engine.run([doc])
    exactly_one_correct_app(engine, doc, job)
    assert engine.state()["request_counts"]["POST /api/v1/temp-contents/files"] == 2


def test_file_changed_during_upload_fails_clearly(engine: Engine, doc: Path) -> None:
    fault(engine, route=PATCH, bandwidth_bps=1_000_000, count=10)  # about a second for the file

    def change() -> None:
        with doc.open("ab") as fh:
            fh.write(b"more")

    timer = threading.Timer(0.4, change)
    timer.start()
    (job,) = engine.run([doc])
    timer.join()
    assert job.state == "failed" and "changed while it was uploading" in job.message
    assert engine.apps_named(doc.stem) == []
    assert "POST /api/v1/apps/import" not in engine.state()["request_counts"]


class RefreshingKey:
    """A credentials provider whose refresh hands out a second, valid key of the same user."""

    def __init__(self, first: str, second: str) -> None:
        self.current, self.second, self.refreshed = first, second, 0

    async def token(self) -> str:
        return self.current

    async def refresh(self) -> str | None:
        self.refreshed += 1
        self.current = self.second
        return self.current


def _docs(tmp_path: Path, count: int) -> list[Path]:
    now = datetime.now(UTC)
    return [write_document(tmp_path / f"Batch {i}.qvw", SyntheticDocument(now, size=512 * 1024)) for i in range(count)]


def _expire_after_first(engine: Engine, key: str) -> object:
    def listener(event: Event) -> None:
        if event.kind == "state" and event.job.state == "done":
            httpx.post(f"{engine.sandbox.url}/__sandbox/expire", json={"token": key})

    return listener


def test_token_expiry_mid_batch_without_refresh_fails_with_sign_in(engine: Engine, tmp_path: Path) -> None:
    _, key = persona(engine.sandbox, "ann")
    jobs = _run_with_listener(engine, _docs(tmp_path, 3), _expire_after_first(engine, key))
    assert jobs[0].state == "done"
    assert all(j.state == "failed" and "Sign in again" in j.message for j in jobs[1:])


def test_token_expiry_mid_batch_is_refreshed(engine: Engine, tmp_path: Path) -> None:
    uid, key = persona(engine.sandbox, "ann")
    second = Token("qvk_" + secrets.token_urlsafe(16), uid, "api-key")
    engine.sandbox.tenant.tokens[second.value] = second
    creds = RefreshingKey(key, second.value)
    client = CloudClient(engine.sandbox.url, creds, retry=FAST_RETRY)
    docs = _docs(tmp_path, 3)
    jobs = _run_with_listener(engine, docs, _expire_after_first(engine, key), client=client)
    assert [j.state for j in jobs] == ["done"] * 3 and creds.refreshed == 1
    for doc, job in zip(docs, jobs, strict=True):
        exactly_one_correct_app(engine, doc, job)


def test_slow_server(engine: Engine, doc: Path) -> None:
    fault(engine, route="*", latency_ms=150, count=12)
    (job,) = engine.run([doc])
    exactly_one_correct_app(engine, doc, job)
