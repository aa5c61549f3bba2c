"""A document that another program rewrites while it is read: a right answer or a sentence, never a wrong one."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents import DocumentError, read_document
from qvupload.documents.errors import ChangingDocumentError
from qvupload.documents.synthetic import SyntheticDocument, write_document

A = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
B = A + timedelta(days=20)


def test_rewritten_while_read_gives_one_of_its_versions_or_a_sentence(tmp_path: Path) -> None:
    versions = []
    for when, size in ((A, 3 * 1024 * 1024), (B, 5 * 1024 * 1024)):
        source = write_document(tmp_path / f"{when:%d}.qvw", SyntheticDocument(when, tables=[("T", 1)], size=size))
        versions.append(source.read_bytes())
    target = tmp_path / "Live.qvw"
    target.write_bytes(versions[0])
    stop = threading.Event()

    def saver() -> None:  # another program saving the document again and again, in place
        n = 0
        while not stop.is_set():
            n += 1
            with open(target, "r+b") as fh:
                fh.write(versions[n % 2])
                fh.truncate()
            os.utime(target, ns=(n * 10**9, n * 10**9))  # a new modification time with each save

    thread = threading.Thread(target=saver)
    thread.start()
    outcomes: dict[str, int] = {}
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            try:
                facts = read_document(target)
            except ChangingDocumentError as exc:
                assert "changed while it was being read" in str(exc)
                outcomes["changing"] = outcomes.get("changing", 0) + 1
                continue
            except DocumentError as exc:  # e.g. caught between truncate and write: a sentence, not a time
                outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
                continue
            assert facts.last_reload_utc in (A, B)
            assert facts.size == (3 if facts.last_reload_utc == A else 5) * 1024 * 1024  # one version, not a mix
            outcomes["read"] = outcomes.get("read", 0) + 1
    finally:
        stop.set()
        thread.join()
    assert sum(outcomes.values()) > 20, outcomes


def test_a_steady_document_is_read_in_one_go(tmp_path: Path) -> None:
    path = write_document(tmp_path / "Still.qvw", SyntheticDocument(A, size=2 * 1024 * 1024))
    facts = read_document(path)
    assert facts.last_reload_utc == A and facts.reads == 2  # no second attempt when nothing changed
