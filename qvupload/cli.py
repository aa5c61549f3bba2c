"""The command-line front door. ``qvupload`` with no command opens the window.

Only the module of the command being run is imported, so a command starts quickly.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qvupload import __version__

if TYPE_CHECKING:
    import argparse

# command -> module that defines it (add_parser(s)(sub) and the run functions)
COMMANDS = {
    "scan": "qvupload.commands.scan_cmd",
    "demo": "qvupload.commands.demo_cmd",
    "sandbox": "qvupload.commands.sandbox_cmd",
    "upload": "qvupload.commands.transfer_cmds",
    "queue": "qvupload.commands.transfer_cmds",
    "ledger": "qvupload.commands.transfer_cmds",
    "move": "qvupload.commands.transfer_cmds",
    "publish": "qvupload.commands.transfer_cmds",
    "login": "qvupload.commands.auth_cmds",
    "logout": "qvupload.commands.auth_cmds",
    "profiles": "qvupload.commands.auth_cmds",
    "access": "qvupload.commands.access_cmd",
    "share": "qvupload.commands.share_cmd",
    "link": "qvupload.commands.link_cmd",
    "link-access": "qvupload.commands.link_cmd",
    "assess": "qvupload.commands.assess_cmd",
    "diagnose": "qvupload.commands.diagnose_cmd",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    import argparse  # here, not at the top: the window opens without it

    from qvupload.i18n import LANGUAGES, _

    parser = argparse.ArgumentParser(
        prog="qvupload",
        description=_("Bring local QlikView documents into Qlik Cloud."),
    )
    parser.add_argument("--version", action="version", version=f"qvupload {__version__}")
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=_("language of messages and tables: %(languages)s (default: the system's)")
        % {"languages": ", ".join(LANGUAGES)},
    )
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    modules = [COMMANDS[only]] if only in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        module = importlib.import_module(name)
        register = getattr(module, "add_parsers", None) or module.add_parser
        register(sub)
    return parser


def take_lang(argv: list[str]) -> tuple[list[str], str | None]:
    """``--lang de`` / ``--lang=fr`` anywhere on the command line, taken out (it applies to every command)."""
    rest: list[str] = []
    lang: str | None = None
    items = iter(argv)
    for item in items:
        if item == "--lang":
            lang = next(items, None)
        elif item.startswith("--lang="):
            lang = item.partition("=")[2]
        else:
            rest.append(item)
    return rest, lang


def _open_window() -> int:
    import gc

    # the window collects cycles itself, on its own thread and timer (ui.app.MainThreadCollector). Off
    # from here, the objects its start-up creates and keeps (modules, classes, Qt's enums: some 2%
    # of the instructions until it shows) are not walked again and again before that timer starts
    gc.disable()
    from qvupload.ui.app import run_window

    return run_window()


def main(argv: Sequence[str] | None = None) -> int:
    from qvupload.console import make_output_safe

    make_output_safe()  # a name the console's code page cannot show is escaped, never a crash
    argv = list(sys.argv[1:] if argv is None else argv)
    argv, lang = take_lang(argv)  # before any module is imported: their messages are in this language
    from qvupload import i18n

    i18n.setup(lang)
    if not argv:  # no command: open the window (without loading every command's modules first)
        return _open_window()
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first)
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:  # no command: open the window
        return _open_window()
    try:
        code: int = run(args)
    except KeyboardInterrupt:
        print(i18n._("Interrupted."), file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
