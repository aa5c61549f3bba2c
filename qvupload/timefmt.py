"""Times and durations as people read and write them ("3 days", "7d", "2026-11-27 10:15 UTC")."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

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
        raise ValueError("a duration is empty")
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        seconds = float(cleaned) * 86400
    else:
        matches = list(_DURATION.finditer(cleaned))
        if not matches or "".join(m.group(0) for m in matches) != cleaned:
            raise ValueError(f"'{text}' is not a duration such as 7d, 36h or 2w")
        seconds = sum(float(m.group(1)) * _UNITS[m.group(2)] for m in matches)
    if seconds <= 0:
        raise ValueError("a duration must be longer than zero")
    return timedelta(seconds=seconds)


def format_age(age: timedelta) -> str:
    """A rough, readable length of time: '45 seconds', '3 hours', '12 days', '2 years'."""
    seconds = abs(age.total_seconds())
    for limit, unit, size in (
        (120, "second", 1),
        (120 * 60, "minute", 60),
        (48 * 3600, "hour", 3600),
        (60 * 86400, "day", 86400),
        (730 * 86400, "month", 30.44 * 86400),
    ):
        if seconds < limit:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    years = int(seconds // (365.25 * 86400))
    return f"{years} year{'' if years == 1 else 's'}"


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
