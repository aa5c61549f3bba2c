"""Worker processes give exactly the results of one process, in the same order.

Results cross from the workers as compact tuples (see scan._pack); every field must survive.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.documents.scan import ScanOptions, scan
from qvupload.documents.synthetic import SyntheticDocument, write_document

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    for i in range(30):
        folder = tmp_path / f"f{i % 3}"
        folder.mkdir(exist_ok=True)
        spec = SyntheticDocument(
            NOW - timedelta(days=i),
            window_title=f"Doc {i}" if i % 2 else "",
            tables=[(f"T{j}", j * 10) for j in range(i % 5 + 1)],
            lineage=[f"{folder}/data{i}.qvd"] if i % 4 == 0 else [],
        )
        write_document(folder / f"d{i:02}.qvw", spec)
    (tmp_path / "f1" / "broken.qvw").write_bytes(b"not a document")
    (tmp_path / "f2" / "cut.qvw").write_bytes((tmp_path / "f2" / "d02.qvw").read_bytes()[:300])
    one = scan([tmp_path], ScanOptions(workers=1, now=NOW, saving_build=True))
    two = scan([tmp_path], ScanOptions(workers=2, now=NOW, saving_build=True))
    assert len(one) == 32 and sum(not r.ok for r in one) == 2
    assert two == one
    assert [r.path for r in two] == [r.path for r in one]
    assert all(isinstance(r.path, Path) and (r.facts is None or r.facts.path is r.path) for r in two)
