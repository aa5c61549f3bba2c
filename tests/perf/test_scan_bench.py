"""Scanning 10,000 synthetic documents of 1 MB to 200 MB (sparse files).

Prints documents per second for qvupload's scan and for a naive reader that reads each file
whole (measured in the same run, on a subset, since it reads every byte), their ratio, and
the bytes read per document from the process's own I/O counters (/proc/self/io rchar).

Targets (issue 2): at most 64 KiB plus the XML item sizes read per document; at least 3,000
documents per second with a warm cache on the 2-core reference machine. Issue 16 asks for 7,000
with the default; that figure is printed, not asserted, until this machine shows it when idle.
The load average is printed as well: on a shared machine the figures move with it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents.scan import MAX_WORKERS, ScanOptions, ScanResult, scan
from qvupload.documents.synthetic import (
    SyntheticDocument,
    document_info_xml,
    document_summary_xml,
    write_document,
)

COUNT = int(os.environ.get("QVUPLOAD_BENCH_DOCS", "10000"))
NAIVE_SUBSET = 20
RUNS = 3  # scans timed per mode; the best counts
TARGET_RATE = 3000.0
GOAL_RATE = 7000.0  # issue 16; printed, not asserted (see above)
PER_DOC_BUDGET = 64 * 1024

pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux /proc I/O counters"),
]


def rchar() -> int:
    with open("/proc/self/io") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("rchar:"))


def build_corpus(root: Path) -> tuple[list[Path], int]:
    rng = random.Random(20261127)
    now = datetime(2026, 11, 27, tzinfo=UTC)
    paths, xml_total = [], 0
    for i in range(COUNT):
        folder = root / f"dept{i % 100:02}"
        folder.mkdir(exist_ok=True)
        spec = SyntheticDocument(
            now - timedelta(hours=rng.randint(1, 2000)),
            tables=[(f"T{j}", rng.randint(0, 10**6)) for j in range(rng.randint(1, 12))],
            size=rng.randint(1, 200) * 1024 * 1024,
        )
        xml_total += len(document_info_xml(spec)) + len(document_summary_xml(spec))
        paths.append(write_document(folder / f"Report {i:05}.qvw", spec))
    return paths, xml_total


def naive_rate(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        with path.open("rb") as fh:
            while fh.read(8 * 1024 * 1024):
                pass
    return len(paths) / (time.perf_counter() - start)


def timed_scan(root: Path, options: ScanOptions) -> tuple[float, list[ScanResult]]:
    start = time.perf_counter()
    results = scan([root], options)
    return COUNT / (time.perf_counter() - start), results


def best_of(root: Path, options: ScanOptions, runs: int = RUNS) -> tuple[list[float], list[ScanResult]]:
    """Rates of ``runs`` scans (the machine is shared: the best is what the code does when it gets
    the cores) and the results of the last."""
    rates: list[float] = []
    results: list[ScanResult] = []
    for _ in range(runs):
        results = []  # dropped before the next scan: each is timed alone, not beside the last's results
        rate, results = timed_scan(root, options)
        rates.append(rate)
    return rates, results


INDEPENDENT = """
import sys, time
from qvupload.documents.scan import ScanOptions, scan
best = 0.0
for _ in range(2):
    start = time.perf_counter()
    count = len(scan([sys.argv[1]], ScanOptions(workers=1)))
    best = max(best, count / (time.perf_counter() - start))
print(best)
"""


def independent_rate(root: Path, processes: int) -> float:
    """The reference for the default scan, measured here and now: ``processes`` one-process scans
    of the same folder at the same time, each its own program, nothing shared or handed over.
    Their summed rate is what that many processes give with no coordination at all (on a VM
    whose cores slow each other down, well under that many times one process)."""
    runs = [
        subprocess.Popen([sys.executable, "-c", INDEPENDENT, str(root)], stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    return sum(float(run.communicate()[0]) for run in runs)


def test_scan_10000_documents(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("corpus")
    t0 = time.perf_counter()
    paths, xml_total = build_corpus(root)
    built = time.perf_counter() - t0
    single = ScanOptions(workers=1)
    scan([root], single)  # warm the cache
    # bytes: measured in one process, where /proc/self/io sees every read
    before = rchar()
    rate_single, results = timed_scan(root, single)
    read = rchar() - before
    assert len(results) == COUNT and all(r.ok for r in results)
    order = [r.path for r in results]
    largest = max(r.facts.bytes_read for r in results if r.facts)
    del results
    singles, _ = best_of(root, single, RUNS - 1)
    rate_single = max(rate_single, *singles)
    rates, parallel_results = best_of(root, ScanOptions())  # the default: worker processes when large
    rate = max(rates)
    assert [r.path for r in parallel_results] == order
    del parallel_results
    rate_build = max(best_of(root, ScanOptions(saving_build=True))[0])
    processes = min(MAX_WORKERS, os.cpu_count() or 1)  # as many as the default scan uses
    independent = independent_rate(root, processes)
    naive = naive_rate(paths[:NAIVE_SUBSET])
    per_doc = read / COUNT
    budget = PER_DOC_BUDGET + xml_total / COUNT
    print(
        f"\nscan: {COUNT} documents (1-200 MB, sparse) built in {built:.1f} s, {os.cpu_count()} cores\n"
        f"  qvupload scan      {rate:10,.0f} documents/s (warm cache, default: worker processes; best of {RUNS}:"
        f" {', '.join(f'{r:,.0f}' for r in rates)})\n"
        f"  one process        {rate_single:10,.0f} documents/s\n"
        f"  {processes} alone at once    {independent:10,.0f} documents/s (summed: {processes} one-process scans,"
        f" separate programs, at the same time; best of 2 each)\n"
        f"  default / alone    {rate / independent:10.2f} (what the hand-over between processes keeps)\n"
        f"  with saving build  {rate_build:10,.0f} documents/s\n"
        f"  naive whole-file   {naive:10,.1f} documents/s (on {NAIVE_SUBSET} of them)\n"
        f"  ratio              {rate / naive:10,.0f} x (qvupload scan / naive)\n"
        f"  bytes read         {per_doc:10,.0f} per document (rchar, one process)\n"
        f"  budget             {budget:10,.0f} per document (64 KiB + XML items)\n"
        f"  most for one doc   {largest:10,} bytes (the reader's own count)\n"
        f"  target             {TARGET_RATE:10,.0f} documents/s (asserted); goal {GOAL_RATE:,.0f} (issue 16)\n"
        f"  load average       {os.getloadavg()[0]:10.2f} (1 minute; other programs share these cores)"
    )
    assert per_doc <= budget
    assert rate >= TARGET_RATE, f"{rate:.0f} documents/s is below the {TARGET_RATE:.0f} target"
