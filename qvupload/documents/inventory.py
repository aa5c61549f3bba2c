"""Scan results as rows for JSON and CSV: the migration inventory.

Data sources are included because an inventory needs them, but passwords in connection strings
are masked first; the rows never leave the machine unless the user sends the file somewhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

from qvupload.documents.scan import ScanResult
from qvupload.timefmt import iso_local, iso_utc

_SECRET = re.compile(r"(?i)\b(pwd|password|passwd|secret|token|apikey|api_key)\s*=\s*(\"[^\"]*\"|[^;]*)")

COLUMNS = (
    "path",
    "error",
    "last_reload_utc",
    "last_reload_local",
    "reload_time_kind",
    "freshness",
    "reason",
    "evidence",
    "has_section_access",
    "tables",
    "rows",
    "size",
    "container",
    "saving_build",
    "window_title",
    "data_age_bound_utc",
    "data_sources",
)


def redact_source(source: str) -> str:
    """A lineage entry with any password-like value masked."""
    return _SECRET.sub(lambda m: f"{m.group(1)}=***", source)


def result_row(result: ScanResult) -> dict[str, Any]:
    """One JSON-ready object per scanned file, with every key of COLUMNS present."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row["path"] = str(result.path)
    row["error"] = result.error
    row["data_sources"] = []
    if result.skipped:
        row["freshness"] = "skipped"  # left out on purpose (a second link, a loop); ``error`` says why
    facts, fresh = result.facts, result.freshness
    if facts is not None:
        row.update(
            last_reload_utc=iso_utc(facts.last_reload_utc),
            last_reload_local=iso_local(facts.last_reload_local),
            reload_time_kind=facts.reload_time_kind,
            has_section_access=facts.has_section_access,
            tables=facts.tables,
            rows=facts.rows,
            size=facts.size,
            container=facts.container,
            saving_build=facts.saving_build,
            window_title=facts.window_title,
            data_sources=[redact_source(s) for s in facts.data_sources],
        )
    if fresh is not None:
        row.update(
            freshness=fresh.verdict,
            reason=fresh.reason,
            evidence=fresh.state,
            data_age_bound_utc=iso_utc(fresh.data_age_bound_utc),
        )
    return row


def to_json(results: Iterable[ScanResult]) -> str:
    return json.dumps([result_row(r) for r in results], indent=2, ensure_ascii=False)


def to_csv(results: Iterable[ScanResult]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        row = result_row(result)
        row["data_sources"] = " | ".join(row["data_sources"])
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()
