"""Uploading a 2 GiB file through the sandbox keeps the sandbox's memory flat.

The sandbox runs as `qvupload sandbox` in its own process; its resident memory is read from
/proc before the upload (idle) and its peak (VmHWM) after. Target (issue 3): no more than 50 MB
above idle.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

SIZE = 2 * 1024**3
PATCH_SIZE = 512 * 1024**2
BLOCK = 1024 * 1024
TARGET_MB = 50

pytestmark = [pytest.mark.perf, pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")]


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def body(length: int) -> Iterator[bytes]:
    block = b"\x5a" * BLOCK
    sent = 0
    while sent < length:
        n = min(BLOCK, length - sent)
        yield block[:n]
        sent += n


def test_2gib_upload_keeps_sandbox_memory_flat(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "sandbox", "--data-dir", str(tmp_path / "t")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        key = info["users"][0]["api_key"]
        client = httpx.Client(base_url=info["url"], headers={"Authorization": f"Bearer {key}"}, timeout=120)
        client.get("/api/v1/spaces")  # warm up one request path
        idle = status_kb(proc.pid, "VmRSS")
        start = time.perf_counter()
        r = client.post("/api/v1/temp-contents/files", headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(SIZE)})
        location = r.headers["location"]
        offset = 0
        while offset < SIZE:
            n = min(PATCH_SIZE, SIZE - offset)
            r = client.patch(
                location,
                content=body(n),
                headers={
                    "Tus-Resumable": "1.0.0",
                    "Upload-Offset": str(offset),
                    "Content-Length": str(n),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            assert r.status_code == 204, r.text
            offset = int(r.headers["upload-offset"])
        elapsed = time.perf_counter() - start
        peak = status_kb(proc.pid, "VmHWM")
        client.close()
        above = (peak - idle) / 1024
        print(
            f"\nsandbox memory, 2 GiB tus upload in {SIZE // PATCH_SIZE} PATCHes:\n"
            f"  idle RSS     {idle / 1024:8.1f} MB\n"
            f"  peak RSS     {peak / 1024:8.1f} MB (VmHWM)\n"
            f"  above idle   {above:8.1f} MB (target <= {TARGET_MB} MB)\n"
            f"  throughput   {SIZE / elapsed / 1e6:8.1f} MB/s over loopback"
        )
        assert above <= TARGET_MB
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
