"""Nothing on the Windows path depends on POSIX-only behaviour: how a command is stopped, and what
the plaintext fallback says protects its file. ``sys.platform`` is patched only where the code
branches on it; the POSIX side runs for real."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from qvupload.auth.secrets import CredentialStore, Secret, plaintext_warning
from qvupload.stopping import how_to_stop, on_stop_signals, stop_signal_names


def test_stop_signals_per_system() -> None:
    assert stop_signal_names("win32") == ["SIGINT", "SIGBREAK"]  # no one sends SIGTERM on Windows
    assert stop_signal_names("linux") == ["SIGINT", "SIGTERM"]
    assert "Ctrl+Break" in how_to_stop("win32") and "SIGTERM" not in how_to_stop("win32")


def test_handlers_install_for_the_signals_this_system_has() -> None:
    before = {n: signal.getsignal(getattr(signal, n)) for n in ("SIGINT", "SIGTERM")}
    calls: list[int] = []
    try:
        handled = on_stop_signals(lambda: calls.append(1), platform="win32")
        assert handled == (["SIGINT", "SIGBREAK"] if hasattr(signal, "SIGBREAK") else ["SIGINT"])
        signal.raise_signal(signal.SIGINT)
        assert calls == [1]
    finally:
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals; Windows gets Ctrl+Break instead")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_the_sandbox_command_stops_cleanly(sig: signal.Signals, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qvupload", "sandbox", "--data-dir", str(tmp_path / "t")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["url"].startswith("http://127.0.0.1:")
    proc.send_signal(sig)
    assert proc.wait(timeout=30) == 0
    assert "Sandbox stopped." in proc.stderr.read()


def test_plaintext_fallback_says_what_protects_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CredentialStore(plaintext_file=tmp_path / "secrets-plaintext.json")
    store.set("p", Secret("api-key", api_key="k"))
    if sys.platform != "win32":
        assert stat.S_IMODE(store.plaintext_file.stat().st_mode) == 0o600  # type: ignore[union-attr]
        assert "file mode" in plaintext_warning() and "600" in plaintext_warning()
    monkeypatch.setattr(sys, "platform", "win32")
    warning = plaintext_warning()
    assert "Windows user profile" in warning and "not encrypted" in warning and "mode" not in warning
    store.set("q", Secret("api-key", api_key="k2"))  # no POSIX file modes on the Windows branch
    assert store.get("q") is not None and store.get("p") is not None
