"""Reads the expected values out of ../shared/samples/qvw/MANIFEST.md (its markdown tables)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Expected:
    file: str
    sha256: str
    size: int
    local: str
    utc: str
    section_access: bool
    tables: int
    rows: int
    generate_logfile: bool
    saving_build: int | None


def _tables(text: str) -> list[list[dict[str, str]]]:
    tables: list[list[dict[str, str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and set(lines[i + 1].replace("|", "").strip()) <= set("-: "):
            header = [c.strip() for c in lines[i].strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                rows.append(dict(zip(header, cells, strict=False)))
                i += 1
            tables.append(rows)
        else:
            i += 1
    return tables


def _unquote(cell: str) -> str:
    return cell.strip().strip("`")


def load(manifest: Path) -> list[Expected]:
    files, metadata = _tables(manifest.read_text(encoding="utf-8"))[:2]
    provenance = {_unquote(r["file"]): r for r in files}
    expected = []
    for row in metadata:
        name = _unquote(row["file"])
        tables, rows = (int(x) for x in row["tables (non-system) / total rows"].split("/"))
        build = row["saving build (heuristic)"].strip()
        expected.append(
            Expected(
                file=name,
                sha256=_unquote(provenance[name]["sha256"]),
                size=int(provenance[name]["bytes"]),
                local=row["LastReloadTimeISO (local)"],
                utc=row["UtcLastReloadTimeISO"],
                section_access=row["HasSectionAccess"] == "true",
                tables=tables,
                rows=rows,
                generate_logfile=row["GenerateLogfile"] == "true",
                saving_build=int(build) if build.isdigit() else None,
            )
        )
    return expected
