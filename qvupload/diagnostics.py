"""What a support case needs to know about this installation, as plain data and as copyable text.

Versions, the platform, the keyring backend in use, the CA bundle, the proxies seen (with any
credentials in their addresses masked), the folders, and the saved profiles. Never a secret: a
profile is its name, tenant, sign-in kind and user; keys and tokens are not read at all.

Qt-free: the Qt versions come from the caller (the window knows them; the command asks PySide6
only when it is installed).
"""

from __future__ import annotations

import os
import platform
import re
import sys
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from qvupload import __version__

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")


def mask_url(url: str) -> str:
    """``http://user:secret@proxy:8080`` -> ``http://***@proxy:8080``: a proxy's credentials never show."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)?[^/@]*@", lambda m: (m.group(1) or "") + "***@", url.strip())


def proxy_variables(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The proxy variables set in the environment (either case), masked."""
    env = os.environ if environ is None else environ
    seen: dict[str, str] = {}
    for name in PROXY_VARIABLES:
        for variant in (name, name.lower()):
            if env.get(variant):
                seen[variant] = mask_url(env[variant]) if name != "NO_PROXY" else env[variant]
    return seen


def _bypassed(host: str, no_proxy: str) -> bool:
    """curl's NO_PROXY rules, as httpx applies them: ``*``, exact hosts, and domain suffixes."""
    host = host.lower().strip("[]")
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        if "://" in entry:
            entry = urlsplit(entry).hostname or ""
        if entry.startswith("."):
            if host.endswith(entry):
                return True
        elif host == entry or host.endswith("." + entry):
            return True
    return False


def proxy_for(url: str, proxies: Mapping[str, str] | None = None) -> str | None:
    """The proxy httpx would send a request to ``url`` through (masked), or None for a direct connection.

    httpx takes the proxies from ``urllib.request.getproxies()`` (the environment; the registry on
    Windows and the system settings on macOS): the one for the URL's scheme, else ``all``, unless
    ``no`` (NO_PROXY) names the host."""
    info = dict(urllib.request.getproxies() if proxies is None else proxies)
    parts = urlsplit(url)
    if _bypassed(parts.hostname or "", info.get("no", "")):
        return None
    chosen = info.get(parts.scheme) or info.get("all")
    if not chosen:
        return None
    return mask_url(chosen if "://" in chosen else f"http://{chosen}")


def _keyring() -> dict[str, Any]:
    from qvupload.auth.secrets import KeyringUnavailable, secure_backend
    from qvupload.auth.session import open_stores

    found: dict[str, Any] = {"chosen_by_environment": os.environ.get("PYTHON_KEYRING_BACKEND") or None}
    try:
        backend = secure_backend()
        found["backend"] = f"{type(backend).__module__}.{type(backend).__name__}"
        found["problem"] = None
    except KeyringUnavailable as exc:
        found["backend"] = None
        found["problem"] = str(exc)
    try:
        found["plaintext_file"] = str(open_stores().secrets.plaintext_file or "") or None
    except Exception as exc:  # an unreadable profiles file is itself worth reporting
        found["plaintext_file"] = f"unknown ({exc})"
    return found


def _tls() -> dict[str, Any]:
    import certifi

    # httpx (trust_env, the default) prefers SSL_CERT_FILE, then SSL_CERT_DIR, then certifi's bundle
    source = next((name for name in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(name)), "certifi")
    bundle = os.environ[source] if source != "certifi" else certifi.where()
    return {"ca_bundle": bundle, "source": source, "exists": os.path.exists(bundle), "certifi": certifi.__version__}


def _folders() -> dict[str, str]:
    from qvupload import paths

    return {
        "config": str(paths.config_dir()),
        "data": str(paths.data_dir()),
        "cache": str(paths.cache_dir()),
        "log": str(paths.log_dir()),
    }


def _profiles() -> dict[str, Any]:
    from qvupload.auth.profiles import ProfileError, ProfileStore
    from qvupload.paths import config_dir

    store = ProfileStore(config_dir())
    try:
        default = store.settings().default_profile
        rows = [
            {
                "name": p.name,
                "tenant": p.tenant,
                "kind": p.kind,
                "user": f"{p.user_name} <{p.user_email}>" if p.user_email else p.user_name,
                "default": p.name == default,
                "proxy": proxy_for(p.tenant),
            }
            for p in store.all()
        ]
    except ProfileError as exc:
        return {"problem": str(exc), "saved": []}
    return {"problem": None, "saved": rows}


def gather(qt: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything, as JSON-ready data. ``qt``: the Qt and PySide6 versions, when the caller has them."""
    frozen = bool(getattr(sys, "frozen", False))
    return {
        "qvupload": {"version": __version__, "bundle": frozen, "executable": sys.executable},
        "python": {"version": platform.python_version(), "implementation": platform.python_implementation()},
        "qt": dict(qt) if qt else None,
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "description": platform.platform(),
        },
        "keyring": _keyring(),
        "tls": _tls(),
        "proxies": {
            "environment": proxy_variables(),
            "httpx_would_use": {
                "https": proxy_for("https://tenant.example"),
                "http": proxy_for("http://tenant.example"),
            },
        },
        "folders": _folders(),
        "profiles": _profiles(),
    }


def _lines(value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out += [f"{indent}{key}:", *_lines(item, indent + "  ")]
            else:
                out.append(f"{indent}{key}: {_scalar(item)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            nested = _lines(item, indent + "  ")
            out += [f"{indent}- {nested[0].strip()}", *nested[1:]] if nested else []
        return out
    return [f"{indent}{_scalar(value)}"]


def _scalar(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return "none"
    return str(value)


def as_text(report: Mapping[str, Any]) -> str:
    """The report as indented text for a support case (what the window's Copy button copies)."""
    return "\n".join([f"qvupload diagnostics ({report['qvupload']['version']})", *_lines(dict(report), "")]) + "\n"
