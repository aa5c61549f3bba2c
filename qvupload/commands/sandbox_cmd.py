"""``qvupload sandbox``: run the local Qlik Cloud stand-in in the foreground."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from qvupload.i18n import _
from qvupload.sandbox import Sandbox, SandboxConfig
from qvupload.sandbox.seed import seed_demo, seed_minimal, users_summary
from qvupload.stopping import how_to_stop, on_stop_signals


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sandbox",
        help=_("run a local Qlik Cloud stand-in on loopback (for trying things out and for tests)"),
        description=_(
            "Run a local tenant that answers as Qlik Cloud's published API specs say. It "
            "prints one JSON line with its URL and its users' API keys, then serves until "
            "interrupted."
        ),
    )
    p.add_argument("--port", type=int, default=0, help=_("port on 127.0.0.1 (default: a free one)"))
    p.add_argument("--data-dir", type=Path, help=_("keep the tenant's state and files here across restarts"))
    p.add_argument(
        "--seed",
        choices=["demo", "minimal"],
        default="minimal",
        help=_("what a new tenant starts with (default: minimal)"),
    )
    p.add_argument(
        "--auto-approve",
        action="store_true",
        help=_("approve OAuth sign-ins as the first business user without showing a page"),
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
    sandbox = Sandbox(SandboxConfig(port=args.port), args.data_dir)
    if not sandbox.tenant.seeded:
        (seed_demo if args.seed == "demo" else seed_minimal)(sandbox.tenant)
    if args.auto_approve:
        business = [u for u, p in sandbox.tenant.personas.items() if p == "business"]
        sandbox.config.auto_approve_user = business[0] if business else None
    try:
        url = sandbox.start()
    except OSError as exc:
        print(
            (
                _("The sandbox could not listen on port %(port)s: %(strerror)s.")
                % {"port": args.port, "strerror": exc.strerror}
            ),
            file=sys.stderr,
        )
        sandbox.tenant.close()
        return 1
    stop = threading.Event()

    on_stop_signals(stop.set)  # Ctrl+C everywhere; SIGTERM on POSIX, Ctrl+Break on Windows
    print(json.dumps({"url": url, "users": users_summary(sandbox.tenant)}), flush=True)
    if sys.stderr.isatty():
        print(how_to_stop(), file=sys.stderr)
    while not stop.wait(0.5):
        pass
    sandbox.stop()
    print(_("Sandbox stopped."), file=sys.stderr)
    return 0
