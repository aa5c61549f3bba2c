"""Is a document's data fresh? Evidence from the file, its logs and its QVDs, and a verdict.

The in-file reload time is the primary fact. A document log beside it corroborates it (same
finish time) or contradicts it (a later reload that was never saved into the file). QVDs the
document loads bound the age of its data from below; QVDs it stores corroborate the reload time.
The file's modification time is never used as a reload time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from qvupload.documents.doclog import LogReading, find_logs, newest_log, read_log
from qvupload.documents.errors import DocumentError
from qvupload.documents.facts import DocumentFacts
from qvupload.documents.qvd import QvdHeader, qvd_references, read_qvd_header, resolve_reference
from qvupload.i18n import _
from qvupload.timefmt import format_age, format_utc

Verdict = Literal["fresh", "stale", "unknown"]
EvidenceState = Literal["verified", "reported", "approximate", "unsaved-reload", "unknown"]

DEFAULT_STALE_AFTER = timedelta(days=7)
# UTC offsets run from -12 h to +14 h: a wall-clock time without zone is that uncertain.
LOCAL_EARLIEST = timedelta(hours=14)
LOCAL_LATEST = timedelta(hours=12)
AGREE = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sidecar file and what it says. ``path`` may be shown to the user; nothing secret is kept."""

    kind: Literal["log", "qvd-stored", "qvd-loaded"]
    path: Path
    time_utc: datetime | None
    note: str


@dataclass(frozen=True, slots=True)
class Freshness:
    verdict: Verdict
    reason: str
    state: EvidenceState
    age: timedelta | None = None
    data_age_bound_utc: datetime | None = None  # oldest QVD this document loads
    unsaved_reload_utc: datetime | None = None  # a later reload seen in a log
    evidence: tuple[Evidence, ...] = field(default=())


def gather_evidence(
    facts: DocumentFacts, siblings: Iterable[str] | None = None, listing: Iterable[str] | None = None
) -> list[Evidence]:
    """Logs next to the document and the QVDs its lineage names (resolved on this machine).

    ``siblings``: names of the document's logs or of its whole folder; ``listing``: the folder's
    names (a scan passes both from its walk, so the folder is not listed again)."""
    found: list[Evidence] = []
    readings = [r for r in (read_log(p) for p in find_logs(facts.path, siblings)) if r is not None]
    log = newest_log(readings)
    if log is not None:
        found.append(_log_evidence(log))
    seen: set[Path] = set()
    for ref in qvd_references(facts.data_sources):
        path = resolve_reference(ref.raw_path, facts.path, listing)
        if path is None or path in seen:
            continue
        seen.add(path)
        try:
            header = read_qvd_header(path)
        except DocumentError:
            continue
        found.append(_qvd_evidence(header, ref.stored, facts))
    return found


def _log_evidence(log: LogReading) -> Evidence:
    if log.finished_utc is not None:
        note = {"finished": _("reload finished"), "failed": _("reload failed")}.get(
            log.outcome, _("reload outcome unknown")
        )
        return Evidence("log", log.path, log.finished_utc, note)
    v = {"time": log.finished_local}
    if log.outcome == "finished":
        note = _("reload finished, wall clock %(time)s") % v
    elif log.outcome == "failed":
        note = _("reload failed, wall clock %(time)s") % v
    else:
        note = _("reload outcome unknown, wall clock %(time)s") % v
    return Evidence("log", log.path, None, note)


def _qvd_evidence(header: QvdHeader, stored: bool, facts: DocumentFacts) -> Evidence:
    if stored and header.creator_name.lower() == facts.path.name.lower():
        return Evidence("qvd-stored", header.path, header.create_utc, _("stored by this document"))
    if stored:
        return Evidence(
            "qvd-stored", header.path, header.create_utc, _("stored by %(name)s") % {"name": header.creator_name}
        )
    return Evidence(
        "qvd-loaded", header.path, header.create_utc, _("created by %(name)s") % {"name": header.creator_name}
    )


def assess(
    facts: DocumentFacts,
    evidence: Iterable[Evidence] = (),
    *,
    now: datetime | None = None,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> Freshness:
    """The verdict for one document, with a one-line reason a business user understands."""
    now = now or datetime.now(UTC)
    ev = tuple(evidence)
    limit = _limit(stale_after)
    if facts.reload_time_kind == "local-only" and facts.last_reload_local is not None:
        return _assess_local_only(facts.last_reload_local, now, stale_after, limit, ev)
    if facts.reload_time_kind != "utc" or facts.last_reload_utc is None:
        return Freshness("unknown", _("No reload time is recorded in this document."), "unknown", evidence=ev)

    reload = facts.last_reload_utc
    age = now - reload
    newer_log: Evidence | None = None
    confirms: list[Evidence] = []
    oldest_input: datetime | None = None
    if ev:  # most documents have no logs or QVDs beside them
        logs = [e for e in ev if e.kind == "log" and e.time_utc is not None]
        stored = [e for e in ev if e.kind == "qvd-stored" and e.time_utc is not None]
        loaded = [e for e in ev if e.kind == "qvd-loaded" and e.time_utc is not None]
        newer_log = next((e for e in logs if e.time_utc and e.time_utc - reload > AGREE), None)
        confirms = [e for e in logs + stored if e.time_utc and abs(e.time_utc - reload) <= AGREE]
        oldest_input = min((e.time_utc for e in loaded if e.time_utc), default=None)
    verdict: Verdict = "stale" if age > stale_after else "fresh"
    facts_of = {"age": format_age(age), "time": format_utc(reload), "limit": limit}

    if newer_log is not None and newer_log.time_utc is not None:
        reason = _(
            "A reload on %(newer)s was not saved into this file; its data is from %(age)s ago (%(time)s). "
            "Save the document after reloading."
        ) % {**facts_of, "newer": format_utc(newer_log.time_utc)}
        return Freshness(verdict, reason, "unsaved-reload", age, oldest_input, newer_log.time_utc, ev)
    state: EvidenceState = "verified" if confirms else "reported"
    how = "" if not confirms else ("log" if confirms[0].kind == "log" else "qvd")
    if verdict == "stale":
        reason = {
            "": _("Last reloaded %(age)s ago (%(time)s), older than the limit of %(limit)s."),
            "log": _("Last reloaded %(age)s ago (%(time)s), confirmed by its log, older than the limit of %(limit)s."),
            "qvd": _("Last reloaded %(age)s ago (%(time)s), confirmed by its QVD, older than the limit of %(limit)s."),
        }[how] % facts_of
    elif oldest_input is not None and now - oldest_input > stale_after:
        verdict = "stale"
        reason = _(
            "Reloaded %(age)s ago (%(time)s), but from QVD data last refreshed %(input_age)s ago (%(input_time)s)."
        ) % {**facts_of, "input_age": format_age(now - oldest_input), "input_time": format_utc(oldest_input)}
    else:
        reason = {
            "": _("Reloaded %(age)s ago (%(time)s)."),
            "log": _("Reloaded %(age)s ago (%(time)s), confirmed by its log."),
            "qvd": _("Reloaded %(age)s ago (%(time)s), confirmed by its QVD."),
        }[how] % facts_of
    return Freshness(verdict, reason, state, age, oldest_input, None, ev)


@functools.lru_cache(maxsize=8)
def _limit(stale_after: timedelta) -> str:
    """The limit as read ("7 days"): the same for every document of a scan."""
    return format_age(stale_after)


def _assess_local_only(
    local: datetime, now: datetime, stale_after: timedelta, limit: str, ev: tuple[Evidence, ...]
) -> Freshness:
    as_utc = local.replace(tzinfo=UTC)
    youngest = now - (as_utc + LOCAL_LATEST)
    oldest = now - (as_utc - LOCAL_EARLIEST)
    values = {"age": format_age(now - as_utc), "time": f"{local:%Y-%m-%d %H:%M}", "limit": limit}
    if youngest > stale_after:
        verdict: Verdict = "stale"
        reason = _(
            "Last reloaded about %(age)s ago (%(time)s on the reloading machine's clock), older than the limit "
            "of %(limit)s; time zone not recorded."
        )
    elif oldest <= stale_after:
        verdict = "fresh"
        reason = _("Reloaded about %(age)s ago (%(time)s on the reloading machine's clock); time zone not recorded.")
    else:
        verdict = "unknown"
        reason = _(
            "Reloaded about %(age)s ago (%(time)s on the reloading machine's clock); without a time zone it may be "
            "just past the limit of %(limit)s."
        )
    reason %= values
    return Freshness(verdict, reason, "approximate", now - as_utc, None, None, ev)
