"""The demo documents ``qvupload demo`` works with: one of each kind a business user meets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents.synthetic import SyntheticDocument, write_document


def write_demo_documents(folder: Path, now: datetime | None = None) -> list[Path]:
    """Write the demo set into ``folder`` (created if needed) and return the paths."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    folder.mkdir(parents=True, exist_ok=True)
    hour = timedelta(hours=1)
    specs = {
        "Sales Overview.qvw": SyntheticDocument(
            now - 5 * hour,
            now - 4 * hour,
            window_title="Sales Overview",
            tables=[("Orders", 120_000), ("Customers", 4_200)],
            size=3 * 1024 * 1024,
        ),
        "Finance Monthly.qvw": SyntheticDocument(
            now - timedelta(days=41),
            now - timedelta(days=41) + hour,
            window_title="Finance Monthly",
            tables=[("Ledger", 880_000)],
            size=5 * 1024 * 1024,
        ),
        "HR Headcount (secured).qvw": SyntheticDocument(
            now - timedelta(days=2),
            now - timedelta(days=2) + hour,
            section_access=True,
            tables=[("Employees", 1_250), ("Access", 12)],
            size=2 * 1024 * 1024,
        ),
        "Template (never reloaded).qvw": SyntheticDocument(None, tables=[("Calendar", 0)]),
    }
    paths = [write_document(folder / name, spec) for name, spec in specs.items()]
    bogus = folder / "Notes.qvw"
    bogus.write_text("These are meeting notes saved with the wrong extension.\n", encoding="utf-8")
    paths.append(bogus)
    return paths
