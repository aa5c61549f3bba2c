"""The queue and the ledger in SQLite under the data folder.

Every job is written when it changes state or passes an upload milestone, so after a crash, a
kill or a reboot the queue resumes where the server says each upload stands. The ledger keeps
one row per finished job; it holds no token and no connection string.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from qvupload.transfers.model import Job, JobState, now_iso

LEDGER_COLUMNS = (
    "path",
    "sha256",
    "size",
    "app_id",
    "item_id",
    "space",
    "action",
    "start",
    "end",
    "outcome",
    "message",
)
_JOB_FIELDS = [f.name for f in fields(Job)]


class TransferStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        cols = ", ".join(f"{name} TEXT" if name != "id" else "id TEXT PRIMARY KEY" for name in _JOB_FIELDS)
        self._db.execute(f"CREATE TABLE IF NOT EXISTS jobs ({cols})")
        have = {row[1] for row in self._db.execute("PRAGMA table_info(jobs)")}
        for f in fields(Job):  # a queue written by an older version gains the new columns
            if f.name not in have and isinstance(f.default, str):
                default = json.dumps(f.default).replace("'", "''")
                self._db.execute(f"ALTER TABLE jobs ADD COLUMN {f.name} TEXT DEFAULT '{default}'")
        ledger_cols = ", ".join(f"{c} TEXT" for c in LEDGER_COLUMNS)
        self._db.execute(
            f"CREATE TABLE IF NOT EXISTS ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT, {ledger_cols})"
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- jobs ------------------------------------------------------------------------------------
    def save(self, job: Job) -> None:
        data = asdict(job)
        placeholders = ", ".join("?" for _ in _JOB_FIELDS)
        with self._lock:
            self._db.execute(
                f"INSERT OR REPLACE INTO jobs ({', '.join(_JOB_FIELDS)}) VALUES ({placeholders})",
                [json.dumps(data[name]) for name in _JOB_FIELDS],
            )

    def jobs(self) -> list[Job]:
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(_JOB_FIELDS)} FROM jobs ORDER BY created_at, rowid").fetchall()
        return [Job(**{name: json.loads(value) for name, value in zip(_JOB_FIELDS, row, strict=True)}) for row in rows]

    def unfinished(self) -> list[Job]:
        return [j for j in self.jobs() if not JobState(j.state).terminal]

    def delete_finished(self) -> int:
        finished = [j.id for j in self.jobs() if JobState(j.state).terminal]
        with self._lock:
            self._db.executemany("DELETE FROM jobs WHERE id = ?", [(i,) for i in finished])
        return len(finished)

    # -- ledger ----------------------------------------------------------------------------------
    def record(self, job: Job, action: str) -> None:
        row = {
            "path": job.path,
            "sha256": job.sha256,
            "size": str(job.size),
            "app_id": job.published_app_id or job.app_id,
            "item_id": job.item_id,
            "space": job.target,
            "action": action,
            "start": job.started_at,
            "end": job.ended_at,
            "outcome": job.outcome,
            "message": job.message,
        }
        with self._lock:
            self._db.execute(
                f"INSERT INTO ledger (job_id, {', '.join(LEDGER_COLUMNS)}) VALUES (?, "
                f"{', '.join('?' for _ in LEDGER_COLUMNS)})",
                [job.id, *(row[c] for c in LEDGER_COLUMNS)],
            )

    def record_action(
        self, *, path: str, space: str, action: str, outcome: str, message: str, app_id: str = "", item_id: str = ""
    ) -> None:
        """A ledger row for an action that is not an upload job (granting roles, publishing an app)."""
        now = now_iso()
        row = {
            "path": path,
            "sha256": "",
            "size": "",
            "app_id": app_id,
            "item_id": item_id,
            "space": space,
            "action": action,
            "start": now,
            "end": now,
            "outcome": outcome,
            "message": message,
        }
        with self._lock:
            self._db.execute(
                f"INSERT INTO ledger (job_id, {', '.join(LEDGER_COLUMNS)}) VALUES (?, "
                f"{', '.join('?' for _ in LEDGER_COLUMNS)})",
                ["", *(row[c] for c in LEDGER_COLUMNS)],
            )

    def ledger(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(LEDGER_COLUMNS)} FROM ledger ORDER BY seq").fetchall()
        return [dict(zip(LEDGER_COLUMNS, row, strict=True)) for row in rows]

    def ledger_json(self) -> str:
        return json.dumps(self.ledger(), indent=2, ensure_ascii=False)

    def ledger_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.ledger())
        return buffer.getvalue()
