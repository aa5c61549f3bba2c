"""Mount :mod:`tests.fusefs.slowfs` for a test: a context manager, the call counts, the CI requirement."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO, require
from tests.fusefs.slowfs import CONTROL

FUSE_ENV = "QVUPLOAD_REQUIRE_FUSE"


def fuse_missing() -> str | None:
    """Why a FUSE mount cannot be made here, or None when it can."""
    if not os.path.exists("/dev/fuse"):
        return "/dev/fuse does not exist"
    if shutil.which("fusermount3") is None:
        return "fusermount3 is not installed (Debian package fuse3)"
    if importlib.util.find_spec("mfusepy") is None:
        return "the mfusepy package is not installed (pip install -e '.[test]')"
    return None


def require_fuse() -> None:
    reason = fuse_missing()
    require(reason is None, reason or "", FUSE_ENV)


@dataclass
class Calls:
    """Calls the file system served, by kind (getattr, open, read, ...)."""

    by_kind: dict[str, int]
    most_in_flight: int
    folder_calls: int = 0  # of the total, calls about folders (listings, folder look-ups)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def __sub__(self, other: Calls) -> Calls:
        kinds = set(self.by_kind) | set(other.by_kind)
        diff = {k: self.by_kind.get(k, 0) - other.by_kind.get(k, 0) for k in kinds}
        return Calls({k: v for k, v in diff.items() if v}, self.most_in_flight, self.folder_calls - other.folder_calls)


def calls(mountpoint: Path) -> Calls:
    with open(str(mountpoint) + CONTROL, "rb") as fh:
        data = json.loads(fh.read().decode().strip())
    return Calls(data["calls"], data["most_in_flight"], data["folder_calls"])


@contextlib.contextmanager
def slow_mount(
    backing: Path,
    mountpoint: Path,
    *,
    delay_ms: float = 2.0,
    inodes: str = "constant",
    threads: int = 64,
    remote: bool = False,
) -> Iterator[Path]:
    """``backing`` served at ``mountpoint`` by a separate process until the block ends. ``remote``:
    the server runs at the lowest priority, as if its CPU were another machine's (a real file server's
    work does not compete with the window for this machine's processors)."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "tests.fusefs.slowfs", str(backing), str(mountpoint)]
    if remote and shutil.which("nice"):
        command = ["nice", "-n", "19", *command]
    command += ["--delay-ms", str(delay_ms), "--inodes", inodes, "--threads", str(threads)]
    log_path = mountpoint.parent / f"{mountpoint.name}.slowfs.log"
    # its messages go to a file: a pipe nobody reads fills up and blocks the file system
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while not os.path.ismount(mountpoint):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"slowfs did not mount: {log_path.read_text()[-2000:]}")
            time.sleep(0.05)
        yield mountpoint
    finally:
        subprocess.run(["fusermount3", "-u", str(mountpoint)], check=False, capture_output=True)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
