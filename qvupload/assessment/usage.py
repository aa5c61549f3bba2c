"""Usage from a QlikView Server's session logs (``Sessions*.log``), streamed line by line.

Each file is tab-separated with a header line naming the fields (QlikView Server help, "Logs and
error codes"): one line per ended session with, among others, ``Exe Version``, ``Timestamp``,
``Document``, ``Session Start``, ``Session Duration``, ``Authenticated User`` and ``Identifying
User``. Logs run to gigabytes over years, so nothing but per-document counters is kept: a line
that does not parse is counted (with the first few as examples) and skipped. Field choice:
docs/reference-notes/session-logs.md.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from qvupload.assessment.releases import Release, release_of, version_key
from qvupload.i18n import _

WINDOW = timedelta(days=90)
PATTERN = "Sessions*.log"
EXAMPLES = 5
_FALLBACK_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%Y%m%dT%H%M%S")


@dataclass
class DocumentUsage:
    document: str  # as the server names it (its path on the server)
    sessions: int = 0  # in the window
    sessions_all: int = 0  # in every log read
    users: set[str] = field(default_factory=set)  # in the window
    last_opened: datetime | None = None  # server's local time


@dataclass
class UsageSummary:
    folder: Path
    files: list[Path] = field(default_factory=list)
    lines: int = 0  # session lines (headers and blank lines not counted)
    sessions: int = 0  # lines that parsed
    malformed: int = 0
    examples: list[str] = field(default_factory=list)  # "file:line: why" for the first few
    window_start: datetime | None = None
    window_end: datetime | None = None
    first_session: datetime | None = None
    last_session: datetime | None = None
    documents: dict[str, DocumentUsage] = field(default_factory=dict)  # by document_key
    exe_versions: Counter[str] = field(default_factory=Counter)
    _latest_version: tuple[datetime, str] | None = None

    @property
    def exe_version(self) -> str:
        """The version of the newest session (the server as it runs now), else the highest seen."""
        if self._latest_version is not None:
            return self._latest_version[1]
        return max(self.exe_versions, key=version_key, default="")

    @property
    def release(self) -> Release | None:
        return release_of(self.exe_version) if self.exe_version else None

    def for_document(self, path: Path | str) -> DocumentUsage | None:
        return self.documents.get(document_key(str(path)))


def document_key(path: str) -> str:
    """How a scanned file and a logged server path are matched: the file name, case-insensitive."""
    return path.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()


def parse_time(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for fmt in _FALLBACK_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return moment.replace(tzinfo=None)  # the server's wall clock, compared as such


def _lines(path: Path) -> Iterator[str]:
    with open(path, "rb") as raw:
        head = raw.read(4)
        raw.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            with open(path, encoding="utf-16", errors="replace", newline="") as text:
                yield from text
            return
        first = True
        for line in raw:
            if first and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            first = False
            yield line.decode("utf-8", errors="replace")


def find_session_logs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(PATTERN) if p.is_file())


def read_usage(folder: Path, now: datetime | None = None, window: timedelta = WINDOW) -> UsageSummary:
    """Read every ``Sessions*.log`` under ``folder``; ``now`` is the server's local time (naive)."""
    end = (now or datetime.now()).replace(tzinfo=None)
    summary = UsageSummary(folder, find_session_logs(folder), window_start=end - window, window_end=end)
    for path in summary.files:
        _read_file(path, summary)
    return summary


def _bad(summary: UsageSummary, path: Path, number: int, why: str) -> None:
    summary.malformed += 1
    if len(summary.examples) < EXAMPLES:
        summary.examples.append(f"{path.name}:{number}: {why}")


def _read_file(path: Path, summary: UsageSummary) -> None:
    width = 0
    doc_i = when_i = version_i = -1
    user_is: list[int] = []
    start = summary.window_start or datetime.min
    end = summary.window_end or datetime.max
    keys: dict[str, str] = {}  # document as logged -> document_key (a handful of documents, millions of lines)
    for number, raw in enumerate(_lines(path), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if "Document" in fields and ("Session Start" in fields or "Timestamp" in fields):
            header = {name.strip(): i for i, name in enumerate(fields)}
            width, doc_i = len(fields), header["Document"]
            when_i = header.get("Session Start", header.get("Timestamp", -1))
            version_i = header.get("Exe Version", -1)
            user_is = [header[n] for n in ("Authenticated User", "Identifying User", "QlikView User") if n in header]
            continue
        summary.lines += 1
        if not width:
            _bad(summary, path, number, _("no header line before it"))
            continue
        if len(fields) != width:
            _bad(
                summary,
                path,
                number,
                _("%(fields)s fields where the header has %(width)s") % {"fields": len(fields), "width": width},
            )
            continue
        document = fields[doc_i].strip()
        when = parse_time(fields[when_i])
        if not document or when is None:
            _bad(summary, path, number, _("no document") if not document else _("the session start is not a time"))
            continue
        summary.sessions += 1
        user = next((fields[i].strip().lower() for i in user_is if fields[i].strip()), "(anonymous)")
        key = keys.get(document)
        if key is None:
            key = keys[document] = document_key(document)
        usage = summary.documents.get(key)
        if usage is None:
            usage = summary.documents[key] = DocumentUsage(document)
        usage.sessions_all += 1
        if usage.last_opened is None or when > usage.last_opened:
            usage.last_opened, usage.document = when, document
        if start <= when <= end:
            usage.sessions += 1
            usage.users.add(user)
        if summary.first_session is None or when < summary.first_session:
            summary.first_session = when
        if summary.last_session is None or when > summary.last_session:
            summary.last_session = when
        if version_i >= 0 and (version := fields[version_i].strip()):
            summary.exe_versions[version] += 1
            if summary._latest_version is None or when >= summary._latest_version[0]:
                summary._latest_version = (when, version)
