"""Crash safety (SIGKILL mid-batch, then `queue resume`) and the upload command line."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from tests.conftest import persona

MIB = 1024 * 1024


def cli_env(sandbox: Sandbox, tmp_path: Path, who: str = "ann") -> dict[str, str]:
    return {
        **os.environ,
        "QVUPLOAD_API_KEY": persona(sandbox, who)[1],
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_TENANT": sandbox.url,
    }


def docs(tmp_path: Path, count: int, size: int) -> list[Path]:
    now = datetime.now(UTC) - timedelta(hours=1)
    folder = tmp_path / "docs"
    folder.mkdir()
    return [write_document(folder / f"Report {i}.qvw", SyntheticDocument(now, size=size)) for i in range(count)]


def start_slow_upload(sandbox: Sandbox, tmp_path: Path, **popen: Any) -> tuple[subprocess.Popen[Any], dict[str, str]]:
    """``qvupload upload`` of the docs folder, one document at a time in 1 MiB chunks, over a link of
    4 MiB/s (so a test can act while a document is part-way through); the process and its environment."""
    httpx.post(
        f"{sandbox.url}/__sandbox/faults",
        json={"route": "PATCH /api/v1/temp-contents/files/{id}", "bandwidth_bps": 4 * MIB, "count": 1000},
    )
    env = cli_env(sandbox, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "upload", str(tmp_path / "docs"), "--concurrency", "1", "--chunk-size", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )
    return proc, env


def test_sigkill_mid_batch_then_queue_resume(sandbox: Sandbox, tmp_path: Path) -> None:
    files = docs(tmp_path, 3, 4 * MIB)
    state_url = f"{sandbox.url}/__sandbox/state"
    proc, env = start_slow_upload(sandbox, tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once the second document is part-way through
        temps = httpx.get(state_url).json()["temp_files"]
        if len(temps) == 2 and 1 * MIB < min(t["offset"] for t in temps if t["offset"] < t["length"]) < 3 * MIB:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the upload never reached the middle of the second document")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    httpx.delete(f"{sandbox.url}/__sandbox/faults")
    listed = subprocess.run(
        [sys.executable, "-m", "qvupload", "queue", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    states = sorted(json.loads(line)["state"] for line in listed.stdout.splitlines())
    assert states == ["done", "queued", "uploading"]
    resumed = subprocess.run(
        [sys.executable, "-m", "qvupload", "queue", "resume", "--json", "--chunk-size", "1"],
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
    assert len(state["temp_files"]) == 3  # the interrupted upload was resumed, not started again
    for temp in state["temp_files"]:
        assert temp["received"] - temp["length"] <= 1 * MIB  # at most one chunk sent twice


def test_upload_command_json_and_exit_codes(sandbox: Sandbox, tmp_path: Path) -> None:
    files = docs(tmp_path, 2, 300 * 1024)
    (tmp_path / "docs" / "Broken.qvw").write_text("no")
    env = cli_env(sandbox, tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "qvupload", "upload", str(tmp_path / "docs"), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1  # one document failed
    rows = {Path(r["path"]).name: r for r in map(json.loads, run.stdout.splitlines())}
    assert rows["Broken.qvw"]["status"] == "failed" and "not a QlikView document" in rows["Broken.qvw"]["message"]
    for path in files:
        row = rows[path.name]
        assert row["status"] == "uploaded" and row["app_id"] and row["item_id"]
        assert {"path", "status", "app_id", "item_id", "space_id", "message"} <= set(row)
    again = subprocess.run(
        [sys.executable, "-m", "qvupload", "upload", *map(str, files), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0
    assert {json.loads(line)["status"] for line in again.stdout.splitlines()} == {"skipped"}
    key = env["QVUPLOAD_API_KEY"]
    assert key not in run.stdout + run.stderr + again.stdout + again.stderr
    ledger = subprocess.run(
        [sys.executable, "-m", "qvupload", "ledger", "--csv"], env=env, capture_output=True, text=True, check=True
    )
    assert ledger.stdout.count("\n") == 1 + 3 + 2 and key not in ledger.stdout


def test_usage_errors(sandbox: Sandbox, tmp_path: Path) -> None:
    env = cli_env(sandbox, tmp_path)
    del env["QVUPLOAD_API_KEY"]
    for argv, needle in (
        (["upload", "x.qvw"], "QVUPLOAD_API_KEY"),
        (["upload", "x.qvw", "--to", "elsewhere"], "not a target"),
        (["upload", "x.qvw", "--tenant", "http://example.com"], "https"),
    ):
        run = subprocess.run([sys.executable, "-m", "qvupload", *argv], env=env, capture_output=True, text=True)
        assert run.returncode == 2 and needle in run.stderr, (argv, run.stderr)


def test_move_and_publish_commands(sandbox: Sandbox, tmp_path: Path) -> None:
    (doc,) = docs(tmp_path, 1, 200 * 1024)
    env = cli_env(sandbox, tmp_path)
    subprocess.run([sys.executable, "-m", "qvupload", "upload", str(doc)], env=env, check=True, capture_output=True)
    app_id = next(a["id"] for a in httpx.get(f"{sandbox.url}/__sandbox/state").json()["apps"] if a["name"] == doc.stem)
    pub = subprocess.run(
        [sys.executable, "-m", "qvupload", "publish", app_id, "--to", "Sales Reports"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert pub.returncode == 0 and pub.stdout.startswith("Published")
    again = subprocess.run(
        [sys.executable, "-m", "qvupload", "publish", app_id, "--to", "Sales Reports"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.stdout.startswith("Republished")
    moved = subprocess.run(
        [sys.executable, "-m", "qvupload", "move", app_id, "--to", "Sales Team"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert moved.returncode == 0 and moved.stdout.startswith("Moved"), moved.stderr
    denied = subprocess.run(
        [sys.executable, "-m", "qvupload", "move", app_id, "--to", "HR Confidential"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert denied.returncode == 1 and "producer" in denied.stderr
    assert re.search(r"^\(Qlik trace id [0-9a-f]{32}\)$", denied.stderr, re.M)  # for a support case
