"""Benchmarks print their figures; they run with `pytest tests/perf -m perf -s` (CI runs them too)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A demo sandbox in its own process (so it does not share the benchmark's GIL): URL and the
    business user's API key."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "sandbox", "--seed", "demo", "--data-dir", str(tmp_path / "tenant")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    info = json.loads(proc.stdout.readline())
    user = next(u for u in info["users"] if u["role"] == "business")
    yield {"url": info["url"], "key": user["api_key"]}
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
