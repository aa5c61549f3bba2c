"""The straight-through read (quick.py) gives exactly the facts of the general path, or declines.

Every case is read both ways: ``read_quick`` must return the general path's facts (bytes and read
counts included) or None, never something else; where it declines, ``read_document`` still gives
the general path's facts or its sentence.
"""

from __future__ import annotations

import os
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents import DocumentError, read_document
from qvupload.documents.container import LOCAL_TAIL_WINDOW, TAIL_WINDOW
from qvupload.documents.facts import read_through_container
from qvupload.documents.quick import read_quick
from qvupload.documents.synthetic import SyntheticDocument, write_document

RELOAD = datetime(2026, 11, 20, 6, 30, 5, tzinfo=UTC)
MB = 1024 * 1024


def both(path: Path, window: int, build: bool) -> tuple[object, object]:
    """(quick, general): each facts or the error sentence."""
    try:
        general: object = read_through_container(path, build, window)
    except DocumentError as exc:
        general = str(exc)
    return read_quick(path, window, build), general


def variants(tmp_path: Path) -> dict[str, Path]:
    docs = {
        "plain": SyntheticDocument(RELOAD, tables=[("Sales", 10), ("Costs", 20)], size=4 * MB),
        "titled": SyntheticDocument(RELOAD, window_title="Sales & <Costs>", size=2 * MB, section_access=True),
        "lineage": SyntheticDocument(RELOAD, lineage=["[a.qvd] (qvd)", "STORE - [b.qvd]", "[a.qvd] (qvd)"], size=MB),
        "local only": SyntheticDocument(None, RELOAD.replace(tzinfo=None), local_only=True, size=MB),
        "never": SyntheticDocument(None, size=MB),
        "qvf": SyntheticDocument(RELOAD, container="qvf", size=MB),
        "logfile": SyntheticDocument(RELOAD, generate_logfile=True, build=12018, size=MB),
        "many tables": SyntheticDocument(RELOAD, tables=[(f"T{i}", i) for i in range(60)], size=MB),
        "big summary": SyntheticDocument(RELOAD, padding_items=3 * LOCAL_TAIL_WINDOW, size=MB),
        "small": SyntheticDocument(RELOAD),
        "just larger": SyntheticDocument(RELOAD, size=4096 + TAIL_WINDOW + 256),
    }
    return {name: write_document(tmp_path / f"{name}.qvw", spec) for name, spec in docs.items()}


def test_quick_read_gives_the_general_facts_or_declines(tmp_path: Path) -> None:
    paths = variants(tmp_path)
    taken = set()
    for name, path in paths.items():
        for window in (TAIL_WINDOW, LOCAL_TAIL_WINDOW):
            for build in (False, True):
                quick, general = both(path, window, build)
                assert quick is None or quick == general, (name, window, build)
                assert read_document(path, saving_build=build, tail_window=window) == general
                if quick is not None:
                    taken.add(name)
    # the common shapes are read straight through (a small file too); an item past the tail is not
    assert taken == set(paths)
    assert both(paths["big summary"], LOCAL_TAIL_WINDOW, False)[0] is None


def damage(path: Path, offset_from_end: int, data: bytes) -> Path:
    with open(path, "r+b") as fh:
        fh.seek(os.path.getsize(path) - offset_from_end)
        fh.write(data)
    return path


@pytest.mark.parametrize(
    "how",
    ["trailer", "directory length", "directory offset", "item past end", "info xml", "summary xml", "header"],
)
def test_damaged_documents_leave_the_quick_read_to_the_general_path(tmp_path: Path, how: str) -> None:
    path = write_document(tmp_path / "d.qvw", SyntheticDocument(RELOAD, tables=[("Sales", 10)], size=MB))
    data = path.read_bytes()
    directory = struct.unpack_from("<Q", data, len(data) - 256 + 16)[0]
    info_at = struct.unpack_from("<Q", data, directory + 224)[0]
    summary_at = struct.unpack_from("<Q", data, directory + 256 + 224)[0]
    end = len(data)
    if how == "trailer":
        damage(path, 4, b"EXEY")
    elif how == "directory length":
        damage(path, 256 - 24, struct.pack("<Q", 100))
    elif how == "directory offset":
        damage(path, 256 - 16, struct.pack("<Q", end))
    elif how == "item past end":
        damage(path, end - directory - 224, struct.pack("<Q", end))
    elif how == "info xml":
        damage(path, end - info_at - 10, b"<<<")
    elif how == "summary xml":
        damage(path, end - summary_at - 10, b"<<<")
    else:
        with open(path, "r+b") as fh:
            fh.write(b"PK\x03\x04")
    for window in (TAIL_WINDOW, LOCAL_TAIL_WINDOW):
        quick, general = both(path, window, True)
        assert quick is None or quick == general
        if how in ("trailer", "directory length", "directory offset", "item past end", "info xml", "header"):
            assert quick is None
        try:
            got: object = read_document(path, saving_build=True, tail_window=window)
        except DocumentError as exc:
            got = str(exc)
        assert got == general


def test_a_document_saved_during_the_read_is_left_to_the_general_path(tmp_path: Path) -> None:
    """The second fstat differs from the first: the quick read gives nothing, never a mixed result."""
    path = write_document(tmp_path / "d.qvw", SyntheticDocument(RELOAD, size=MB))
    stamp = os.stat(path).st_mtime_ns
    real_fstat = os.fstat
    calls = []

    def fstat(fd: int) -> os.stat_result:
        calls.append(fd)
        if len(calls) == 2:  # between the reads and the check, another program saves it
            os.utime(path, ns=(stamp, stamp + int(timedelta(seconds=5).total_seconds() * 1e9)))
        return real_fstat(fd)

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "fstat", fstat)
    try:
        assert read_quick(path, LOCAL_TAIL_WINDOW, False) is None
    finally:
        mp.undo()
    assert read_quick(path, LOCAL_TAIL_WINDOW, False) == read_through_container(path, False, LOCAL_TAIL_WINDOW)
