"""QVD headers and the QVDs a document's lineage names.

A QVD starts with an XML ``<QvdTableHeader>`` (``CreatorDoc``, ``CreateUtcTime``, ...) followed by
binary data; only the header is read, in blocks, up to a cap. Lineage entries name QVDs read
(``C:\\data\\sales.qvd;``, ``DSN=...qvd;``) and stored (``STORE - [Data\\Sales.qvd] (qvd)``) with
paths from the reloading machine; they are resolved next to the document, case-insensitively.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PureWindowsPath

from qvupload.documents.errors import DocumentError
from qvupload.documents.xmlsafe import as_int, child_text, parse_xml
from qvupload.i18n import _
from qvupload.pathnames import os_path

HEADER_END = b"</QvdTableHeader>"
HEADER_CAP = 16 * 1024 * 1024
BLOCK = 64 * 1024


@dataclass(frozen=True)
class QvdHeader:
    path: Path
    creator_doc: str
    create_utc: datetime | None  # aware
    table_name: str
    records: int | None
    build: int | None

    @property
    def creator_name(self) -> str:
        """File name of the creating document (its path is a Windows path from another machine)."""
        return PureWindowsPath(self.creator_doc).name


def read_qvd_header(path: Path) -> QvdHeader:
    """Read a QVD's XML header. Raises DocumentError with a sentence when it cannot."""
    try:
        with open(os_path(path), "rb", buffering=0) as fh:
            data = b""
            while HEADER_END not in data[-(BLOCK + len(HEADER_END)) :]:
                block = fh.read(BLOCK)
                if not block:
                    raise DocumentError(_("%(name)s is not a QVD file (no complete header).") % {"name": path.name})
                data += block
                if len(data) > HEADER_CAP:
                    raise DocumentError(_("%(name)s has a QVD header larger than allowed.") % {"name": path.name})
    except OSError as exc:
        raise DocumentError(
            _("%(name)s could not be read (%(strerror)s).") % {"name": path.name, "strerror": exc.strerror}
        ) from exc
    end = data.find(HEADER_END) + len(HEADER_END)
    root = parse_xml(data[:end], what="QVD header", cap=HEADER_CAP)
    if root.tag != "QvdTableHeader":
        raise DocumentError(_("%(name)s is not a QVD file.") % {"name": path.name})
    created = child_text(root, "CreateUtcTime")
    try:
        create_utc: datetime | None = datetime.strptime(created, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        create_utc = None
    return QvdHeader(
        path=path,
        creator_doc=child_text(root, "CreatorDoc"),
        create_utc=create_utc,
        table_name=child_text(root, "TableName"),
        records=as_int(child_text(root, "NoOfRecords")),
        build=as_int(child_text(root, "QvBuildNo")),
    )


@dataclass(frozen=True)
class QvdReference:
    raw_path: str  # as written in the lineage (a path on the reloading machine)
    stored: bool  # True for STORE (the document wrote it), False for a load


_STORE = re.compile(r"^STORE\s*-\s*\[(?P<path>[^\]]+)\]\s*\(qvd\)\s*$", re.IGNORECASE)


def qvd_references(data_sources: tuple[str, ...]) -> list[QvdReference]:
    """The QVDs named in lineage discriminators, loads and stores."""
    refs: list[QvdReference] = []
    for source in data_sources:
        text = source.strip()
        store = _STORE.match(text)
        if store:
            refs.append(QvdReference(store.group("path").strip(), True))
            continue
        for part in text.split(";"):
            candidate = re.sub(r"\s*\(qvd\)\s*$", "", part.strip(), flags=re.IGNORECASE)
            candidate = re.sub(r"^(DSN|FILE)\s*=\s*", "", candidate, flags=re.IGNORECASE).strip("[] ")
            if candidate.lower().endswith(".qvd"):
                refs.append(QvdReference(candidate, False))
    return refs


class _Listings:
    """Folder listings, each looked up once (None: not readable)."""

    def __init__(self, seed: dict[Path, Iterable[str]]) -> None:
        self._known: dict[Path, frozenset[str] | None] = {folder: frozenset(names) for folder, names in seed.items()}

    def match(self, folder: Path, name: str) -> Path | None:
        """The entry of ``folder`` spelt ``name``, else one that differs only in case."""
        if folder not in self._known:
            try:
                self._known[folder] = frozenset(os.listdir(os_path(folder)))
            except OSError:
                self._known[folder] = None
        names = self._known[folder]
        if names is None:
            return None
        if name in names:
            return folder / name
        lowered = name.lower()
        found = min((n for n in names if n.lower() == lowered), default=None)
        return folder / found if found is not None else None


def resolve_reference(raw_path: str, document: Path, listing: Iterable[str] | None = None) -> Path | None:
    """Find a lineage path on this machine: as written, or its tail next to the document.

    Tails are tried longest first from the document's folder and its parent, matching names
    case-insensitively (QlikView lower-cases some lineage paths). Each folder is listed once;
    ``listing`` (the names in the document's folder, from a scan's walk) saves listing that one.
    """
    listings = _Listings({document.parent: listing} if listing is not None else {})
    posix = Path(raw_path)
    if posix.is_absolute() and os.path.isfile(os_path(posix)):
        return posix
    parts = [p for p in PureWindowsPath(raw_path).parts if p not in ("\\", "/") and not p.endswith(":\\")]
    parts = [p for p in parts if not re.fullmatch(r"[A-Za-z]:\\?", p)]
    for base in (document.parent, document.parent.parent):
        for start in range(len(parts)):
            current: Path | None = base
            for name in parts[start:]:
                current = listings.match(current, name) if current is not None else None
                if current is None:
                    break
            if current is not None and os.path.isfile(os_path(current)):
                return current
    return None
