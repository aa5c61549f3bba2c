"""The assessment report from 10,000 synthetic documents (1 MB to 2 GB, sparse files) and a session
log of 200,000 lines, timed: scan and decisions, HTML and CSV, and the log reading rate.

Target (issue 14): the whole report from 10,000 documents in under 10 seconds on the 2-core
reference machine (warm cache). The log rate has no target; it is printed to show logs of
gigabytes are read at a steady rate in constant memory.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.assessment import build_assessment
from qvupload.assessment.files import write_reports
from qvupload.assessment.usage import read_usage
from qvupload.documents.scan import ScanOptions, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.unit.sessionlogs import Session, write_log

COUNT = int(os.environ.get("QVUPLOAD_BENCH_DOCS", "10000"))
LOG_LINES = int(os.environ.get("QVUPLOAD_BENCH_LOG_LINES", "200000"))
TARGET_SECONDS = 10.0
NOW = datetime(2026, 11, 30, tzinfo=UTC)
SOURCES = ["INLINE", "ODBC;DSN=Sales", "OLEDB;Provider=SQLOLEDB.1", "\\\\fs01\\qvd\\Orders.qvd", "https://x.org/a.csv"]

pytestmark = pytest.mark.perf


def build_corpus(root: Path) -> list[Path]:
    rng = random.Random(14)
    paths = []
    for i in range(COUNT):
        folder = root / f"dept{i % 100:02}"
        folder.mkdir(exist_ok=True)
        spec = SyntheticDocument(
            None if rng.random() < 0.02 else NOW - timedelta(hours=rng.randint(1, 5 * 8760)),
            section_access=rng.random() < 0.05,
            tables=[(f"T{j}", rng.randint(0, 10**6)) for j in range(rng.randint(1, 8))],
            lineage=rng.sample(SOURCES, rng.randint(0, 3)),
            size=rng.choice([1, 5, 50, 300, 1200, 2048]) * 1024 * 1024,
        )
        paths.append(write_document(folder / f"Report {i:05}.qvw", spec))
    return paths


def test_assessment_of_10000_documents(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("corpus")
    logs = tmp_path_factory.mktemp("logs")
    out = tmp_path_factory.mktemp("out")
    t0 = time.perf_counter()
    paths = build_corpus(root)
    rng = random.Random(5)
    local_now = NOW.replace(tzinfo=None)
    sessions = [
        Session(
            f"C:\\QV\\{p.parent.name}\\{p.name}", local_now - timedelta(minutes=rng.randint(1, 200 * 1440)), f"u{n}"
        )
        for p, n in ((rng.choice(paths), rng.randint(1, 800)) for _ in range(LOG_LINES))
    ]
    log = write_log(logs / "Sessions_QVS01.log", sessions)
    built = time.perf_counter() - t0
    scan([root], ScanOptions(now=NOW))  # warm the cache

    start = time.perf_counter()
    assessment = build_assessment([root], now=NOW)
    assessed = time.perf_counter() - start
    html, table = write_reports(assessment, out / "report.html")
    total = time.perf_counter() - start

    start = time.perf_counter()
    usage = read_usage(logs, now=local_now)
    log_seconds = time.perf_counter() - start
    assert usage.sessions == LOG_LINES and usage.malformed == 0
    with_usage = build_assessment([root], usage_logs=logs, now=NOW, usage_now=local_now)
    assert len(assessment.documents) == COUNT and not assessment.unreadable
    assert sum(d.usage.sessions_all for d in with_usage.documents if d.usage) == LOG_LINES
    mb = log.stat().st_size / 1024**2
    print(
        f"\nassess: {COUNT} documents (1 MB-2 GB, sparse) and a {LOG_LINES:,}-line session log built in "
        f"{built:.1f} s, {os.cpu_count()} cores (shared machine: rough figures)\n"
        f"  scan and decisions {assessed:8.2f} s\n"
        f"  with HTML and CSV  {total:8.2f} s  (HTML {html.stat().st_size / 1024**2:.1f} MB, "
        f"CSV {table.stat().st_size / 1024**2:.1f} MB)\n"
        f"  session log        {LOG_LINES / log_seconds:8,.0f} lines/s ({mb / log_seconds:.1f} MB/s, {mb:.0f} MB)\n"
        f"  target             {TARGET_SECONDS:8.2f} s for the report"
    )
    assert total < TARGET_SECONDS, f"the report took {total:.1f} s, over the {TARGET_SECONDS:.0f} s target"
