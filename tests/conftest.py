"""Shared fixtures. Third-party sample files are read from ../shared, never copied into the project.

Where ../shared is absent (a user's own clone) the tests that need it skip, saying why. CI sets
QVUPLOAD_REQUIRE_SHARED=1, which turns that skip into a failure so those tests always run there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qvupload.sandbox import Sandbox, SandboxConfig
from qvupload.sandbox.seed import seed_demo

REPO = Path(__file__).resolve().parent.parent


def _shared_dir() -> Path | None:
    configured = os.environ.get("QVUPLOAD_SHARED")
    candidates = [Path(configured)] if configured else [REPO.parent / "shared"]
    for candidate in candidates:
        if (candidate / "samples" / "qvw" / "MANIFEST.md").is_file():
            return candidate
    return None


def require(condition: bool, reason: str, env: str) -> None:
    """Skip when a resource is missing, or fail when ``env`` says CI needs it."""
    if condition:
        return
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 says this run must have it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (samples, reference notes, Qlik Cloud specs)."""
    found = _shared_dir()
    require(
        found is not None,
        "../shared (sample documents and specs) is not present next to this clone",
        "QVUPLOAD_REQUIRE_SHARED",
    )
    assert found is not None
    return found


@pytest.fixture(scope="session")
def samples(shared: Path) -> Path:
    return shared / "samples" / "qvw"


@contextlib.contextmanager
def running_secret_service(home: Path) -> Iterator[str]:
    """gnome-keyring inside its own dbus-run-session, unlocked, keeping its files under ``home``.
    Yields the D-Bus address."""
    script = (
        'echo "BUS=$DBUS_SESSION_BUS_ADDRESS"; '
        "printf qvupload-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
        'echo "READY"; exec sleep 3600'
    )
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(home / "run"), "HOME": str(home)}
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    proc = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        env=env,
    )
    assert proc.stdout is not None
    bus = proc.stdout.readline().strip().removeprefix("BUS=")
    assert proc.stdout.readline().strip() == "READY"
    try:
        yield bus
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def require_secret_service() -> None:
    tools = all(shutil.which(t) for t in ("dbus-run-session", "gnome-keyring-daemon"))
    require(tools, "dbus-run-session and gnome-keyring-daemon are not installed", "QVUPLOAD_REQUIRE_KEYRING")


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Secret Service for the session (see running_secret_service). Skips where the tools
    are missing; CI sets QVUPLOAD_REQUIRE_KEYRING=1 so that fails instead."""
    require_secret_service()
    with running_secret_service(tmp_path_factory.mktemp("keyring-home")) as bus:
        yield bus


@pytest.fixture
def keyring_env(secret_service: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Environment for this process and its children: the test keyring and private folders."""
    values = {
        "DBUS_SESSION_BUS_ADDRESS": secret_service,
        "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
        "QVUPLOAD_CACHE_DIR": str(tmp_path / "cache"),
        "QVUPLOAD_LOG_DIR": str(tmp_path / "log"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("QVUPLOAD_API_KEY", raising=False)
    monkeypatch.delenv("QVUPLOAD_TENANT", raising=False)
    return {**os.environ, **values}


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(SandboxConfig(), tmp_path / "tenant")
    seed_demo(sb.tenant)
    sb.start()
    yield sb
    sb.stop()


def persona(sb: Sandbox, role: str) -> tuple[str, str]:
    """(user id, API key) of the first seeded user with that persona, or of the user with that email."""
    tenant = sb.tenant
    for uid, p in tenant.personas.items():
        if p == role or tenant.users[uid].email.startswith(role + "@"):
            key = next(t.value for t in tenant.tokens.values() if t.user_id == uid and t.kind == "api-key")
            return uid, key
    raise KeyError(role)


@pytest.fixture
def control(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url + "/__sandbox") as client:
        yield client
