"""Writes QlikView Server session logs in the documented format (QlikView Server help, "Logs and
error codes"): tab-separated, a header line naming the fields, one line per ended session."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

FIELDS = (
    "Exe Type",
    "Exe Version",
    "Server Started",
    "Timestamp",
    "Document",
    "Document Timestamp",
    "QlikView User",
    "Exit Reason",
    "Session ID",
    "Session Start",
    "Session Duration",
    "CPU Spent (s)",
    "Bytes Received",
    "Bytes Sent",
    "Calls",
    "Selections",
    "Authenticated User",
    "Identifying User",
    "Client Machine Identification",
)


@dataclass(frozen=True)
class Session:
    document: str  # the server's path, e.g. C:\QlikView\Documents\Finance\Budget.qvw
    start: datetime
    user: str
    exe_version: str = "12.40.20000.0"
    authenticated: bool = True  # else only Identifying User is filled


def line(s: Session, rng: random.Random) -> str:
    duration = timedelta(seconds=rng.randint(5, 7200))
    end = s.start + duration
    values = {
        "Exe Type": "RLS64",
        "Exe Version": s.exe_version,
        "Server Started": (s.start - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S"),
        "Timestamp": end.strftime("%Y-%m-%d %H:%M:%S"),
        "Document": s.document,
        "Document Timestamp": (s.start - timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S"),
        "QlikView User": "",
        "Exit Reason": rng.choice(["Socket closed", "LRU", "Shutdown", "Session expired after idle time"]),
        "Session ID": str(rng.randint(1, 10**6)),
        "Session Start": s.start.strftime("%Y-%m-%d %H:%M:%S"),
        "Session Duration": str(duration).rjust(8, "0"),
        "CPU Spent (s)": f"{rng.random() * 10:.3f}",
        "Bytes Received": str(rng.randint(1000, 10**6)),
        "Bytes Sent": str(rng.randint(1000, 10**7)),
        "Calls": str(rng.randint(1, 500)),
        "Selections": str(rng.randint(0, 100)),
        "Authenticated User": s.user if s.authenticated else "",
        "Identifying User": s.user,
        "Client Machine Identification": f"PC{rng.randint(1, 999):03d}",
    }
    return "\t".join(values[f] for f in FIELDS)


def write_log(
    path: Path, sessions: list[Session], *, seed: int = 1, extra_lines: tuple[str, ...] = (), bom: bool = True
) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        fh.write("\t".join(FIELDS) + "\r\n")
        for s in sessions:
            fh.write(line(s, rng) + "\r\n")
        for extra in extra_lines:
            fh.write(extra + "\r\n")
    return path
