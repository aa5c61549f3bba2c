"""``qvupload demo``: try qvupload on demo documents without touching anything real."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from qvupload.commands.scan_cmd import table
from qvupload.documents.demo import write_demo_documents
from qvupload.documents.scan import ScanOptions, scan


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="try qvupload on demo documents; nothing leaves this machine")
    p.add_argument("--folder", type=Path, help="write the demo documents here instead of a temporary folder")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.folder is not None:
        return _show(args.folder)
    with tempfile.TemporaryDirectory(prefix="qvupload-demo-") as tmp:
        return _show(Path(tmp))


def _show(folder: Path) -> int:
    write_demo_documents(folder)
    print(f"Demo documents in {folder} (nothing leaves this machine):\n")
    print(table(scan([folder], ScanOptions(saving_build=True))))
    return 0
