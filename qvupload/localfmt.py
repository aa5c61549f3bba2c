"""Numbers, sizes and dates for the command line in the user's language (Babel, loaded only when a
non-English language needs it). English keeps the fixed forms the tests and scripts know.
``--json``/``--csv`` and the ledger never use this: they stay machine-readable."""

from __future__ import annotations

from datetime import datetime

from qvupload.i18n import PSEUDO, language


def _babel_locale() -> str | None:
    lang = language()
    return None if lang in ("en", PSEUDO) else lang


def number(value: float, decimals: int = 0) -> str:
    loc = _babel_locale()
    if loc is None:
        return f"{value:,.{decimals}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale=loc))


def size(value: float) -> str:
    """Bytes as KB/MB/GB (powers of 1024, one decimal) with the locale's decimal sign."""
    amount = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{number(amount, 0 if unit == 'B' else 1)} {unit}"
        amount /= 1024
    raise AssertionError("unreachable")


def local_datetime(moment: datetime) -> str:
    """A date and time as the locale writes it (``2026-11-27 10:15`` in English, ``27.11.2026, 10:15`` in German)."""
    loc = _babel_locale()
    if loc is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    from babel.dates import format_datetime

    return str(format_datetime(moment, format="short", locale=loc))
