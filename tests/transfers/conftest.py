"""Transfer tests run the real engine against a sandbox over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from qvupload.cloud import CloudClient, RetryPolicy, StaticToken
from qvupload.sandbox import Sandbox
from qvupload.transfers import Job, TransferQueue, TransferStore
from tests.conftest import persona

FAST_RETRY = RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05)


@dataclass
class Engine:
    sandbox: Sandbox
    store: TransferStore
    user: str = "ann"

    def client(self, key: str | None = None) -> CloudClient:
        return CloudClient(self.sandbox.url, StaticToken(key or persona(self.sandbox, self.user)[1]), retry=FAST_RETRY)

    def run(
        self,
        paths: list[Path],
        target: str = "personal",
        *,
        policy: str = "skip",
        allow_stale: bool = True,
        chunk: int = 256 * 1024,
        concurrency: int = 2,
        client: CloudClient | None = None,
    ) -> list[Job]:
        async def main() -> list[Job]:
            async with client or self.client() as c:
                queue = TransferQueue(c, self.store, concurrency=concurrency, chunk_size=chunk)
                jobs = queue.add(paths, target, policy=policy, allow_stale=allow_stale)
                await queue.run()
                return jobs

        return asyncio.run(main())

    def state(self) -> dict[str, Any]:
        return httpx.get(f"{self.sandbox.url}/__sandbox/state").json()  # type: ignore[no-any-return]

    def apps_named(self, name: str) -> list[dict[str, Any]]:
        return [a for a in self.state()["apps"] if a["name"] == name]


@pytest.fixture
def engine(sandbox: Sandbox, tmp_path: Path) -> Iterator[Engine]:
    store = TransferStore(tmp_path / "transfers.sqlite3")
    yield Engine(sandbox, store)
    store.close()
