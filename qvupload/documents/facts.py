"""What one QlikView document says about itself, read without QlikView.

``read_document(path)`` returns :class:`DocumentFacts` or raises a
:class:`~qvupload.documents.errors.DocumentError` with a readable sentence. It reads the header,
the footer, the directory and the two XML items: two reads whatever the file size (see
:mod:`~qvupload.documents.container`). The saving build (a heuristic) needs block 0 and is read
only when asked for.

A document that changes while it is read (size or modification time differ before and after the
reads: another program is saving it) is read once more; if it changes again the error says so.
Its reload time is never taken from a read that straddles a change.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from qvupload.documents import xmlfast
from qvupload.documents.build import read_saving_build
from qvupload.documents.container import TAIL_WINDOW, Container, file_version, open_container
from qvupload.documents.errors import ChangingDocumentError, DocumentError, TruncatedDocumentError
from qvupload.documents.quick import read_quick
from qvupload.documents.xmlsafe import as_bool, as_int, child_text, parse_xml
from qvupload.i18n import _

ReloadTimeKind = Literal["utc", "local-only", "never", "unknown"]

INFO_ITEM = "DocumentInfo.xml"
SUMMARY_ITEM = "DocumentSummary.xml"
INFO_CAP = 1024 * 1024
SUMMARY_CAP = 8 * 1024 * 1024  # the largest seen in 345 real documents is 295 KB
LOCAL_SUFFIX = "(local)"
NEVER_PREFIX = "1899-12-30"  # Qlik serial date 0: no reload time recorded


@dataclass(frozen=True, slots=True)  # slots: made for every document, twice with worker processes
class DocumentFacts:
    path: Path
    size: int
    container: str  # "qvw" or "qvf"
    reload_time_kind: ReloadTimeKind
    last_reload_utc: datetime | None  # aware, UTC; None unless kind == "utc"
    last_reload_local: datetime | None  # naive wall clock of the reloading machine
    has_section_access: bool | None
    window_title: str
    title: str
    tables: int | None  # non-system tables
    rows: int | None  # rows in those tables
    table_names: tuple[str, ...] = ()
    # Kept in memory only: connection strings can be secret, so these are never logged.
    data_sources: tuple[str, ...] = field(default=(), repr=False)
    generate_logfile: bool | None = None
    saving_build: int | None = None  # heuristic: the build that last *saved* the file
    file_modified_utc: datetime | None = None  # context only, never a reload time
    recovered_by_scan: bool = False
    bytes_read: int = 0
    reads: int = 0  # read calls (coalesced: two for most documents, one for a small one)

    @property
    def display_name(self) -> str:
        """The name an app gets in the cloud: window title, else the file name without extension."""
        return self.window_title or self.path.stem


def parse_reload_times(utc_text: str, local_text: str) -> tuple[ReloadTimeKind, datetime | None, datetime | None]:
    """Interpret ``UtcLastReloadTimeISO`` / ``LastReloadTimeISO`` as the reference note describes."""
    utc_text = utc_text.strip()
    local_text = local_text.strip()
    local = _parse_iso(local_text.removesuffix(LOCAL_SUFFIX).strip())
    if utc_text.startswith(NEVER_PREFIX) or local_text.startswith(NEVER_PREFIX):
        return "never", None, None
    if utc_text.endswith(LOCAL_SUFFIX):
        local_only = _parse_iso(utc_text.removesuffix(LOCAL_SUFFIX).strip()) or local
        return ("local-only", None, local_only) if local_only else ("unknown", None, None)
    utc = _parse_iso(utc_text)
    if utc is None:
        return ("local-only", None, local) if local else ("unknown", None, None)
    return "utc", utc.replace(tzinfo=UTC), local


def _parse_iso(text: str) -> datetime | None:
    if len(text) != 19 or text[10] != " ":
        return None
    try:
        return datetime.fromisoformat(text)  # much faster than strptime, same strict shape
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Summary:
    tables: int | None = None
    rows: int | None = None
    table_names: tuple[str, ...] = ()
    data_sources: tuple[str, ...] = ()
    generate_logfile: bool | None = None
    title: str = ""


def _summary_facts(root: ET.Element) -> _Summary:
    tables = (
        (t.findtext("Name") or "", t.findtext("IsSystem") or "", t.findtext("NoOfRows") or "")
        for t in root.iter("TableDescription")
    )
    sources = ((lineage.findtext("Discriminator") or "") for lineage in root.iter("LineageInfo"))
    return _summary(tables, sources, child_text(root, "GenerateLogfile"), child_text(root, "Title"))


def _summary(
    tables: Iterable[tuple[str, str, str]], discriminators: Iterable[str], generate_logfile: str, title: str
) -> _Summary:
    """The summary from each table's (Name, IsSystem, NoOfRows), each lineage's Discriminator and
    two top-level fields, as either reader found them (ElementTree or xmlfast; not yet stripped)."""
    # The per-table loop runs for every table of every document of a scan: the tests of as_bool /
    # as_int written out (same meaning), no helper calls.
    names: list[str] = []
    rows = 0
    for raw_name, is_system, raw_rows in tables:
        name = raw_name.strip()
        if is_system.strip().lower() == "true" or name.startswith("$$SysTable"):
            continue
        names.append(name)
        count = raw_rows.strip()
        rows += int(count) if count.isdecimal() else as_int(count) or 0
    sources: list[str] = []
    for raw in discriminators:
        disc = raw.strip()
        if disc and disc not in sources:
            sources.append(disc)
    return _Summary(
        tables=len(names),
        rows=rows,
        table_names=tuple(names),
        data_sources=tuple(sources),
        generate_logfile=as_bool(generate_logfile),
        title=title.strip(),
    )


def _load_info(doc: Container) -> bytes:
    doc.load_directory()
    raw = doc.read_item(INFO_ITEM, INFO_CAP) if doc.items else None
    if raw is not None:
        return raw
    found = doc.scan_for(b"<DocumentInfo>", b"</DocumentInfo>", INFO_CAP)
    if found is None:
        reason = doc.footer_problem or _("%(name)s has no %(item)s.") % {"name": doc.path.name, "item": INFO_ITEM}
        raise TruncatedDocumentError(_("%(reason)s No document information could be recovered.") % {"reason": reason})
    doc.recovered_by_scan = True
    return found


def _load_summary(doc: Container) -> bytes | None:
    if doc.recovered_by_scan:
        return doc.scan_for(b"<DocumentSummary>", b"</DocumentSummary>", SUMMARY_CAP)
    return doc.read_item(SUMMARY_ITEM, SUMMARY_CAP)


def read_document(path: Path | str, *, saving_build: bool = False, tail_window: int = TAIL_WINDOW) -> DocumentFacts:
    """Read a document's facts. Raises DocumentError (with a sentence) when it cannot.

    ``tail_window``: bytes read at once from the end (footer, directory, XML items); large where
    each read is a round trip, small on a local disk (see :mod:`~qvupload.documents.container`)."""
    path = path if isinstance(path, Path) else Path(path)
    quick = read_quick(path, tail_window, saving_build)  # the common case, straight through
    return quick if quick is not None else read_through_container(path, saving_build, tail_window)


def read_through_container(path: Path, saving_build: bool, tail_window: int) -> DocumentFacts:
    """The general path: any document, any damage (see :mod:`~qvupload.documents.quick`)."""
    for _attempt in range(2):
        with open_container(path, tail_window) as doc:
            before = (doc.size, doc.mtime_ns)
            try:
                facts: DocumentFacts | None = _read(doc, path, saving_build)
                problem: DocumentError | None = None
            except DocumentError as exc:
                facts, problem = None, exc
            if file_version(doc) == before:
                if problem is not None:
                    raise problem
                assert facts is not None
                return facts
    raise ChangingDocumentError(
        _(
            "%(name)s changed while it was being read, twice: another program is probably "
            "saving it. Scan it again once it is saved."
        )
        % {"name": path.name}
    )


INTERNAL_FIELDS = ("UtcLastReloadTimeISO", "LastReloadTimeISO", "HasSectionAccess", "WindowTitle")


def info_of(raw: bytes, path: Path) -> dict[str, str]:
    """The DocumentInternalInfo fields the reader uses."""
    internal = parse_xml(raw, what=INFO_ITEM, cap=INFO_CAP).find("DocumentInternalInfo")
    if internal is None:
        raise TruncatedDocumentError(
            _("%(name)s: its %(info_item)s has no DocumentInternalInfo.") % {"name": path.name, "info_item": INFO_ITEM}
        )
    return {name: (internal.findtext(name) or "").strip() for name in INTERNAL_FIELDS}  # as child_text


def _read(doc: Container, path: Path, saving_build: bool) -> DocumentFacts:
    internal = info_of(_load_info(doc), path)
    summary = _Summary()
    with contextlib.suppress(DocumentError):  # the reload time is what matters; tables stay unknown
        summary = summary_of(_load_summary(doc))
    build = read_saving_build(doc) if saving_build else None
    return make_facts(
        path, doc.size, doc.header.container, internal, summary, build, doc.mtime_ns, doc.recovered_by_scan,
        doc.bytes_read, doc.reads,
    )  # fmt: skip


def summary_of(raw: bytes | None) -> _Summary:
    """The facts of a DocumentSummary item (unknown when there is none or it cannot be parsed)."""
    if raw is None:
        return _Summary()
    if len(raw) >= xmlfast.LARGE:  # a real document's: without a tree when it has QlikView's shape
        fields = xmlfast.summary_fields(raw, SUMMARY_CAP)
        if fields is not None:
            return _summary(*fields)
    with contextlib.suppress(DocumentError):
        return _summary_facts(parse_xml(raw, what=SUMMARY_ITEM, cap=SUMMARY_CAP))
    return _Summary()


def make_facts(
    path: Path,
    size: int,
    container: str,
    internal: dict[str, str],
    summary: _Summary,
    build: int | None,
    mtime_ns: int,
    recovered: bool,
    bytes_read: int,
    reads: int,
) -> DocumentFacts:
    kind, utc, local = parse_reload_times(internal["UtcLastReloadTimeISO"], internal["LastReloadTimeISO"])
    return DocumentFacts(
        path=path,
        size=size,
        container=container,
        reload_time_kind=kind,
        last_reload_utc=utc,
        last_reload_local=local,
        has_section_access=as_bool(internal["HasSectionAccess"]),
        window_title=internal["WindowTitle"],
        title=summary.title,
        tables=summary.tables,
        rows=summary.rows,
        table_names=summary.table_names,
        data_sources=summary.data_sources,
        generate_logfile=summary.generate_logfile,
        saving_build=build,
        file_modified_utc=datetime.fromtimestamp(mtime_ns / 1e9, UTC),
        recovered_by_scan=recovered,
        bytes_read=bytes_read,
        reads=reads,
    )
