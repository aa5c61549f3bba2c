"""The frozen bundle only: what it holds, that every library it ships resolves, and its size and
start-up time against an empty PySide6 window frozen the same way (``QVUPLOAD_REFERENCE``,
dist/reference-window from ``packaging/linux/build.sh --reference``), measured in the same run."""

from __future__ import annotations

import configparser
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qvupload import __version__
from tests.bundle.conftest import Program
from tests.conftest import require

pytestmark = [pytest.mark.bundle, pytest.mark.parametrize("program", ["bundle"], indirect=True)]
RUNS = 5


@pytest.fixture(scope="module")
def bundle(program: Program) -> Path:
    return program.command.parent


def _on_disk(folder: Path) -> int:
    """Bytes the folder takes on disk (allocated blocks, as du counts them)."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle's layout")
def test_contents(bundle: Path) -> None:
    inside = bundle / "_internal"
    assert (inside / "certifi" / "cacert.pem").stat().st_size > 100_000  # the CA bundle httpx verifies with
    assert (inside / "qvupload" / "ui" / "icons" / "qvupload.svg").is_file()
    assert list(inside.glob("keyring-*.dist-info/entry_points.txt"))  # keyring finds its backends by these
    assert not list(inside.rglob("tests")) and not list(inside.rglob("test_*.py*"))
    plugins = inside / "PySide6" / "Qt" / "plugins"
    kept = {f"{p.parent.name}/{p.name}" for p in plugins.glob("*/*")}
    assert kept == {
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "platforms/libqwayland.so",
        "wayland-shell-integration/libxdg-shell.so",
        "wayland-decoration-client/libbradient.so",
        "platformthemes/libqxdgdesktopportal.so",
        "imageformats/libqsvg.so",
        "iconengines/libqsvgicon.so",
    }


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_every_shipped_library_finds_what_it_links(bundle: Path) -> None:
    inside = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{inside}:{inside / 'PySide6' / 'Qt' / 'lib'}"}
    missing = []
    for lib in sorted(p for p in inside.rglob("*.so*") if p.is_file() and not p.is_symlink()):
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env).stdout
        missing += [f"{lib.relative_to(inside)}: {line.strip()}" for line in out.splitlines() if "not found" in line]
    assert not missing, "\n".join(missing)


def _started(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - start
    assert run.returncode == 0, run.stderr[-2000:]
    return took


def test_size_and_start_up_against_an_empty_window(
    bundle: Path, private_env: dict[str, str], display: str, tmp_path: Path
) -> None:
    root = os.environ.get("QVUPLOAD_REFERENCE", "")
    reference = Path(root) / "reference-window" if root else None
    found = reference is not None and reference.is_file()
    require(found, "QVUPLOAD_REFERENCE names no reference-window build", "QVUPLOAD_REQUIRE_BUNDLE")
    assert reference is not None
    env = {**private_env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "QVUPLOAD_STARTUP_PROBE": "1"}
    app_cmd, ref_cmd = [str(bundle / "qvupload")], [str(reference)]
    _started(app_cmd, env), _started(ref_cmd, env)  # warm the page cache for both alike
    app, ref = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment of the machine hits both
        app.append(_started(app_cmd, env))
        ref.append(_started(ref_cmd, env))
    app_s, ref_s = statistics.median(app), statistics.median(ref)
    app_size, ref_size = _on_disk(bundle), _on_disk(reference.parent)
    print(
        f"\nbundle: {app_size / 2**20:.0f} MiB on disk (empty-window reference: {ref_size / 2**20:.0f} MiB, "
        f"{app_size / ref_size:.2f}x)\nstart-up to a shown window, median of {RUNS}: bundle {app_s:.2f} s, "
        f"empty window {ref_s:.2f} s, ratio {app_s / ref_s:.2f}"
    )
    assert app_s / ref_s < 6, "the bundle starts far slower than an empty window: look at what it imports first"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Secret Service is Linux's")
def test_keyring_backend_found_even_without_its_entry_points(
    bundle: Path, keyring_env: dict[str, str], private_env: dict[str, str], tmp_path: Path
) -> None:
    """A bundle that lost keyring's metadata (another build tool, a stripped copy) still finds the
    Secret Service: the runtime hook names it (rthook_keyring.py)."""
    copy = tmp_path / "stripped"
    subprocess.run(["cp", "-al", str(bundle), str(copy)], check=True)  # hard links: quick, no extra space
    for info in (copy / "_internal").glob("keyring-*.dist-info"):
        shutil.rmtree(info)
    env = {**private_env, "DBUS_SESSION_BUS_ADDRESS": keyring_env["DBUS_SESSION_BUS_ADDRESS"]}
    run = subprocess.run(
        [str(copy / "qvupload"), "diagnose", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)["keyring"]
    assert found["chosen_by_environment"] == "keyring.backends.SecretService.Keyring"
    assert found["backend"] == "keyring.backends.SecretService.Keyring", found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux tarball")
def test_tarball_installs_for_the_user_and_removes_again(
    bundle: Path, private_env: dict[str, str], tmp_path: Path
) -> None:
    tarball = bundle.parent / f"qvupload-{__version__}-linux-{platform.machine()}.tar.gz"
    require(tarball.is_file(), f"{tarball.name} is not built (packaging/linux/build.sh)", "QVUPLOAD_REQUIRE_BUNDLE")
    subprocess.run(["tar", "-xzf", str(tarball), "-C", str(tmp_path)], check=True)
    unpacked = tmp_path / f"qvupload-{__version__}"
    home = Path(private_env["HOME"])
    env = {**private_env, "XDG_DATA_HOME": str(home / ".local" / "share")}
    subprocess.run(["sh", str(unpacked / "install.sh")], env=env, check=True, capture_output=True, timeout=120)
    command = home / ".local" / "bin" / "qvupload"
    run = subprocess.run([str(command), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == f"qvupload {__version__}", run.stderr
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(home / ".local" / "share" / "applications" / "qvupload.desktop")
    program = entry["Desktop Entry"]["Exec"]
    assert program == str(home / ".local" / "opt" / "qvupload" / "qvupload") and Path(program).is_file()
    assert (home / ".local" / "share" / "icons" / "hicolor" / "scalable" / "apps" / "qvupload.svg").is_file()
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(home / ".local/share/applications/qvupload.desktop")], check=True)
    subprocess.run(["sh", str(unpacked / "install.sh"), "--remove"], env=env, check=True, capture_output=True)
    assert not command.exists() and not Path(program).exists()
