"""A kill at the moment a write is out (the tenant has carried it out, its answer has not come),
then `queue resume` (or, for roles, the same `share` again): still one app per target, one
published copy per managed space, one assignment per member."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from qvupload.sandbox import Sandbox
from tests.transfers.exactly import (
    ASSIGN,
    IMPORT,
    MOVE,
    PUBLISH,
    REASSIGN,
    REPUBLISH,
    TUS_CREATE,
    add_fault,
    assert_exactly_one,
    assert_one_assignment_each,
    state,
)
from tests.transfers.test_crash_and_cli import cli_env, docs

HOLD = {"then": "late", "late_ms": 20_000}  # carried out; the answer waits until after the kill


def qvupload(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qvupload", *argv], env=env, capture_output=True, text=True, timeout=120
    )


def kill_once_carried_out(sandbox: Sandbox, env: dict[str, str], route: str, *argv: str) -> None:
    """Run qvupload with ``argv``; SIGKILL it once the tenant has carried ``route`` out."""
    add_fault(sandbox.url, route=route, **HOLD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "qvupload", *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while state(sandbox.url)["request_counts"].get(route, 0) < 1:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"{route} was never called: {proc.communicate()[1]!r}")
        time.sleep(0.05)
    time.sleep(0.3)  # the handler has run; the answer is held back
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    httpx.delete(f"{sandbox.url}/__sandbox/faults")


def listed(env: dict[str, str]) -> list[dict[str, object]]:
    run = qvupload(env, "queue", "list", "--json")
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


@pytest.mark.parametrize(
    ("route", "target", "pending"),
    [
        (TUS_CREATE, "personal", None),
        (IMPORT, "personal", "import"),
        (IMPORT, "managed:Sales Reports", "import"),
        (MOVE, "shared:Sales Team", None),
        (PUBLISH, "managed:Sales Reports", "publish"),
    ],
)
def test_kill_while_a_write_is_out_then_queue_resume(
    sandbox: Sandbox, tmp_path: Path, route: str, target: str, pending: str | None
) -> None:
    (doc,) = docs(tmp_path, 1, 300 * 1024)
    env = cli_env(sandbox, tmp_path)
    kill_once_carried_out(sandbox, env, route, "upload", str(doc), "--to", target)
    (row,) = listed(env)
    assert row["pending"] == pending  # saved before the call went out: "import sent, outcome unknown"
    resumed = qvupload(env, "queue", "resume", "--json")
    assert resumed.returncode == 0, resumed.stderr
    (result,) = map(json.loads, resumed.stdout.splitlines())
    assert result["status"] == "uploaded", result
    app = assert_exactly_one(sandbox.url, doc, target)
    assert result["app_id"] == app["id"]
    assert listed(env)[0]["pending"] is None
    ledger = json.loads(qvupload(env, "ledger", "--json").stdout)
    assert len(ledger) == 1 and ledger[0]["outcome"] == "uploaded"  # the one app that resulted


def test_kill_while_a_republish_is_out_then_queue_resume(sandbox: Sandbox, tmp_path: Path) -> None:
    (doc,) = docs(tmp_path, 1, 300 * 1024)
    env = cli_env(sandbox, tmp_path)
    target = "managed:Sales Reports"
    assert qvupload(env, "upload", str(doc), "--to", target).returncode == 0
    kill_once_carried_out(sandbox, env, REPUBLISH, "upload", str(doc), "--to", target, "--on-duplicate", "replace")
    resumed = qvupload(env, "queue", "resume", "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert_exactly_one(sandbox.url, doc, target)


@pytest.mark.parametrize("route", [ASSIGN, REASSIGN])
def test_kill_while_a_role_is_out_then_share_again(sandbox: Sandbox, tmp_path: Path, route: str) -> None:
    env = cli_env(sandbox, tmp_path)
    who = "hana@sandbox.example" if route == ASSIGN else "erik@sandbox.example"  # new, or has dataconsumer
    argv = ("share", "--space", "Sales Team", "--user", who, "--role", "consumer")
    kill_once_carried_out(sandbox, env, route, *argv)
    again = qvupload(env, *argv)
    assert again.returncode == 0, again.stderr
    roles = {"consumer"} if route == ASSIGN else {"consumer", "dataconsumer"}
    assert_one_assignment_each(sandbox.url, "Sales Team", {who: roles})
