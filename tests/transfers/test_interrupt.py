"""Ctrl+C during an upload (SIGINT: what a console sends on every system, Windows included) ends
the command with a sentence, not a traceback, and `queue resume` finishes the batch."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from qvupload.sandbox import Sandbox
from tests.transfers.test_crash_and_cli import MIB, docs, start_slow_upload


def test_ctrl_c_mid_upload_then_queue_resume(sandbox: Sandbox, tmp_path: Path) -> None:
    files = docs(tmp_path, 2, 4 * MIB)
    state_url = f"{sandbox.url}/__sandbox/state"
    proc, env = start_slow_upload(sandbox, tmp_path, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # interrupt once the first document is part-way through
        temps = httpx.get(state_url).json()["temp_files"]
        if temps and 1 * MIB < temps[0]["offset"] < 3 * MIB:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the upload never reached the middle of the first document")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Interrupted." in err and "Traceback" not in err, err
    httpx.delete(f"{sandbox.url}/__sandbox/faults")
    listed = subprocess.run(
        [sys.executable, "-m", "qvupload", "queue", "list", "--json"], env=env, capture_output=True, text=True
    )
    states = sorted(json.loads(line)["state"] for line in listed.stdout.splitlines())
    assert "done" not in states and len(states) == 2, states
    resumed = subprocess.run(
        [sys.executable, "-m", "qvupload", "queue", "resume", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    state = httpx.get(state_url).json()
    for path in files:
        apps = [a for a in state["apps"] if a["name"] == path.stem]
        assert len(apps) == 1 and apps[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(state["temp_files"]) == 2  # the interrupted upload was resumed, not started again
