"""``qvupload scan PATH... [--json | --csv] [--stale-after DURATION]``."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TextIO

from qvupload.documents.freshness import DEFAULT_STALE_AFTER
from qvupload.documents.inventory import to_csv, to_json
from qvupload.documents.scan import ScanOptions, ScanProgress, ScanResult, scan
from qvupload.i18n import N_, _, ngettext
from qvupload.localfmt import local_datetime
from qvupload.timefmt import format_age, parse_duration

VERDICTS = {"fresh": N_("fresh"), "stale": N_("stale"), "unknown": N_("unknown")}


def duration_arg(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "scan",
        help=_("read QlikView documents and report how fresh their data is"),
        description=_(
            "Read the last reload time and other facts from QlikView documents (files or "
            "folders, searched recursively) without QlikView, and judge whether their data is stale."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("documents or folders"))
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help=_("print one JSON array, one object per file"))
    fmt.add_argument("--csv", action="store_true", help=_("print a CSV migration inventory"))
    p.add_argument(
        "--stale-after",
        type=duration_arg,
        default=DEFAULT_STALE_AFTER,
        metavar="DURATION",
        help=_("data older than this is stale, e.g. 7d, 36h, 2w (default: 7d)"),
    )
    p.add_argument(
        "--no-build",
        action="store_true",
        help=_("skip reading the saving QlikView build (faster on very many documents)"),
    )
    p.set_defaults(run=run)


def _progress_printer(stream: TextIO) -> object:
    def show(state: ScanProgress) -> None:
        if state.finished:
            stream.write("\r\033[K")
        elif state.walking:
            stream.write("\r" + _("Looking for documents... %(found)d found") % {"found": state.found} + "\033[K")
        else:
            stream.write(
                "\r" + _("Reading %(done)d/%(total)d") % {"done": state.examined, "total": state.found} + "\033[K"
            )
        stream.flush()

    return show


def _reload_cell(result: ScanResult) -> str:
    facts = result.facts
    if facts is None:
        return ""
    if facts.last_reload_utc is not None:
        return local_datetime(facts.last_reload_utc.astimezone())
    if facts.last_reload_local is not None:
        return _("~%(time)s (zone unknown)") % {"time": local_datetime(facts.last_reload_local)}
    return _("never recorded")


def table(results: list[ScanResult]) -> str:
    header = (_("Name"), _("Last reload (local time)"), _("Age"), _("Verdict"), _("Reason"))
    rows: list[tuple[str, ...]] = []
    for r in results:
        if r.error is not None:
            rows.append((r.path.name, "", "", _("skipped") if r.skipped else _("error"), r.error))
            continue
        fresh = r.freshness
        age = format_age(fresh.age) if fresh and fresh.age is not None else ""
        rows.append(
            (
                r.path.name,
                _reload_cell(r),
                age,
                _(VERDICTS[fresh.verdict]) if fresh else "",
                fresh.reason if fresh else "",
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)]
    widths[0] = min(widths[0], 48)
    lines = []
    for row in [header, *rows]:
        cells = [row[i][: widths[i]].ljust(widths[i]) for i in range(4)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
    counts = {
        v: sum(1 for r in results if r.freshness and r.freshness.verdict == v) for v in ("fresh", "stale", "unknown")
    }
    skipped = sum(1 for r in results if r.skipped)
    errors = sum(1 for r in results if r.error) - skipped
    lines.append("")
    read = len(results) - errors - skipped
    summary = ngettext(
        "%(count)d document: %(fresh)d fresh, %(stale)d stale, %(unknown)d unknown; %(errors)d could not be read.",
        "%(count)d documents: %(fresh)d fresh, %(stale)d stale, %(unknown)d unknown; %(errors)d could not be read.",
        read,
    ) % {"count": read, **counts, "errors": errors}
    if skipped:
        summary += " " + ngettext(
            "%(count)d skipped (see the reasons above).", "%(count)d skipped (see the reasons above).", skipped
        ) % {"count": skipped}
    lines.append(summary)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    options = ScanOptions(stale_after=args.stale_after, saving_build=not args.no_build)
    progress = _progress_printer(sys.stderr) if sys.stderr.isatty() else None
    results = scan(args.paths, options, progress=progress)  # type: ignore[arg-type]
    if args.json:
        print(to_json(results))
    elif args.csv:
        sys.stdout.write(to_csv(results))
    else:
        print(table(results))
    return 0
