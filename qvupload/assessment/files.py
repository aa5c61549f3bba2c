"""Writing the report: the HTML file and the CSV beside it (same name, ``.csv``), each atomically."""

from __future__ import annotations

from pathlib import Path

from qvupload.assessment.build import Assessment
from qvupload.assessment.report_csv import to_csv
from qvupload.assessment.report_html import to_html
from qvupload.i18n import _
from qvupload.paths import write_atomically


class ReportError(ValueError):
    """The report cannot be written; ``str()`` says why."""


def csv_beside(html: Path) -> Path:
    return html.with_suffix(".csv")


def write_reports(assessment: Assessment, html: Path) -> tuple[Path, Path]:
    if html.suffix.lower() not in (".html", ".htm"):
        raise ReportError(_("The report %(html)s should end in .html (a CSV is written beside it).") % {"html": html})
    table = csv_beside(html)
    try:
        write_atomically(html, to_html(assessment))
        write_atomically(table, to_csv(assessment))
    except OSError as exc:
        raise ReportError(
            _("The report could not be written to %(parent)s (%(value)s).")
            % {"parent": html.parent, "value": exc.strerror or exc}
        ) from exc
    return html, table


def summary_lines(a: Assessment) -> list[str]:
    """What the command line prints (and the window shows) when the report is written."""
    verdicts, routes = dict(a.verdicts()), dict(a.routes())
    lines = [
        f"{len(a.documents):,} documents: {verdicts['ready']:,} ready, {verdicts['review']:,} to review, "
        f"{verdicts['unreadable']:,} unreadable.",
        f"Routes: {routes['upload']:,} upload, {routes['link']:,} link, {routes['rebuild']:,} rebuild; "
        f"{len(a.over_limits()):,} over Qlik Cloud's limits, {len(a.with_section_access()):,} with section access, "
        f"{len(a.needing_gateway()):,} reading sources the cloud cannot reach.",
    ]
    u = a.usage
    if u is not None:
        lines.append(
            f"Usage: {u.sessions:,} sessions in {len(u.files):,} log file(s), {u.malformed:,} malformed line(s) "
            f"skipped; {len(a.never_opened()):,} document(s) not opened in the last 90 days."
        )
        if u.release is not None:
            lines.append(u.release.sentence)
    return lines
