"""Data sources as a document's lineage names them, sorted into kinds, with whether an app in
Qlik Cloud could reach each without a data gateway.

Lineage entries are what the reload read: ``INLINE``, ``RESIDENT T`` and ``AUTOGENERATE`` are
made in the script; ``STORE - [...]`` is an output; ``ODBC;DSN=…`` / ``OLEDB;…`` are database
connections; ``http(s)://`` is the web; anything else is a file path (a ``.qvd`` is a QVD).
A connection or a file on the company network is out of reach from the cloud: reloading it there
(after a rebuild as a Qlik Sense app) needs Qlik Data Gateway, or the files moved to the cloud.
An uploaded QlikView app is not reloaded in the cloud at all, so this matters for the rebuild route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qvupload.i18n import N_

SourceKind = Literal["qvd", "file", "odbc", "oledb", "web", "script"]
KIND_LABELS: dict[str, str] = {
    "qvd": N_("QVD files"),
    "file": N_("Other files"),
    "odbc": N_("ODBC connections"),
    "oledb": N_("OLE DB connections"),
    "web": N_("Web (http/https)"),
}
_SCRIPT = re.compile(r"^(INLINE|RESIDENT\b|AUTOGENERATE|\$\$)", re.IGNORECASE)
_URL = re.compile(r"^https?://", re.IGNORECASE)
_DSN_PREFIX = re.compile(r"^DSN=", re.IGNORECASE)
_PRIVATE_HOST = re.compile(
    r"^https?://(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|[^/.:]+(:\d+)?(/|$))", re.IGNORECASE
)


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    text: str  # as in the lineage, trailing ';' removed (never logged: may hold connection details)
    needs_gateway: bool


def classify(entry: str) -> Source | None:
    """The kind of one lineage entry; None for outputs (STORE) and empty entries."""
    text = entry.strip().rstrip(";").strip()
    if not text or text.upper().startswith("STORE"):
        return None
    upper = text.upper()
    if _SCRIPT.match(text):
        return Source("script", text, False)
    if upper.startswith("ODBC"):
        return Source("odbc", text, True)
    if upper.startswith("OLEDB") or upper.startswith("OLE DB") or "PROVIDER=" in upper:
        return Source("oledb", text, True)
    if _URL.match(text):
        return Source("web", text, bool(_PRIVATE_HOST.match(text)))  # a public address is reachable
    path = _DSN_PREFIX.sub("", text)
    kind: SourceKind = "qvd" if path.lower().split("?")[0].endswith(".qvd") else "file"
    return Source(kind, path, True)  # a path on a disk or share of the company network


def classify_all(entries: tuple[str, ...] | list[str]) -> list[Source]:
    found: dict[tuple[str, str], Source] = {}
    for entry in entries:
        source = classify(entry)
        if source is not None and source.kind != "script":
            found.setdefault((source.kind, source.text.lower()), source)
    return list(found.values())
