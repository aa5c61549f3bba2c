"""QlikView document logs (``Doc.qvw.log`` and ``Doc.qvw.<timestamp>.log``) as reload evidence.

QlikView 12.x starts every line with a timestamp carrying its UTC offset
(``20241105T092117.791+0100``); the first and last lines say that execution started and finished,
in the language of the reloading machine. Older versions write locale-formatted times without an
offset: those are kept as hints (wall clock, zone unknown). Only the head and the tail of a log
are read, whatever its size.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from qvupload.pathnames import os_path

HEAD_BYTES = 8 * 1024
TAIL_BYTES = 64 * 1024

_STAMP = re.compile(r"(\d{8}T\d{6})(?:\.(\d{1,3}))?([+-]\d{4})")
_LINE_STAMP = re.compile(r"^\ufeff?\s*(\d{8}T\d{6})(?:\.(\d{1,3}))?([+-]\d{4})", re.MULTILINE)
# Locale-formatted starts of lines in older logs (no offset): ISO, US and day-first dotted forms.
_OLD_ISO = re.compile(r"^\ufeff?\s*(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})", re.MULTILINE)
_OLD_US = re.compile(
    r"^\ufeff?\s*(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp][Mm]))?", re.MULTILINE
)
_OLD_DOTTED = re.compile(r"^\ufeff?\s*(\d{1,2})\.(\d{1,2})\.(\d{4}) (\d{1,2}):(\d{2}):(\d{2})", re.MULTILINE)
_FINISHED = (
    "execution finished",
    "ejecución finalizada",
    "exécution terminée",
    "ausführung beendet",
    "esecuzione terminata",
    "execução concluída",
    "execução finalizada",
    "uitvoering voltooid",
)
_FAILED = ("execution failed", "ejecución fallida", "échec de l'exécution", "ausführung fehlgeschlagen")
_VERSION = re.compile(r"QlikView (?:Desktop )?Version\s+(\S+)")


@dataclass(frozen=True)
class LogReading:
    path: Path
    started_utc: datetime | None  # aware; None when the log has no offsets
    finished_utc: datetime | None  # aware; the last timestamp in the log
    finished_local: datetime | None  # naive wall clock, when the log has no offsets (hint only)
    outcome: str  # "finished", "failed" or "unknown"
    version: str | None

    @property
    def has_offsets(self) -> bool:
        return self.finished_utc is not None


def is_log_of(document_name: str, candidate: str) -> bool:
    """True for ``<doc>.log`` and ``<doc>.<anything>.log`` (case-insensitive)."""
    doc = document_name.lower()
    name = candidate.lower()
    return name == doc + ".log" or (name.startswith(doc + ".") and name.endswith(".log") and name != doc)


def logs_by_document(names: Iterable[str]) -> dict[str, list[str]]:
    """Index a folder listing: lower-cased document name -> names of its logs."""
    index: dict[str, list[str]] = {}
    for name in names:
        lowered = name.lower()
        if not lowered.endswith(".log"):
            continue
        for suffix in (".qvw.", ".qvf."):
            at = lowered.find(suffix)
            if at > 0:
                index.setdefault(lowered[: at + 4], []).append(name)
                break
    return index


def find_logs(document: Path, siblings: Iterable[str] | None = None) -> list[Path]:
    """Logs written next to a document. ``siblings`` lets a folder scan pass its own listing."""
    if siblings is None:
        try:
            siblings = os.listdir(os_path(document.parent))
        except OSError:
            return []
    return sorted(document.parent / name for name in siblings if is_log_of(document.name, name))


def _aware(stamp: str, millis: str | None, offset: str) -> datetime | None:
    try:
        naive = datetime.strptime(stamp, "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    sign = 1 if offset[0] == "+" else -1
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    micro = int((millis or "0").ljust(3, "0")) * 1000
    return naive.replace(microsecond=micro, tzinfo=timezone(sign * delta)).astimezone(UTC)


def _old_style(text: str) -> datetime | None:
    """The last locale-formatted time at a line start (wall clock, zone unknown)."""
    found: list[datetime] = []
    for pattern, order in ((_OLD_ISO, "ymd"), (_OLD_US, "mdy"), (_OLD_DOTTED, "dmy")):
        for m in pattern.finditer(text):
            g = m.groups()
            parts = dict(zip(order, (int(g[0]), int(g[1]), int(g[2])), strict=True))
            hour = int(g[3])
            if len(g) > 6 and g[6]:
                hour = hour % 12 + (12 if g[6].lower() == "pm" else 0)
            try:
                found.append(datetime(parts["y"], parts["m"], parts["d"], hour, int(g[4]), int(g[5])))
            except ValueError:
                continue
        if found:
            return found[-1]
    return None


def _read_head_tail(path: Path) -> tuple[str, str]:
    with open(os_path(path), "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        head = fh.read(HEAD_BYTES)
        if size <= HEAD_BYTES:
            tail = head
        else:
            fh.seek(max(HEAD_BYTES, size - TAIL_BYTES))
            tail = fh.read(TAIL_BYTES)
    return head.decode("utf-8", "replace"), tail.decode("utf-8", "replace")


def read_log(path: Path) -> LogReading | None:
    """Read a document log; None when it cannot be read or holds no time at all."""
    try:
        head, tail = _read_head_tail(path)
    except OSError:
        return None
    first = _LINE_STAMP.search(head)
    lasts = list(_LINE_STAMP.finditer(tail))
    started = _aware(*first.groups()) if first else None
    finished = _aware(*lasts[-1].groups()) if lasts else None
    if finished is None:
        name_stamp = _STAMP.search(path.name)
        finished = _aware(*name_stamp.groups()) if name_stamp else None
    finished_local = None if finished else _old_style(tail)
    if finished is None and finished_local is None:
        return None
    lowered_tail = tail[-4096:].lower()
    if any(word in lowered_tail for word in _FAILED):
        outcome = "failed"
    elif any(word in lowered_tail for word in _FINISHED):
        outcome = "finished"
    else:
        outcome = "unknown"
    version = _VERSION.search(head)
    return LogReading(path, started, finished, finished_local, outcome, version.group(1) if version else None)


def newest_log(readings: Iterable[LogReading]) -> LogReading | None:
    """The log of the latest reload: by UTC finish where known, else by wall clock."""
    readings = list(readings)
    with_utc = [r for r in readings if r.finished_utc is not None]
    if with_utc:
        return max(with_utc, key=lambda r: r.finished_utc or datetime.min.replace(tzinfo=UTC))
    rest = [r for r in readings if r.finished_local is not None]
    return max(rest, key=lambda r: r.finished_local or datetime.min) if rest else None
