"""``qvupload assess PATH... --report FILE.html [--usage-logs DIR]``: the migration assessment as a
self-contained HTML page with a CSV beside it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qvupload.i18n import _
from qvupload.timefmt import parse_duration


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "assess", help=_("an HTML assessment report of QlikView documents (and their use) for migration")
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("documents or folders (searched recursively)"))
    p.add_argument("--report", type=Path, required=True, metavar="FILE.html", help=_("where to write the report"))
    p.add_argument(
        "--usage-logs",
        type=Path,
        metavar="DIR",
        help=_("a QlikView Server's log folder: its Sessions*.log give sessions, users and last opened"),
    )
    p.add_argument("--stale-after", default="7d", metavar="AGE", help=_("data older than this is stale (default 7d)"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from qvupload.assessment import build_assessment
    from qvupload.assessment.files import ReportError, summary_lines, write_reports

    try:
        stale_after = parse_duration(args.stale_after)
    except ValueError as exc:
        print((_("qvupload assess: --stale-after: %(exc)s.") % {"exc": exc}), file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(
            (_("qvupload assess: %(join)s cannot be found.") % {"join": ", ".join(map(str, missing))}), file=sys.stderr
        )
        return 2
    if args.usage_logs is not None and not args.usage_logs.is_dir():
        print(
            (_("qvupload assess: the log folder %(usage_logs)s is not a folder.") % {"usage_logs": args.usage_logs}),
            file=sys.stderr,
        )
        return 2
    assessment = build_assessment(args.paths, usage_logs=args.usage_logs, stale_after=stale_after)
    try:
        html, table = write_reports(assessment, args.report)
    except ReportError as exc:
        print((_("qvupload assess: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 1
    for line in summary_lines(assessment):
        print(line)
    print(_("Report: %(html)s\nTable:  %(table)s") % {"html": html, "table": table})
    return 0
