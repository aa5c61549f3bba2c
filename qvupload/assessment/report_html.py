"""The assessment as one self-contained HTML page: inline CSS and SVG, no scripts, nothing from the
network, every value escaped, and a print layout (A4, repeated table headers, no split rows)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from qvupload.assessment import rules
from qvupload.assessment.build import Assessment, DocumentAssessment
from qvupload.assessment.svg import bar_chart
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
        return "never"
    if d.reload_utc is not None:
        return e(format_utc(d.reload_utc))
    if d.reload_local is not None:
        return e(f"{d.reload_local:%Y-%m-%d %H:%M} (local)")
    return "unknown"


def _doc_cell(d: DocumentAssessment) -> str:
    return f'{e(d.name)}<div class="path">{e(d.path)}</div>'


def _tile(value: str, label: str) -> str:
    return f'<div class="tile"><b>{e(value)}</b><span>{e(label)}</span></div>'


def _summary(a: Assessment) -> str:
    verdicts = dict(a.verdicts())
    routes = dict(a.routes())
    return (
        '<div class="tiles">'
        + _tile(f"{len(a.documents):,}", "documents found")
        + _tile(rules.format_size(a.total_size), "in total")
        + _tile(f"{verdicts['ready']:,}", "ready")
        + _tile(f"{verdicts['review']:,}", "to review")
        + _tile(f"{verdicts['unreadable']:,}", "unreadable")
        + _tile(f"{routes['upload']:,} / {routes['link']:,} / {routes['rebuild']:,}", "upload / link / rebuild")
        + "</div>"
    )


def _limits(a: Assessment) -> str:
    over = a.over_limits()
    intro = (
        "<p class=note>Qlik Cloud takes QlikView documents up to 1 GB (10 GB with large-app capacity); an app's size "
        "in memory in the default tier is limited to 5 GB. A .qvw is compressed on disk, so its in-memory size is not "
        "in the file: only files already over 5 GB are flagged for it.</p>"
    )
    if not over:
        return intro + "<p class=ok>No document is over a limit.</p>"
    rows = [[_doc_cell(d), e(rules.format_size(d.size)), e("; ".join(d.limits)), e(d.route)] for d in over]
    return intro + _table(["Document", "Size", "Over the limit for", "Route"], rows, {1})


def _section_access(a: Assessment) -> str:
    docs = a.with_section_access()
    if not docs:
        return "<p class=ok>No document has section access.</p>"
    rows = [[_doc_cell(d), e(d.route), e(d.verdict)] for d in docs]
    return (
        f"<p>{len(docs):,} document(s) reduce data by user with section access. In Qlik Cloud its rows must name "
        "cloud users; Windows accounts (NTNAME) no longer match.</p>" + _table(["Document", "Route", "Verdict"], rows)
    )


def _sources(a: Assessment) -> str:
    kinds = a.source_kinds()
    chart = bar_chart("Documents by data source kind", [(label, docs) for label, _, docs, _ in kinds])
    table = _table(
        ["Kind", "Distinct sources", "Documents using them", "Out of the cloud's reach"],
        [[e(label), f"{n:,}", f"{docs:,}", f"{gw:,}"] for label, n, docs, gw in kinds],
        {1, 2, 3},
    )
    needing = a.needing_gateway()
    text = (
        f"<p>{len(needing):,} document(s) read sources on the company network (files, QVDs, ODBC or OLE DB "
        "connections, private web addresses). An uploaded QlikView app is never reloaded in the cloud; rebuilt as a "
        "Qlik Sense app it could reload them only through Qlik Data Gateway (or with the files moved to the cloud). "
        "Connection strings and paths are left out of this report.</p>"
    )
    rows = [[_doc_cell(d), e(", ".join(d.gateway_kinds)), e(d.route)] for d in needing]
    listing = _table(["Document", "Needs a gateway for", "Route"], rows) if rows else ""
    return f'<div class="charts">{chart}</div>{table}{text}{listing}'


def _usage(a: Assessment) -> str:
    u = a.usage
    if u is None:
        return "<p class=note>No session logs were given (use --usage-logs with the QlikView Server's log folder).</p>"
    window = (
        f"{u.window_start:%Y-%m-%d} to {u.window_end:%Y-%m-%d}"
        if u.window_start and u.window_end
        else "the last 90 days"
    )
    span = ""
    if u.first_session and u.last_session:
        span = f", from {u.first_session:%Y-%m-%d} to {u.last_session:%Y-%m-%d}"
    parts = [
        f"<p>{len(u.files):,} session log file(s) in {e(u.folder)}: {u.sessions:,} sessions read{span}"
        f"; usage counted over {e(window)} (server time).</p>"
    ]
    if u.malformed:
        examples = "".join(f"<li>{e(x)}</li>" for x in u.examples)
        parts.append(
            f"<p class=warn>{u.malformed:,} line(s) could not be read and were skipped:</p><ul>{examples}</ul>"
        )
    release = u.release
    if release is not None:
        cls = "ok" if release.april_2019_or_newer else "warn"
        parts.append(f"<p class={cls}>{e(release.sentence)}</p>")
        if len(u.exe_versions) > 1:
            seen = ", ".join(f"{v} ({n:,} sessions)" for v, n in sorted(u.exe_versions.items()))
            parts.append(f"<p class=note>Versions seen in the logs: {e(seen)}.</p>")
    else:
        parts.append("<p class=note>The logs name no Exe Version, so the server's release is unknown.</p>")
    used = sorted(
        (d for d in a.readable if d.usage and d.usage.sessions), key=lambda d: -(d.usage.sessions if d.usage else 0)
    )
    rows = [
        [
            _doc_cell(d),
            f"{d.usage.sessions:,}",
            f"{len(d.usage.users):,}",
            e(d.usage.last_opened.strftime("%Y-%m-%d %H:%M") if d.usage.last_opened else ""),
        ]
        for d in used
        if d.usage is not None
    ]
    parts.append(_table(["Document", "Sessions (90 days)", "Distinct users", "Last opened"], rows, {1, 2}))
    never = a.never_opened()
    parts.append(f"<h3>Not opened in the last 90 days ({len(never):,})</h3>")
    if never:
        rows = [
            [_doc_cell(d), e(d.usage.last_opened.strftime("%Y-%m-%d") if d.usage and d.usage.last_opened else "never")]
            for d in never
        ]
        parts.append(_table(["Document", "Last opened"], rows))
    return "".join(parts)


def _unreadable(a: Assessment) -> str:
    bad = a.unreadable
    if not bad:
        return "<p class=ok>Every document could be read.</p>"
    return _table(["File", "Why"], [[f'<span class="path">{e(d.path)}</span>', e(d.error)] for d in bad])


def _all(a: Assessment) -> str:
    rows = []
    for d in a.documents:
        usage = "" if d.usage is None else f"{d.usage.sessions:,}"
        rows.append(
            [
                _doc_cell(d),
                f'<span class="v-{e(d.verdict)}">{e(d.verdict)}</span>',
                e(d.route),
                e(rules.format_size(d.size)) if d.error is None else "",
                _reload(d) if d.error is None else "",
                e("yes" if d.section_access else "") if d.error is None else "",
                usage,
                e(" ".join(d.reasons) if d.error is None else d.error),
            ]
        )
    return _table(
        ["Document", "Verdict", "Route", "Size", "Last reload", "Section access", "Sessions", "Why"], rows, {3, 6}
    )


def to_html(a: Assessment) -> str:
    stale = format_age(a.stale_after)
    sizes = bar_chart("Documents by file size", a.size_buckets(), colours=SIZE_COLOURS)
    ages = bar_chart("Documents by time since last reload", a.age_buckets(), colours=AGE_COLOURS)
    routes = bar_chart("Documents by route", a.routes(), colours=ROUTE_COLOURS)
    verdicts = bar_chart("Documents by readiness", a.verdicts(), colours=VERDICT_COLOURS)
    roots = ", ".join(a.roots)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>QlikView migration assessment</title><style>{CSS}</style></head>
<body><main>
<h1>QlikView migration assessment</h1>
<p class="meta">Made by qvupload on {e(format_utc(a.generated_utc))} from {e(roots)}. Stale after {e(stale)}.</p>
{_summary(a)}
<section><h2>Routes and readiness</h2>
<p class=note>Upload: a view-only QlikView app in Qlik Cloud, its data frozen at upload. Link: a Qlik Cloud item that
opens the document on the QlikView AccessPoint (it stays on the server). Rebuild: a new Qlik Sense app.</p>
<div class="charts">{routes}{verdicts}</div></section>
<section><h2>How many, how big and how fresh</h2>
<p>{len(a.documents):,} documents, {e(rules.format_size(a.total_size))} on disk; the age is the time since the last
reload recorded in each file.</p><div class="charts">{sizes}{ages}</div></section>
<section><h2>Over Qlik Cloud's limits</h2>{_limits(a)}</section>
<section><h2>Section access</h2>{_section_access(a)}</section>
<section><h2>Data sources</h2>{_sources(a)}</section>
<section><h2>Usage on the QlikView Server</h2>{_usage(a)}</section>
<section><h2>Documents that could not be read</h2>{_unreadable(a)}</section>
<section><h2>Every document</h2>{_all(a)}</section>
</main></body></html>
"""
