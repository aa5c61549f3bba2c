"""Smoke tests of the program as it is installed: the frozen bundle and the wheel (see conftest).

Each runs the real commands in their own processes: --version, a scan large enough to start the
worker processes, the sandbox tenant with upload and publish through it, login/logout into a real
Secret Service, diagnose, and the demo window on a virtual X screen with its screenshots.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring.backends.SecretService
import pytest

from qvupload import __version__
from qvupload.documents.scan import PARALLEL_FROM
from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.bundle.conftest import ARTIFACTS, Program
from tests.conftest import require
from tests.e2e.xdo import Screen, wait_for

pytestmark = pytest.mark.bundle
SCANNED = 1500


def test_version(program: Program, private_env: dict[str, str]) -> None:
    run = program.run("--version", env=private_env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"qvupload {__version__}"


def test_scan_starts_workers_without_restarting_the_app(
    program: Program, private_env: dict[str, str], tmp_path: Path
) -> None:
    assert SCANNED >= PARALLEL_FROM  # the path that starts worker processes
    now = datetime.now(UTC).replace(microsecond=0)
    folder = tmp_path / "docs"
    for dept in range(20):
        (folder / f"dept{dept}").mkdir(parents=True)
    for i in range(SCANNED):
        age = timedelta(hours=2) if i % 3 else timedelta(days=30)  # every third one is stale
        write_document(folder / f"dept{i % 20}" / f"Doc {i:04d}.qvw", SyntheticDocument(reload_utc=now - age))
    run = program.run("scan", str(folder), "--json", env=private_env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = json.loads(run.stdout)  # a worker that started the app again would print help or fail here
    assert len(rows) == SCANNED and all(r["error"] is None for r in rows)
    verdicts = [r["freshness"] for r in rows]
    assert verdicts.count("stale") == len(range(0, SCANNED, 3)) and verdicts.count("fresh") == SCANNED - verdicts.count(
        "stale"
    )


def _fresh_documents(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True)
    now = datetime.now(UTC)
    return [write_document(folder / f"{n}.qvw", SyntheticDocument(reload_utc=now - timedelta(hours=1))) for n in names]


def _business_key(tenant: dict[str, Any]) -> str:
    return str(next(u["api_key"] for u in tenant["users"] if u["role"] == "business"))


def test_sandbox_upload_and_publish(
    program: Program, private_env: dict[str, str], tenant: dict[str, Any], tmp_path: Path
) -> None:
    docs = _fresh_documents(tmp_path / "docs", ["Bundle Sales", "Bundle Finance"])
    env = {**private_env, "QVUPLOAD_API_KEY": _business_key(tenant)}
    up = program.run("upload", str(tmp_path / "docs"), "--tenant", tenant["url"], "--json", env=env)
    assert up.returncode == 0, up.stderr[-3000:]
    results = {Path(r["path"]).name: r for r in map(json.loads, up.stdout.splitlines())}  # one object a line
    assert {k: r["status"] for k, r in results.items()} == {
        "Bundle Sales.qvw": "uploaded",
        "Bundle Finance.qvw": "uploaded",
    }
    pub = program.run("publish", "Bundle Sales", "--to", "Sales Reports", "--tenant", tenant["url"], env=env)
    assert pub.returncode == 0, pub.stderr[-3000:]
    state = httpx.get(tenant["url"] + "/__sandbox/state").json()
    spaces = {s["id"]: s["name"] for s in state["spaces"]}
    apps = [
        (a["name"], spaces.get(a["space_id"] or "", "personal"), a["published"], a["sha256"]) for a in state["apps"]
    ]
    for doc in docs:
        digest = hashlib.sha256(doc.read_bytes()).hexdigest()
        assert (doc.stem, "personal", False, digest) in apps  # the bytes arrived whole, through the bundle's TLS stack
        assert results[doc.name]["sha256"] == digest
    assert [a[:3] for a in apps if a[0] == "Bundle Sales" and a[2]] == [("Bundle Sales", "Sales Reports", True)]


def test_login_into_secret_service_diagnose_and_logout(
    program: Program, keyring_env: dict[str, str], private_env: dict[str, str], tenant: dict[str, Any]
) -> None:
    env = {**private_env, "DBUS_SESSION_BUS_ADDRESS": keyring_env["DBUS_SESSION_BUS_ADDRESS"]}
    key = _business_key(tenant)
    login = program.run(
        "login", "--profile", "work", "--tenant", tenant["url"], "--api-key-stdin", input=key + "\n", env=env
    )
    assert login.returncode == 0, login.stderr[-3000:]
    assert "Signed in to" in login.stdout
    store = keyring.backends.SecretService.Keyring()  # this process reads the same Secret Service
    assert key in (store.get_password("qvupload", "profile:work") or "")
    diagnose = program.run("diagnose", "--json", env=env)
    assert diagnose.returncode == 0, diagnose.stderr[-3000:]
    report = json.loads(diagnose.stdout)
    assert key not in diagnose.stdout
    assert report["keyring"]["backend"] == "keyring.backends.SecretService.Keyring", report["keyring"]
    assert report["qvupload"]["bundle"] is (program.kind == "bundle")
    assert report["tls"]["exists"] and report["qt"]["qt"].startswith("6.")
    assert [p["name"] for p in report["profiles"]["saved"]] == ["work"]
    profiles = program.run("profiles", "--json", env=env)
    assert profiles.returncode == 0 and "work" in profiles.stdout and key not in profiles.stdout
    logout = program.run("logout", "--profile", "work", env=env)
    assert logout.returncode == 0, logout.stderr[-3000:]
    assert store.get_password("qvupload", "profile:work") is None


def test_demo_window_under_xvfb(program: Program, private_env: dict[str, str], display: str, tmp_path: Path) -> None:
    """The installed program's demo in a real X window, driven from outside (xdotool): Upload, Enter in
    the stale question (its default skips stale documents), the fresh ones reach the demo's tenant, Ctrl+Q."""
    for tool in ("xdotool", "import"):
        require(shutil.which(tool) is not None, f"{tool} is not installed", "QVUPLOAD_REQUIRE_DISPLAY")
    out = tmp_path / "shots"
    out.mkdir()
    env = {**private_env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    demo = subprocess.Popen(
        [str(program.command), "demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert demo.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+", demo.stdout.readline())
        assert found, "the demo did not say where its sandbox tenant is"
        url = found.group(0)
        screen = Screen(display)
        main = screen.window("qvupload", timeout=60)
        screen.resize(main, 1270, 840)
        screen.focus(main)
        time.sleep(2.5)  # the demo documents are read in the background
        screen.shoot(out / "1-documents.png", main)
        screen.keys("ctrl+u")
        screen.focus(screen.window("Some documents hold old data"))
        screen.keys("Return")

        def names() -> set[str]:
            return {a["name"] for a in httpx.get(f"{url}/__sandbox/state").json()["apps"]}

        wait_for(lambda: {"Sales Overview", "HR Headcount (secured)"} <= names(), "the fresh documents", timeout=90)
        assert "Finance Monthly" not in names()  # Enter skipped the stale one
        time.sleep(1.5)
        screen.shoot(out / "2-done.png", main)
        screen.focus(main)
        screen.keys("ctrl+q")
        code = demo.wait(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert code == 0, demo.stderr.read()[-3000:] if demo.stderr else ""
    target = ARTIFACTS / program.kind
    target.mkdir(parents=True, exist_ok=True)
    for shot in sorted(out.glob("*.png")):
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, shot.name  # a real, drawn window
        shutil.copyfile(shot, target / shot.name)
