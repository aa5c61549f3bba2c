"""``qvupload diagnose``: what a support case needs about this installation (never a secret)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json

from qvupload.diagnostics import as_text, gather
from qvupload.i18n import _


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diagnose",
        help=_("show versions, keyring, CA bundle, proxies, folders and profiles for a support case (no secrets)"),
    )
    p.add_argument("--json", action="store_true", help=_("print one JSON object"))
    p.set_defaults(run=run)


def qt_versions() -> dict[str, str] | None:
    """Qt and PySide6 versions, or None where PySide6 is not installed (imported only here, lazily)."""
    if importlib.util.find_spec("PySide6") is None:
        return None
    try:
        pyside = importlib.import_module("PySide6")
        core = importlib.import_module("PySide6.QtCore")
    except ImportError as exc:  # installed but broken (a missing system library, say): worth reporting
        return {"problem": _("PySide6 is installed but cannot be loaded (%(exc)s).") % {"exc": exc}}
    return {"qt": str(core.qVersion()), "pyside6": str(pyside.__version__)}


def run(args: argparse.Namespace) -> int:
    report = gather(qt_versions())
    print(json.dumps(report, indent=2) if args.json else as_text(report), end="\n" if args.json else "")
    return 0
