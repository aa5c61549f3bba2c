"""Qlik Cloud's limits, the age and size buckets, and the route and readiness verdict per document.

Routes (Qlik's multi-cloud guidance): **upload** the .qvw as a QlikView app (view-only, its data
frozen at upload), **link** to it on the QlikView Server's AccessPoint (it stays there), or
**rebuild** it as a Qlik Sense app. Verdicts: **ready** (go by its route now), **review** (go by
its route once the listed points are checked), **unreadable** (the file could not be read).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from qvupload.assessment.sources import Source
from qvupload.i18n import N_, _
from qvupload.timefmt import format_age

GB = 1024**3
UPLOAD_LIMIT = 1 * GB  # a QlikView document uploaded to Qlik Cloud
LARGE_APP_LIMIT = 10 * GB  # with large-app capacity
MEMORY_LIMIT = 5 * GB  # an app's size in memory in the default tier
NOT_USED_NOTE = N_("not opened in the last 90 days")

AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    (N_("under 1 week"), 7),
    (N_("1-4 weeks"), 30),
    (N_("1-3 months"), 91),
    (N_("3-12 months"), 365),
    (N_("1-3 years"), 3 * 365),
    (N_("over 3 years"), math.inf),
)
NO_RELOAD = N_("never reloaded or unknown")
SIZE_BUCKETS: tuple[tuple[str, float], ...] = (
    (N_("under 10 MB"), 10 * 1024**2),
    (N_("10-100 MB"), 100 * 1024**2),
    (N_("100 MB-1 GB"), UPLOAD_LIMIT),
    (N_("1-10 GB"), LARGE_APP_LIMIT),
    (N_("over 10 GB"), math.inf),
)
ROUTES = ("upload", "link", "rebuild")
VERDICTS = ("ready", "review", "unreadable")


def age_bucket(age: timedelta | None) -> str:
    if age is None:
        return NO_RELOAD
    days = age.total_seconds() / 86400
    return next(label for label, limit in AGE_BUCKETS if days < limit)


def size_bucket(size: int) -> str:
    return next(label for label, limit in SIZE_BUCKETS if size < limit)


def format_size(size: int | float) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


@dataclass
class Decision:
    route: str
    verdict: str
    reasons: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # which Qlik Cloud limits it is over


def decide(
    *,
    size: int,
    reload_kind: str,
    freshness: str,
    age: timedelta | None,
    stale_after: timedelta,
    section_access: bool | None,
    sources: list[Source],
    sessions_90d: int | None,
) -> Decision:
    d = Decision("upload", "ready")
    if size > LARGE_APP_LIMIT:
        d.route = "link"
        d.limits.append(_("upload (over 10 GB even with large-app capacity)"))
        d.reasons.append(
            _("%(size)s is over the 10 GB upload limit even with large-app capacity: link it.")
            % {"size": format_size(size)}
        )
    elif size > UPLOAD_LIMIT:
        d.route, d.verdict = "link", "review"
        d.limits.append(_("upload (over 1 GB; up to 10 GB with large-app capacity)"))
        d.reasons.append(
            _(
                "%(size)s is over the 1 GB upload limit: upload needs large-app capacity (up to "
                "10 GB), otherwise link it."
            )
            % {"size": format_size(size)}
        )
    if size > MEMORY_LIMIT:
        d.limits.append(_("in-memory size (the file alone is over 5 GB)"))
        d.reasons.append(_("In memory it is larger than its file, so over the default tier's 5 GB app size."))
    if reload_kind == "never":
        d.route, d.verdict = "rebuild", "review"
        d.reasons.append(_("Never reloaded: it holds no data to upload; rebuild it, or reload and save it first."))
    if section_access:
        if d.route == "upload":
            d.route = "link"
        d.verdict = "review"
        d.reasons.append(
            _(
                "Section access: in Qlik Cloud its rows must name cloud users (e.g. by email); "
                "rows for Windows accounts (NTNAME) no longer match. Link it until the table is "
                "checked."
            )
        )
    gateway = sorted({s.kind for s in sources if s.needs_gateway})
    if gateway and freshness == "fresh" and age is not None and d.route == "upload":
        d.route = "link"
        d.reasons.append(
            _(
                "Reloaded %(age)s ago from %(gateway)s sources on the company network: an "
                "uploaded copy freezes that data (a QlikView app is not reloaded in the cloud), "
                "so link it, or rebuild it with a data gateway."
            )
            % {"age": format_age(age), "gateway": ", ".join(gateway)}
        )
    if freshness == "stale" and d.route == "upload":
        d.verdict = "review"
        limit = format_age(stale_after)
        d.reasons.append(
            _("Its data is %(age)s old (limit %(limit)s): uploaded, it stays that way.")
            % {"age": format_age(age), "limit": limit}
            if age is not None
            else _("Its data is old (limit %(limit)s): uploaded, it stays that way.") % {"limit": limit}
        )
    elif freshness == "unknown" and reload_kind != "never":
        d.verdict = "review"
        d.reasons.append(_("Its reload time cannot be told exactly: check how old its data is."))
    if sessions_90d == 0:
        d.verdict = "review"
        d.reasons.append(_("Not opened on the QlikView Server in the last 90 days: consider leaving it behind."))
    if not d.reasons:
        d.reasons.append(_("Within every limit, fresh, no section access: upload it."))
    return d
