"""Building the assessment: scan the documents (through the scan's public API), read the session
logs when given, and decide a route and a verdict for every document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qvupload.assessment import rules
from qvupload.assessment.sources import KIND_LABELS, Source, classify_all
from qvupload.assessment.usage import DocumentUsage, UsageSummary, read_usage
from qvupload.documents.freshness import DEFAULT_STALE_AFTER
from qvupload.documents.scan import CancelToken, ScanOptions, ScanProgress, ScanResult, iter_scan
from qvupload.i18n import _


@dataclass
class DocumentAssessment:
    path: Path
    name: str
    error: str | None = None
    size: int = 0
    container: str = ""
    reload_utc: datetime | None = None
    reload_local: datetime | None = None
    reload_kind: str = "unknown"
    age: timedelta | None = None
    age_bucket: str = rules.NO_RELOAD
    freshness: str = "unknown"
    freshness_reason: str = ""
    section_access: bool | None = None
    tables: int | None = None
    rows: int | None = None
    sources: list[Source] = field(default_factory=list)
    route: str = ""
    verdict: str = "unreadable"
    reasons: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    usage: DocumentUsage | None = None

    @property
    def gateway_kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sources if s.needs_gateway})


@dataclass
class Assessment:
    roots: list[str]
    generated_utc: datetime
    stale_after: timedelta
    documents: list[DocumentAssessment]
    usage: UsageSummary | None = None

    @property
    def readable(self) -> list[DocumentAssessment]:
        return [d for d in self.documents if d.error is None]

    @property
    def unreadable(self) -> list[DocumentAssessment]:
        return [d for d in self.documents if d.error is not None]

    @property
    def total_size(self) -> int:
        return sum(d.size for d in self.readable)

    def counts(self, attribute: str, order: Iterable[str]) -> list[tuple[str, int]]:
        counter = Counter(str(getattr(d, attribute)) for d in self.readable)
        return [(label, counter.get(label, 0)) for label in order]

    def size_buckets(self) -> list[tuple[str, int]]:
        counter = Counter(rules.size_bucket(d.size) for d in self.readable)
        return [(label, counter.get(label, 0)) for label, _limit in rules.SIZE_BUCKETS]

    def age_buckets(self) -> list[tuple[str, int]]:
        return self.counts("age_bucket", [label for label, _limit in rules.AGE_BUCKETS] + [rules.NO_RELOAD])

    def routes(self) -> list[tuple[str, int]]:
        return self.counts("route", rules.ROUTES)

    def verdicts(self) -> list[tuple[str, int]]:
        counter = Counter(d.verdict for d in self.documents)
        return [(v, counter.get(v, 0)) for v in rules.VERDICTS]

    def source_kinds(self) -> list[tuple[str, int, int, int]]:
        """(kind label, distinct sources, documents using them, sources needing a gateway)."""
        rows = []
        for kind, label in KIND_LABELS.items():
            distinct: set[str] = set()
            gateway: set[str] = set()
            docs = 0
            for d in self.readable:
                mine = [s for s in d.sources if s.kind == kind]
                docs += bool(mine)
                distinct.update(s.text.lower() for s in mine)
                gateway.update(s.text.lower() for s in mine if s.needs_gateway)
            rows.append((label, len(distinct), docs, len(gateway)))
        return rows

    def over_limits(self) -> list[DocumentAssessment]:
        return [d for d in self.readable if d.limits]

    def with_section_access(self) -> list[DocumentAssessment]:
        return [d for d in self.readable if d.section_access]

    def needing_gateway(self) -> list[DocumentAssessment]:
        return [d for d in self.readable if d.gateway_kinds]

    def never_opened(self) -> list[DocumentAssessment]:
        if self.usage is None:
            return []
        return [d for d in self.readable if d.usage is None or d.usage.sessions == 0]


def assess_result(
    result: ScanResult, now: datetime, stale_after: timedelta, usage: UsageSummary | None
) -> DocumentAssessment:
    facts, fresh = result.facts, result.freshness
    if facts is None:
        return DocumentAssessment(result.path, result.path.stem, error=result.error or _("It could not be read."))
    doc_usage = usage.for_document(result.path) if usage is not None else None
    age = fresh.age if fresh is not None else None
    doc = DocumentAssessment(
        result.path,
        facts.display_name,
        size=facts.size,
        container=facts.container,
        reload_utc=facts.last_reload_utc,
        reload_local=facts.last_reload_local,
        reload_kind=facts.reload_time_kind,
        age=age,
        age_bucket=rules.age_bucket(age if facts.reload_time_kind != "never" else None),
        freshness=fresh.verdict if fresh is not None else "unknown",
        freshness_reason=fresh.reason if fresh is not None else "",
        section_access=facts.has_section_access,
        tables=facts.tables,
        rows=facts.rows,
        sources=classify_all(facts.data_sources),
        usage=doc_usage,
    )
    decision = rules.decide(
        size=doc.size,
        reload_kind=doc.reload_kind,
        freshness=doc.freshness,
        age=age,
        stale_after=stale_after,
        section_access=doc.section_access,
        sources=doc.sources,
        sessions_90d=(doc_usage.sessions if doc_usage is not None else 0) if usage is not None else None,
    )
    doc.route, doc.verdict, doc.reasons, doc.limits = (
        decision.route,
        decision.verdict,
        decision.reasons,
        decision.limits,
    )
    return doc


def build_assessment(
    paths: Iterable[Path | str],
    *,
    usage_logs: Path | None = None,
    now: datetime | None = None,
    usage_now: datetime | None = None,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    progress: Callable[[ScanProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> Assessment:
    """Everything the report shows. ``now`` is UTC; ``usage_now`` the log server's local time
    (default: this machine's local time)."""
    roots = [str(p) for p in paths]
    moment = now or datetime.now(UTC)
    usage = read_usage(usage_logs, usage_now) if usage_logs is not None else None
    options = ScanOptions(stale_after=stale_after, now=moment)
    documents = [
        assess_result(r, moment, stale_after, usage)
        for r in iter_scan(roots, options, progress=progress, cancel=cancel)
    ]
    return Assessment(roots, moment, stale_after, documents, usage)
