"""Writing the report: the HTML file and the CSV beside it (same name, ``.csv``), each atomically."""

from __future__ import annotations

from pathlib import Path

from qvupload.assessment.build import Assessment
from qvupload.assessment.report_csv import to_csv
from qvupload.assessment.report_html import to_html
from qvupload.i18n import _, ngettext
from qvupload.localfmt import number
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
    count = len(a.documents)
    lines = [
        ngettext(
            "%(count)s document: %(ready)s ready, %(review)s to review, %(unreadable)s unreadable.",
            "%(count)s documents: %(ready)s ready, %(review)s to review, %(unreadable)s unreadable.",
            count,
        )
        % {
            "count": number(count),
            "ready": number(verdicts["ready"]),
            "review": number(verdicts["review"]),
            "unreadable": number(verdicts["unreadable"]),
        },
        _(
            "Routes: %(upload)s upload, %(link)s link, %(rebuild)s rebuild; %(over)s over Qlik Cloud's limits, "
            "%(access)s with section access, %(gateway)s reading sources the cloud cannot reach."
        )
        % {
            "upload": number(routes["upload"]),
            "link": number(routes["link"]),
            "rebuild": number(routes["rebuild"]),
            "over": number(len(a.over_limits())),
            "access": number(len(a.with_section_access())),
            "gateway": number(len(a.needing_gateway())),
        },
    ]
    u = a.usage
    if u is not None:
        lines.append(
            _(
                "Usage: %(sessions)s sessions in %(files)s log file(s), %(malformed)s malformed line(s) skipped; "
                "%(never)s document(s) not opened in the last 90 days."
            )
            % {
                "sessions": number(u.sessions),
                "files": number(len(u.files)),
                "malformed": number(u.malformed),
                "never": number(len(a.never_opened())),
            }
        )
        if u.release is not None:
            lines.append(u.release.sentence)
    return lines
