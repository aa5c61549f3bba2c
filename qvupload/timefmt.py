"""Times and durations as people read and write them ("3 days", "7d", "2026-11-27 10:15 UTC")."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from qvupload.i18n import _, ngettext

_UNITS = {
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


def parse_duration(text: str) -> timedelta:
    """Parse ``7d``, ``36h``, ``2w``, ``1d12h`` or a plain number of days. Raises ValueError."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        raise ValueError(_("A duration is empty."))
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        seconds = float(cleaned) * 86400
    else:
        matches = list(_DURATION.finditer(cleaned))
        if not matches or "".join(m.group(0) for m in matches) != cleaned:
            raise ValueError(_("'%(text)s' is not a duration such as 7d, 36h or 2w.") % {"text": text})
        seconds = sum(float(m.group(1)) * _UNITS[m.group(2)] for m in matches)
    if seconds <= 0:
        raise ValueError(_("A duration must be longer than zero."))
    return timedelta(seconds=seconds)


def format_age(age: timedelta) -> str:
    """A rough, readable length of time: '45 seconds', '3 hours', '12 days', '2 years' (in the user's language)."""
    seconds = abs(age.total_seconds())
    if seconds < 120:
        count = int(seconds)
        return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}
    if seconds < 120 * 60:
        count = int(seconds // 60)
        return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
    if seconds < 48 * 3600:
        count = int(seconds // 3600)
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    if seconds < 60 * 86400:
        count = int(seconds // 86400)
        return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    if seconds < 730 * 86400:
        count = int(seconds // (30.44 * 86400))
        return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}
    count = int(seconds // (365.25 * 86400))
    return ngettext("%(count)d year", "%(count)d years", count) % {"count": count}


def format_left(seconds: float) -> str:
    """Time left, rounded up: never '0 seconds' while something is still to do."""
    return format_age(timedelta(seconds=max(1, math.ceil(seconds))))


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso_utc(moment: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` or None."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(moment: datetime | None) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` of a wall-clock time, or None."""
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")
