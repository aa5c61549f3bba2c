"""Mutated and truncated documents: facts or DocumentError, never anything else, never a hang,
never more than a bounded number of bytes read."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qvupload.documents import DocumentError, read_document
from qvupload.documents.container import FALLBACK_SCAN_BYTES
from qvupload.documents.facts import INFO_CAP, SUMMARY_CAP
from qvupload.documents.synthetic import SyntheticDocument, write_document

FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _rchar() -> int:
    with open("/proc/self/io") as fh:
        for line in fh:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    raise AssertionError("no rchar")


def _read(path: Path) -> None:
    try:
        read_document(path, saving_build=True)
    except DocumentError as exc:
        assert str(exc), "errors carry a sentence"


mutations = st.lists(
    st.tuples(st.integers(min_value=1, max_value=4096), st.binary(min_size=1, max_size=16)),
    min_size=1,
    max_size=8,
)


@FUZZ
@given(data=st.data())
def test_mutated_real_documents(samples: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(sorted(samples.glob("*.qv[wf]"))))
    raw = bytearray(source.read_bytes())
    for back, patch in data.draw(mutations):
        pos = max(0, len(raw) - back)  # the footer, directory and items live near the end
        raw[pos : pos + len(patch)] = patch
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(min_value=0, max_value=len(raw)))]
    target = tmp_path_factory.mktemp("fuzz") / source.name
    target.write_bytes(bytes(raw))
    _read(target)


@FUZZ
@given(head=st.binary(max_size=64), cut=st.integers(min_value=0, max_value=4000))
def test_arbitrary_heads_and_cuts(tmp_path_factory: pytest.TempPathFactory, head: bytes, cut: int) -> None:
    folder = tmp_path_factory.mktemp("heads")
    path = write_document(folder / "d.qvw", SyntheticDocument(datetime(2026, 1, 1, tzinfo=UTC)))
    raw = path.read_bytes()
    path.write_bytes(head + raw[len(head) : max(len(head), len(raw) - cut)])
    _read(path)


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux /proc I/O counters")
@FUZZ
@given(mutations)
def test_reads_stay_bounded_on_a_large_damaged_document(
    tmp_path_factory: pytest.TempPathFactory, muts: list[tuple[int, bytes]]
) -> None:
    path = tmp_path_factory.mktemp("big") / "big.qvw"
    write_document(path, SyntheticDocument(datetime(2026, 1, 1, tzinfo=UTC), size=96 * 1024 * 1024))
    with path.open("r+b") as fh:
        for back, patch in muts:
            fh.seek(-back, os.SEEK_END)
            fh.write(patch)
    before = _rchar()
    _read(path)
    read = _rchar() - before
    # at most the fallback window, the two capped XML items and the tiny block 0: never 96 MiB
    assert read <= FALLBACK_SCAN_BYTES + INFO_CAP + SUMMARY_CAP + 64 * 1024, read
