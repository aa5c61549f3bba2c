"""`qvupload sandbox` as a user runs it: one JSON line, serves, stops on SIGTERM, keeps its state."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx


def start(data_dir: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[str, object]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "sandbox", "--data-dir", str(data_dir), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, json.loads(line)


def stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=10)


def test_start_line_persistence_and_clean_stop(tmp_path: Path) -> None:
    data = tmp_path / "tenant"
    proc, info = start(data, "--seed", "demo")
    try:
        url = str(info["url"])
        assert url.startswith("http://127.0.0.1:")
        users = info["users"]
        assert isinstance(users, list) and {u["role"] for u in users} >= {"business", "admin", "helpdesk", "consumer"}
        assert all(set(u) == {"id", "name", "email", "api_key", "role"} for u in users)
        ann = next(u for u in users if u["role"] == "business")
        headers = {"Authorization": f"Bearer {ann['api_key']}"}
        created = httpx.post(f"{url}/api/v1/spaces", headers=headers, json={"name": "Kept", "type": "shared"})
        assert created.status_code == 201
    finally:
        assert stop(proc) == 0
    proc, again = start(data)  # no --seed: the state on disk wins
    try:
        assert again["users"] == info["users"]
        spaces = httpx.get(f"{again['url']}/api/v1/spaces", headers=headers, params={"name": "Kept"}).json()
        assert [s["name"] for s in spaces["data"]] == ["Kept"]
    finally:
        assert stop(proc) == 0


def test_only_loopback(tmp_path: Path) -> None:
    from qvupload.sandbox import Sandbox, SandboxConfig

    try:
        Sandbox(SandboxConfig(host="0.0.0.0"), tmp_path)
    except ValueError as exc:
        assert "loopback" in str(exc)
    else:
        raise AssertionError("a non-loopback host was accepted")
