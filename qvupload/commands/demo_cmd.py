"""``qvupload demo``: try qvupload on demo documents without touching anything real."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from qvupload.commands.scan_cmd import table
from qvupload.documents.demo import write_demo_documents
from qvupload.documents.scan import ScanOptions, scan
from qvupload.i18n import _


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help=_("try qvupload: the window on a local sandbox tenant with demo documents"))
    p.add_argument("--folder", type=Path, help=_("with --no-window: write the demo documents here"))
    p.add_argument("--no-window", action="store_true", help=_("only show what qvupload reads from the demo documents"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.no_window:
        from qvupload.ui.app import run_window

        return run_window(demo=True)
    if args.folder is not None:
        return _show(args.folder)
    with tempfile.TemporaryDirectory(prefix="qvupload-demo-") as tmp:
        return _show(Path(tmp))


def _show(folder: Path) -> int:
    write_demo_documents(folder)
    print(_("Demo documents in %(folder)s (nothing leaves this machine):\n") % {"folder": folder})
    print(table(scan([folder], ScanOptions(saving_build=True))))
    return 0
