"""A document another program holds open without sharing (QlikView while it saves, Excel, a backup
agent) cannot be opened on Windows: ``CreateFile`` fails with ERROR_SHARING_VIOLATION (32) or
ERROR_LOCK_VIOLATION (33), which Python raises as PermissionError carrying ``winerror``. This
machine cannot produce those, so the tests give the reader the same exception Windows would, for
one file, and check the rest of the scan and the sentence."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.documents import ScanOptions, scan
from qvupload.documents import container as container_module
from qvupload.documents.synthetic import SyntheticDocument, write_document


class WindowsPermissionError(PermissionError):
    """PermissionError as CPython builds it on Windows (``winerror`` is set only there)."""

    def __init__(self, winerror: int, filename: str) -> None:
        super().__init__(13, "The process cannot access the file because it is being used by another process", filename)
        self.winerror = winerror


@pytest.mark.parametrize(("winerror", "sentence"), [(32, "is in use by another program"), (33, "is in use by another")])
def test_a_document_held_open_elsewhere_is_a_sentence_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, winerror: int, sentence: str
) -> None:
    now = datetime.now(UTC) - timedelta(hours=2)
    docs = [write_document(tmp_path / f"Sales {i}.qvw", SyntheticDocument(now)) for i in range(5)]
    held = docs[2]
    real_open = os.open

    def open_like_windows(path: str, flags: int, *args: int) -> int:
        if Path(path) == held:
            raise WindowsPermissionError(winerror, path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(container_module.os, "open", open_like_windows)
    results = scan([tmp_path], ScanOptions(now=datetime.now(UTC)))
    assert [r.path for r in results] == docs  # every document is listed, in order, none dropped
    by_path = {r.path: r for r in results}
    assert by_path[held].facts is None and by_path[held].error is not None
    assert sentence in by_path[held].error and "try again" in by_path[held].error
    assert "Traceback" not in by_path[held].error and "Errno" not in by_path[held].error
    read = [r for r in results if r.path != held]
    assert all(r.error is None and r.facts is not None for r in read)
    assert all(r.facts is not None and r.facts.last_reload_utc is not None for r in read)


def test_access_denied_without_a_sharing_violation_says_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_document(tmp_path / "Finance.qvw", SyntheticDocument(datetime.now(UTC)))
    real_open = os.open

    def denied(path: str, flags: int, *args: int) -> int:
        if Path(path) == doc:
            raise WindowsPermissionError(5, path)  # ERROR_ACCESS_DENIED: an ACL, not another program
        return real_open(path, flags, *args)

    monkeypatch.setattr(container_module.os, "open", denied)
    (result,) = scan([doc], ScanOptions())
    assert result.error is not None and "permission denied" in result.error and "in use" not in result.error
