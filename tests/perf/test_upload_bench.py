"""Upload throughput against curl, and the uploading process's peak memory.

Both run against one sandbox (`qvupload sandbox` in its own process) in the same run:
- `qvupload upload` of a 1 GiB document, wall clock from start to imported app, against curl
  sending the same bytes to the same tus endpoint in one PATCH (target: ratio >= 0.9);
- peak resident memory of the uploading process for a 2 GiB and a 100 MB document (targets:
  <= 150 MB, and the 2 GiB figure within 20 MB of the 100 MB one).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from qvupload.documents.synthetic import SyntheticDocument, write_document

GIB = 1024**3
LINK_BPS = 125_000_000  # 1 Gbit/s
pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(shutil.which("curl") is None, reason="curl is the reference; .ci/run installs it"),
]

# VmHWM is the peak of this program's own memory; ru_maxrss would also count the parent's
# memory at the moment of exec (Linux carries it over), which says nothing about qvupload.
MEASURE = """
import sys
from qvupload.cli import main
code = main(sys.argv[1:])
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(peak, file=sys.stderr)
sys.exit(code)
"""


def document(folder: Path, name: str, size: int) -> Path:
    """A real (not sparse) file, so both uploaders read every byte from the page cache."""
    path = write_document(folder / name, SyntheticDocument(datetime.now(UTC), size=size))
    with path.open("r+b") as fh:
        block = os.urandom(1024 * 1024)
        fh.seek(64 * 1024)
        left = size - 64 * 1024 - 16 * 1024
        while left > 0:
            fh.write(block[: min(len(block), left)])
            left -= len(block)
    return path


def upload(tenant: dict[str, str], path: Path, data_dir: Path) -> tuple[float, int]:
    env = {**os.environ, "QVUPLOAD_API_KEY": tenant["key"], "QVUPLOAD_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            "upload",
            str(path),
            "--tenant",
            tenant["url"],
            "--on-duplicate",
            "keep-both",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[0])["status"] == "uploaded"
    return elapsed, int(run.stderr.strip().splitlines()[-1])  # VmHWM in KiB


def curl(tenant: dict[str, str], path: Path) -> float:
    headers = {"Authorization": f"Bearer {tenant['key']}", "Tus-Resumable": "1.0.0"}
    size = path.stat().st_size
    start = time.perf_counter()
    created = httpx.post(f"{tenant['url']}/api/v1/temp-contents/files", headers={**headers, "Upload-Length": str(size)})
    location = tenant["url"] + created.headers["location"]
    subprocess.run(
        [
            "curl",
            "-sS",
            "-f",
            "-X",
            "PATCH",
            "-T",
            str(path),
            "-H",
            f"Authorization: {headers['Authorization']}",
            "-H",
            "Tus-Resumable: 1.0.0",
            "-H",
            "Upload-Offset: 0",
            "-H",
            "Expect:",
            "-H",
            "Content-Type: application/offset+octet-stream",
            location,
        ],
        check=True,
    )
    return time.perf_counter() - start


def _alternate(tenant: dict[str, str], path: Path, data: Path, runs: int) -> tuple[list[float], list[float]]:
    """Alternate curl and qvupload, flushing dirty pages first, so neither pays for the other's writes."""
    curl_times, our_times = [], []
    for _ in range(runs):
        os.sync()
        curl_times.append(curl(tenant, path))
        os.sync()
        our_times.append(upload(tenant, path, data)[0])
    return curl_times, our_times


def test_throughput_against_curl(tenant: dict[str, str], tmp_path: Path) -> None:
    path = document(tmp_path, "Big.qvw", GIB)
    curl(tenant, path)  # warm the page cache and the sandbox
    loop_curl, loop_ours = _alternate(tenant, path, tmp_path / "data", 2)
    # the same over a link of 1 Gbit/s (the sandbox reads PATCH bodies at 125 MB/s for both)
    httpx.post(
        f"{tenant['url']}/__sandbox/faults",
        json={"route": "PATCH /api/v1/temp-contents/files/{id}", "bandwidth_bps": LINK_BPS, "count": 10_000},
    )
    # five pairs: curl is held to the link's rate and varies by milliseconds; ours varies by ~0.2 s a run, so the
    # best of three was close to noise at the target (0.896-0.91 on the same commit on one day)
    link_curl, link_ours = _alternate(tenant, path, tmp_path / "data", 5)
    ratio_loop = min(loop_curl) / min(loop_ours)
    ratio_link = min(link_curl) / min(link_ours)

    def line(label: str, seconds: float) -> str:
        return f"  {label:34} {seconds:6.2f} s  {GIB / seconds / 1e6:7.1f} MB/s"

    print(
        "\nupload of 1 GiB to the sandbox, best of two (loopback) or five (link) alternating runs\n"
        "(qvupload: process start to imported app, hashing every byte; curl: one PATCH of the same\n"
        "bytes to the same endpoint):\n"
        + line("loopback, unthrottled: curl", min(loop_curl))
        + "\n"
        + line("loopback, unthrottled: qvupload", min(loop_ours))
        + f"\n  ratio {ratio_loop:.2f}\n"
        + line("1 Gbit/s link: curl", min(link_curl))
        + "\n"
        + line("1 Gbit/s link: qvupload", min(link_ours))
        + f"\n  ratio {ratio_link:.2f}  (target >= 0.9)\n"
        f"  all runs (s): curl {[round(t, 2) for t in loop_curl + link_curl]}, "
        f"qvupload {[round(t, 2) for t in loop_ours + link_ours]}"
    )
    assert ratio_link >= 0.9


def test_peak_memory_flat_in_file_size(tenant: dict[str, str], tmp_path: Path) -> None:
    small = document(tmp_path, "Small.qvw", 100 * 1024 * 1024)
    _, small_kib = upload(tenant, small, tmp_path / "data")
    small.unlink()
    big = document(tmp_path, "Huge.qvw", 2 * GIB)
    _, big_kib = upload(tenant, big, tmp_path / "data")
    small_mb, big_mb = small_kib / 1024, big_kib / 1024
    print(
        f"\npeak memory of the uploading process:\n  100 MB document   {small_mb:6.1f} MB\n"
        f"  2 GiB document    {big_mb:6.1f} MB (targets: <= 150 MB, within 20 MB of the 100 MB figure)"
    )
    assert big_mb <= 150
    assert big_mb - small_mb <= 20
