"""Numbers and dates in the window as the user's language writes them (QLocale, set from the chosen
language at start-up). English keeps the fixed forms the rest of qvupload prints."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

from qvupload.i18n import PSEUDO, language


def _english() -> bool:
    return language() in ("en", PSEUDO)


def number(value: float, decimals: int = 0) -> str:
    if _english():
        return f"{value:,.{decimals}f}"
    return QLocale().toString(float(value), "f", decimals)


def date_time(moment: datetime) -> str:
    if _english():
        return moment.strftime("%Y-%m-%d %H:%M")
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())), QLocale.FormatType.ShortFormat)
