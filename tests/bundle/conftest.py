"""The installed program, as people get it: the frozen bundle (``QVUPLOAD_BUNDLE=dist/qvupload``)
and the wheel installed into a fresh, non-editable virtual environment (``QVUPLOAD_WHEEL_VENV``).

Without those variables these tests skip; ``.ci/run`` builds both from the clean checkout and sets
``QVUPLOAD_REQUIRE_BUNDLE=1`` / ``QVUPLOAD_REQUIRE_WHEEL=1``, so there they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.bundle.checked_proxy import checked_relay
from tests.conftest import REPO, require
from tests.contract import ContractChecker, load_specs
from tests.e2e.xdo import xvfb

ARTIFACTS = REPO / "test-artifacts" / "bundle"


@dataclass(frozen=True)
class Program:
    kind: str  # "bundle" or "wheel"
    command: Path  # the qvupload executable

    def run(self, *args: str, env: dict[str, str], timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.command), *args], env=env, capture_output=True, text=True, timeout=timeout, **kw
        )


def _located(env: str, relative: str) -> Path | None:
    root = os.environ.get(env)
    if not root:
        return None
    path = Path(root).resolve() / relative
    for candidate in (path, path.with_name(path.name + ".exe"), path.parent.parent / "Scripts" / (path.name + ".exe")):
        if candidate.is_file():  # Windows: qvupload.exe, and a venv's Scripts folder
            return candidate
    return None


@pytest.fixture(scope="session", params=["bundle", "wheel"])
def program(request: pytest.FixtureRequest) -> Program:
    if request.param == "bundle":
        command = _located("QVUPLOAD_BUNDLE", "qvupload")
        why = "QVUPLOAD_BUNDLE names no built bundle (packaging/linux/build.sh builds dist/qvupload)"
        require(command is not None, why, "QVUPLOAD_REQUIRE_BUNDLE")
    else:
        command = _located("QVUPLOAD_WHEEL_VENV", "bin/qvupload")
        why = "QVUPLOAD_WHEEL_VENV names no virtual environment with the wheel installed (see .ci/run)"
        require(command is not None, why, "QVUPLOAD_REQUIRE_WHEEL")
    assert command is not None
    return Program(request.param, command)


@pytest.fixture
def private_env(tmp_path: Path) -> dict[str, str]:
    """No real profile, keyring or proxy; nothing from this checkout on the module path."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("QVUPLOAD_", "PYTHON")) and "PROXY" not in k.upper()
    }
    env.update(
        {
            "HOME": str(tmp_path / "home"),
            "QVUPLOAD_CONFIG_DIR": str(tmp_path / "config"),
            "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
            "QVUPLOAD_CACHE_DIR": str(tmp_path / "cache"),
            "QVUPLOAD_LOG_DIR": str(tmp_path / "log"),
        }
    )
    (tmp_path / "home").mkdir()
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env


@pytest.fixture(scope="session")
def contract() -> ContractChecker | None:
    """Qlik's OpenAPI files from ../shared. Where they are absent (a forge runner) the responses go
    unchecked, unless QVUPLOAD_REQUIRE_SHARED=1 (as in .ci/run) makes that a failure."""
    from tests.conftest import _shared_dir

    found = _shared_dir()
    if found is None:
        if os.environ.get("QVUPLOAD_REQUIRE_SHARED") == "1":
            pytest.fail("../shared (Qlik's OpenAPI files) is missing (QVUPLOAD_REQUIRE_SHARED=1)")
        return None
    return ContractChecker(load_specs(found / "qlik-cloud-specs"))


@pytest.fixture
def tenant(
    program: Program, private_env: dict[str, str], tmp_path: Path, contract: ContractChecker | None
) -> Iterator[dict[str, Any]]:
    """``qvupload sandbox --seed demo`` run by the program under test: its first line (users, and
    ``url``: a relay in front of it that checks every response against Qlik's specs)."""
    proc = subprocess.Popen(
        [str(program.command), "sandbox", "--seed", "demo", "--data-dir", str(tmp_path / "tenant")],
        env=private_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        pytest.fail(f"the sandbox did not start: {proc.communicate(timeout=10)[1][-2000:]}")
    failures: list[str] = []
    checked: list[str] = []
    try:
        first = json.loads(line)
        with checked_relay(first["url"], contract, failures, checked) as url:
            yield {**first, "url": url, "sandbox_url": first["url"]}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert not failures, "sandbox responses break Qlik's spec:\n" + "\n".join(failures)
    assert contract is None or any("/api/v1/" in c for c in checked), "no response went through the checker"


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """A private Xvfb screen (numbers from 111 on, clear of the other tests' displays)."""
    require(shutil.which("Xvfb") is not None, "Xvfb is not installed", "QVUPLOAD_REQUIRE_DISPLAY")
    with xvfb(range(111, 131)) as name:
        yield name
