"""The assessment as CSV, one row per document (written beside the HTML report).

Data sources appear as kinds only: connection strings and paths can be confidential.
"""

from __future__ import annotations

import csv
import io

from qvupload.assessment.build import Assessment, DocumentAssessment
from qvupload.assessment.rules import size_bucket
from qvupload.timefmt import iso_local, iso_utc

COLUMNS = (
    "path",
    "name",
    "verdict",
    "route",
    "reasons",
    "error",
    "size",
    "size_bucket",
    "last_reload_utc",
    "last_reload_local",
    "age_days",
    "age_bucket",
    "freshness",
    "section_access",
    "tables",
    "rows",
    "source_kinds",
    "gateway_kinds",
    "over_limits",
    "sessions_90d",
    "users_90d",
    "last_opened",
)


def row(d: DocumentAssessment) -> dict[str, str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    usage = d.usage
    return {
        "path": str(d.path),
        "name": d.name,
        "verdict": d.verdict,
        "route": d.route,
        "reasons": " ".join(d.reasons),
        "error": text(d.error),
        "size": text(d.size if d.error is None else None),
        "size_bucket": size_bucket(d.size) if d.error is None else "",
        "last_reload_utc": text(iso_utc(d.reload_utc)),
        "last_reload_local": text(iso_local(d.reload_local)),
        "age_days": "" if d.age is None else f"{d.age.total_seconds() / 86400:.1f}",
        "age_bucket": d.age_bucket if d.error is None else "",
        "freshness": d.freshness if d.error is None else "",
        "section_access": text(d.section_access),
        "tables": text(d.tables),
        "rows": text(d.rows),
        "source_kinds": ";".join(sorted({s.kind for s in d.sources})),
        "gateway_kinds": ";".join(d.gateway_kinds),
        "over_limits": "; ".join(d.limits),
        "sessions_90d": text(usage.sessions if usage else None),
        "users_90d": text(len(usage.users) if usage else None),
        "last_opened": usage.last_opened.isoformat(sep=" ") if usage and usage.last_opened else "",
    }


def to_csv(assessment: Assessment) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for d in assessment.documents:
        writer.writerow(row(d))
    return buffer.getvalue()
