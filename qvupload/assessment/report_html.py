"""The assessment as one self-contained HTML page: inline CSS and SVG, no scripts, nothing from the
network, every value escaped, and a print layout (A4, repeated table headers, no split rows)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from qvupload.assessment import rules
from qvupload.assessment.build import Assessment, DocumentAssessment
from qvupload.assessment.svg import bar_chart
from qvupload.i18n import _, language, ngettext
from qvupload.localfmt import number
from qvupload.timefmt import format_age, format_utc

ROUTE_COLOURS = ("#2f6f9f", "#4d9a6a", "#c8891d")
VERDICT_COLOURS = ("#4d9a6a", "#c8891d", "#b44b4b")
AGE_COLOURS = ("#2d7a4b", "#4d9a6a", "#8fb35a", "#c8891d", "#c0653a", "#b44b4b", "#999999")
SIZE_COLOURS = ("#2f6f9f",)
CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1d2733; margin: 0; background: #f4f6f8; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #dde3e8;
padding-bottom: 4px; } h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: #5b6875; margin: 0 0 16px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.tile { border: 1px solid #dde3e8; border-radius: 6px; padding: 10px 14px; min-width: 140px; }
.tile b { display: block; font-size: 22px; } .tile span { color: #5b6875; font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; }
.chart .lbl { font-size: 12px; fill: #1d2733; } .chart .val { font-size: 12px; fill: #3b4653; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12.5px; }
th, td { border-bottom: 1px solid #e3e8ec; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f5; } td.num, th.num { text-align: right; white-space: nowrap; }
td .path, span.path { color: #5b6875; word-break: break-all; font-size: 11.5px; }
.v-ready { color: #2d7a4b; font-weight: bold; } .v-review { color: #a36a00; font-weight: bold; }
.v-unreadable { color: #b44b4b; font-weight: bold; }
.note { color: #5b6875; font-size: 12.5px; } .ok { color: #2d7a4b; } .warn { color: #a36a00; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } .charts, .tiles, figure { break-inside: avoid; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _reload(d: DocumentAssessment) -> str:
    if d.reload_kind == "never":
        return e(_("never"))
    if d.reload_utc is not None:
        return e(format_utc(d.reload_utc))
    if d.reload_local is not None:
        return e(_("%(time)s (local)") % {"time": f"{d.reload_local:%Y-%m-%d %H:%M}"})
    return e(_("unknown"))


def _doc_cell(d: DocumentAssessment) -> str:
    return f'{e(d.name)}<div class="path">{e(d.path)}</div>'


def _tile(value: str, label: str) -> str:
    return f'<div class="tile"><b>{e(value)}</b><span>{e(label)}</span></div>'


def _summary(a: Assessment) -> str:
    verdicts = dict(a.verdicts())
    routes = dict(a.routes())
    return (
        '<div class="tiles">'
        + _tile(number(len(a.documents)), ngettext("document found", "documents found", len(a.documents)))
        + _tile(rules.format_size(a.total_size), _("in total"))
        + _tile(number(verdicts["ready"]), _("ready"))
        + _tile(number(verdicts["review"]), _("to review"))
        + _tile(number(verdicts["unreadable"]), _("unreadable"))
        + _tile(
            f"{number(routes['upload'])} / {number(routes['link'])} / {number(routes['rebuild'])}",
            _("upload / link / rebuild"),
        )
        + "</div>"
    )


def _limits(a: Assessment) -> str:
    over = a.over_limits()
    said = _(
        "Qlik Cloud takes QlikView documents up to 1 GB (10 GB with large-app capacity); an app's size in "
        "memory in the default tier is limited to 5 GB. A .qvw is compressed on disk, so its in-memory size is "
        "not in the file: only files already over 5 GB are flagged for it."
    )
    intro = f"<p class=note>{e(said)}</p>"
    if not over:
        return intro + _p(_("No document is over a limit."), "ok")
    rows = [[_doc_cell(d), e(rules.format_size(d.size)), e("; ".join(d.limits)), e(d.route)] for d in over]
    return intro + _table([_("Document"), _("Size"), _("Over the limit for"), _("Route")], rows, {1})


def _section_access(a: Assessment) -> str:
    docs = a.with_section_access()
    if not docs:
        return _p(_("No document has section access."), "ok")
    rows = [[_doc_cell(d), e(d.route), e(d.verdict)] for d in docs]
    text = ngettext(
        "%(count)s document reduces data by user with section access. In Qlik Cloud its rows must name cloud "
        "users; Windows accounts (NTNAME) no longer match.",
        "%(count)s documents reduce data by user with section access. In Qlik Cloud its rows must name cloud "
        "users; Windows accounts (NTNAME) no longer match.",
        len(docs),
    ) % {"count": number(len(docs))}
    return f"<p>{e(text)}</p>" + _table([_("Document"), _("Route"), _("Verdict")], rows)


def _sources(a: Assessment) -> str:
    kinds = a.source_kinds()
    chart = bar_chart(_("Documents by data source kind"), [(_(label), docs) for label, _n, docs, _gw in kinds])
    table = _table(
        [_("Kind"), _("Distinct sources"), _("Documents using them"), _("Out of the cloud's reach")],
        [[e(_(label)), number(n), number(docs), number(gw)] for label, n, docs, gw in kinds],
        {1, 2, 3},
    )
    needing = a.needing_gateway()
    said = ngettext(
        "%(count)s document reads sources on the company network (files, QVDs, ODBC or OLE DB connections, private "
        "web addresses). An uploaded QlikView app is never reloaded in the cloud; rebuilt as a Qlik Sense app it "
        "could reload them only through Qlik Data Gateway (or with the files moved to the cloud). Connection "
        "strings and paths are left out of this report.",
        "%(count)s documents read sources on the company network (files, QVDs, ODBC or OLE DB connections, private "
        "web addresses). An uploaded QlikView app is never reloaded in the cloud; rebuilt as a Qlik Sense app it "
        "could reload them only through Qlik Data Gateway (or with the files moved to the cloud). Connection "
        "strings and paths are left out of this report.",
        len(needing),
    ) % {"count": number(len(needing))}
    text = f"<p>{e(said)}</p>"
    rows = [[_doc_cell(d), e(", ".join(d.gateway_kinds)), e(d.route)] for d in needing]
    listing = _table([_("Document"), _("Needs a gateway for"), _("Route")], rows) if rows else ""
    return f'<div class="charts">{chart}</div>{table}{text}{listing}'


def _labels(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(_(label), n) for label, n in rows]


def _p(text: str, cls: str = "") -> str:
    return f"<p class={cls}>{e(text)}</p>" if cls else f"<p>{e(text)}</p>"


def _usage(a: Assessment) -> str:
    u = a.usage
    if u is None:
        return _p(_("No session logs were given (use --usage-logs with the QlikView Server's log folder)."), "note")
    if u.window_start and u.window_end:
        window = _("%(start)s to %(end)s") % {"start": f"{u.window_start:%Y-%m-%d}", "end": f"{u.window_end:%Y-%m-%d}"}
    else:
        window = _("the last 90 days")
    v = {
        "files": number(len(u.files)),
        "folder": str(u.folder),
        "sessions": number(u.sessions),
        "window": window,
        "first": f"{u.first_session:%Y-%m-%d}" if u.first_session else "",
        "last": f"{u.last_session:%Y-%m-%d}" if u.last_session else "",
    }
    if u.first_session and u.last_session:
        said = ngettext(
            "%(files)s session log file in %(folder)s: %(sessions)s sessions read, from %(first)s to %(last)s; "
            "usage counted over %(window)s (server time).",
            "%(files)s session log files in %(folder)s: %(sessions)s sessions read, from %(first)s to %(last)s; "
            "usage counted over %(window)s (server time).",
            len(u.files),
        )
    else:
        said = ngettext(
            "%(files)s session log file in %(folder)s: %(sessions)s sessions read; usage counted over %(window)s "
            "(server time).",
            "%(files)s session log files in %(folder)s: %(sessions)s sessions read; usage counted over %(window)s "
            "(server time).",
            len(u.files),
        )
    parts = [_p(said % v)]
    if u.malformed:
        examples = "".join(f"<li>{e(x)}</li>" for x in u.examples)
        skipped = ngettext(
            "%(count)s line could not be read and was skipped:",
            "%(count)s lines could not be read and were skipped:",
            u.malformed,
        ) % {"count": number(u.malformed)}
        parts.append(f"{_p(skipped, 'warn')}<ul>{examples}</ul>")
    release = u.release
    if release is not None:
        cls = "ok" if release.april_2019_or_newer else "warn"
        parts.append(_p(release.sentence, cls))
        if len(u.exe_versions) > 1:
            seen = ", ".join(
                ngettext("%(version)s (%(count)s session)", "%(version)s (%(count)s sessions)", n)
                % {"version": ver, "count": number(n)}
                for ver, n in sorted(u.exe_versions.items())
            )
            parts.append(_p(_("Versions seen in the logs: %(versions)s.") % {"versions": seen}, "note"))
    else:
        parts.append(_p(_("The logs name no Exe Version, so the server's release is unknown."), "note"))
    used = sorted(
        (d for d in a.readable if d.usage and d.usage.sessions), key=lambda d: -(d.usage.sessions if d.usage else 0)
    )
    rows = [
        [
            _doc_cell(d),
            number(d.usage.sessions),
            number(len(d.usage.users)),
            e(d.usage.last_opened.strftime("%Y-%m-%d %H:%M") if d.usage.last_opened else ""),
        ]
        for d in used
        if d.usage is not None
    ]
    headers = [_("Document"), _("Sessions (90 days)"), _("Distinct users"), _("Last opened")]
    parts.append(_table(headers, rows, {1, 2}))
    never = a.never_opened()
    heading = _("Not opened in the last 90 days (%(count)s)") % {"count": number(len(never))}
    parts.append(f"<h3>{e(heading)}</h3>")
    if never:
        rows = [
            [
                _doc_cell(d),
                e(d.usage.last_opened.strftime("%Y-%m-%d") if d.usage and d.usage.last_opened else _("never")),
            ]
            for d in never
        ]
        parts.append(_table([_("Document"), _("Last opened")], rows))
    return "".join(parts)


def _unreadable(a: Assessment) -> str:
    bad = a.unreadable
    if not bad:
        return _p(_("Every document could be read."), "ok")
    return _table([_("File"), _("Why")], [[f'<span class="path">{e(d.path)}</span>', e(d.error)] for d in bad])


def _all(a: Assessment) -> str:
    rows = []
    for d in a.documents:
        usage = "" if d.usage is None else number(d.usage.sessions)
        rows.append(
            [
                _doc_cell(d),
                f'<span class="v-{e(d.verdict)}">{e(d.verdict)}</span>',
                e(d.route),
                e(rules.format_size(d.size)) if d.error is None else "",
                _reload(d) if d.error is None else "",
                e(_("yes") if d.section_access else "") if d.error is None else "",
                usage,
                e(" ".join(d.reasons) if d.error is None else d.error),
            ]
        )
    headers = [
        _("Document"),
        _("Verdict"),
        _("Route"),
        _("Size"),
        _("Last reload"),
        _("Section access"),
        _("Sessions"),
        _("Why"),
    ]
    return _table(headers, rows, {3, 6})


def to_html(a: Assessment) -> str:
    stale = format_age(a.stale_after)
    sizes = bar_chart(_("Documents by file size"), _labels(a.size_buckets()), colours=SIZE_COLOURS)
    ages = bar_chart(_("Documents by time since last reload"), _labels(a.age_buckets()), colours=AGE_COLOURS)
    routes = bar_chart(_("Documents by route"), a.routes(), colours=ROUTE_COLOURS)
    verdicts = bar_chart(_("Documents by readiness"), a.verdicts(), colours=VERDICT_COLOURS)
    title = e(_("QlikView migration assessment"))
    made = _("Made by qvupload on %(when)s from %(roots)s. Stale after %(stale)s.") % {
        "when": format_utc(a.generated_utc),
        "roots": ", ".join(a.roots),
        "stale": stale,
    }
    routes_note = _(
        "Upload: a view-only QlikView app in Qlik Cloud, its data frozen at upload. Link: a Qlik Cloud item that "
        "opens the document on the QlikView AccessPoint (it stays on the server). Rebuild: a new Qlik Sense app."
    )
    how_many = ngettext(
        "%(count)s document, %(size)s on disk; the age is the time since the last reload recorded in each file.",
        "%(count)s documents, %(size)s on disk; the age is the time since the last reload recorded in each file.",
        len(a.documents),
    ) % {"count": number(len(a.documents)), "size": rules.format_size(a.total_size)}
    lang = language().split("_")[0] if language() != "pseudo" else "en"
    h = {
        "routes": e(_("Routes and readiness")),
        "many": e(_("How many, how big and how fresh")),
        "limits": e(_("Over Qlik Cloud's limits")),
        "access": e(_("Section access")),
        "sources": e(_("Data sources")),
        "usage": e(_("Usage on the QlikView Server")),
        "unreadable": e(_("Documents that could not be read")),
        "every": e(_("Every document")),
    }
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{CSS}</style></head>
<body><main>
<h1>{title}</h1>
<p class="meta">{e(made)}</p>
{_summary(a)}
<section><h2>{h["routes"]}</h2>
{_p(routes_note, "note")}
<div class="charts">{routes}{verdicts}</div></section>
<section><h2>{h["many"]}</h2>
{_p(how_many)}<div class="charts">{sizes}{ages}</div></section>
<section><h2>{h["limits"]}</h2>{_limits(a)}</section>
<section><h2>{h["access"]}</h2>{_section_access(a)}</section>
<section><h2>{h["sources"]}</h2>{_sources(a)}</section>
<section><h2>{h["usage"]}</h2>{_usage(a)}</section>
<section><h2>{h["unreadable"]}</h2>{_unreadable(a)}</section>
<section><h2>{h["every"]}</h2>{_all(a)}</section>
</main></body></html>
"""
