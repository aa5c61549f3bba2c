"""``qvupload diagnose``: what a support case needs, and never a secret."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import httpx
import keyring.core
import pytest

from qvupload.auth.session import open_stores, sign_in_with_api_key
from qvupload.diagnostics import as_text, mask_url, proxy_for
from qvupload.sandbox import Sandbox
from tests.conftest import persona


def _diagnose(env: dict[str, str], *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "qvupload", "diagnose", *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_report_names_backend_folders_and_profiles_never_the_key(
    keyring_env: dict[str, str], sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)  # signing in picks one
    _, key = persona(sandbox, "business")
    asyncio.run(sign_in_with_api_key(open_stores(), "work", sandbox.url, key))
    env = {**keyring_env, "HTTPS_PROXY": "http://proxyuser:proxy-pass-123@proxy.example:3128", "NO_PROXY": "127.0.0.1"}
    report = json.loads(_diagnose(env, "--json"))
    text = _diagnose(env)
    for output in (json.dumps(report), text):
        assert key not in output and "proxy-pass-123" not in output and "proxyuser" not in output
    assert report["keyring"]["backend"] == "keyring.backends.SecretService.Keyring"
    assert report["keyring"]["problem"] is None
    assert report["folders"]["config"] == keyring_env["QVUPLOAD_CONFIG_DIR"]
    assert report["folders"]["data"] == keyring_env["QVUPLOAD_DATA_DIR"]
    [profile] = report["profiles"]["saved"]
    assert profile["name"] == "work" and profile["tenant"] == sandbox.url and profile["kind"] == "api-key"
    assert profile["default"] is True and "@" in profile["user"]
    assert profile["proxy"] is None  # NO_PROXY names the sandbox's address
    assert report["proxies"]["environment"]["HTTPS_PROXY"] == "http://***@proxy.example:3128"
    assert report["proxies"]["httpx_would_use"]["https"] == "http://***@proxy.example:3128"
    assert report["python"]["version"] == ".".join(map(str, sys.version_info[:3]))
    assert report["qt"]["qt"].startswith("6.")
    assert report["tls"]["exists"] is True
    assert "backend: keyring.backends.SecretService.Keyring" in text and "- name: work" in text


def _httpx_proxy(url: str) -> str | None:
    """What httpx itself picks for ``url`` (the oracle for proxy_for)."""
    with httpx.Client() as client:
        pool = client._transport_for_url(httpx.URL(url))._pool  # type: ignore[attr-defined]
    proxy = getattr(pool, "_proxy_url", None)
    return None if proxy is None else f"{proxy.scheme.decode()}://{proxy.host.decode()}:{proxy.port}"


@pytest.mark.parametrize(
    "no_proxy", ["", "*", ".internal.example", "internal.example", "localhost,127.0.0.1", "qlikcloud.com"]
)
def test_proxy_choice_is_the_one_httpx_makes(monkeypatch: pytest.MonkeyPatch, no_proxy: str) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://secure.proxy:3128")
    monkeypatch.setenv("HTTP_PROXY", "plain.proxy:8080")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    urls = [
        "https://acme.eu.qlikcloud.com",
        "https://a.internal.example",
        "https://internal.example",
        "https://notinternal.example",
        "http://localhost:8080",
        "http://127.0.0.1:5000",
        "http://tenant.example",
    ]
    for url in urls:
        assert proxy_for(url) == _httpx_proxy(url), url


def test_masking() -> None:
    assert mask_url("http://u:p@h:1") == "http://***@h:1"
    assert mask_url("socks5://only-user@h") == "socks5://***@h"
    assert mask_url("u:p@h:1") == "***@h:1"
    assert mask_url("http://h:1/a@b") == "http://h:1/a@b"  # an @ in the path is not a credential
    assert as_text({"qvupload": {"version": "9"}, "x": {"y": None, "z": [{"a": True}]}}).splitlines() == [
        "qvupload diagnostics (9)",
        "qvupload:",
        "  version: 9",
        "x:",
        "  y: -",
        "  z:",
        "    - a: yes",
    ]


def test_the_command_does_not_load_qt_until_it_runs() -> None:
    code = (
        "import sys, qvupload.diagnostics, qvupload.commands.diagnose_cmd; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported at module level'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
