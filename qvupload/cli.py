"""The command-line front door. ``qvupload`` with no command opens the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from qvupload import __version__
from qvupload.commands import demo_cmd, sandbox_cmd, scan_cmd, transfer_cmds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qvupload",
        description="Bring local QlikView documents into Qlik Cloud.",
    )
    parser.add_argument("--version", action="version", version=f"qvupload {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    scan_cmd.add_parser(sub)
    demo_cmd.add_parser(sub)
    sandbox_cmd.add_parser(sub)
    transfer_cmds.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 0
    try:
        code: int = run(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
