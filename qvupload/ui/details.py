"""The details pane: everything the scan knows about the selected document, in words, and what
happened to it in the cloud (the app, its space, its published copies) with "Open in Qlik Cloud"
links. Also the "Open in Qlik Cloud" entries of the two tables' context menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QTextBrowser

from qvupload.cloud.errors import CloudError
from qvupload.i18n import N_, _
from qvupload.timefmt import format_age
from qvupload.ui.localfmt import date_time, number
from qvupload.ui.models import ROW_ROLE, human_size

if TYPE_CHECKING:
    import asyncio  # annotations only: the window shows before asyncio loads

    from qvupload.cloud.appref import Candidate
    from qvupload.ui.main_window import MainWindow
    from qvupload.ui.models import DocumentRow

VERDICT_WORDS = {
    "fresh": N_("Fresh: its data is recent enough to upload."),
    "stale": N_("Stale: its data is older than your limit; in the cloud it cannot be reloaded."),
    "unknown": N_("Unknown: the document does not say when its data was loaded."),
    "error": N_("Not readable: this file cannot be uploaded."),
}
EVIDENCE_WORDS = {
    "verified": N_("verified (a log or a QVD confirms the reload time)"),
    "reported": N_("reported by the document itself (nothing next to it confirms it)"),
    "approximate": N_("approximate (recorded without a time zone: judged with a margin of -12/+14 hours)"),
    "unsaved-reload": N_("a later reload was logged but never saved into the file"),
    "unknown": N_("unknown"),
}
EVIDENCE_KINDS = {
    "log": N_("Reload log"),
    "qvd-stored": N_("QVD the document stores"),
    "qvd-loaded": N_("QVD the document loads"),
}
SECTION_ACCESS = {
    True: N_("yes: the app applies it in the cloud too"),
    False: N_("no"),
    None: N_("not known"),
}
# messages used inside f-strings below, where the extractor does not look: named here so they are catalogued
IN_F_STRINGS = (
    N_("What the document says"),
    N_("In Qlik Cloud"),
    N_("Not uploaded yet."),
    N_("Open in Qlik Cloud"),
    N_("Open the published copy"),
    N_("Select a document to see what qvupload knows about it."),
)
open_url: Callable[[str], Any] = lambda url: QDesktopServices.openUrl(QUrl(url))  # noqa: E731 - tests swap it


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _e(text: object) -> str:
    """Text made safe inside the pane's HTML (as html.escape does; that module and its entity table
    would load before the window shows, since the empty pane's placeholder goes through here)."""
    return str(text).translate(_ESCAPES)


def document_html(row: DocumentRow, cloud: str = "") -> str:
    """The scan's facts about one document, as the pane shows them; ``cloud`` (what happened to
    it in the cloud) comes right after the verdict, where it is seen without scrolling."""
    result, facts, fresh = row.result, row.result.facts, row.result.freshness
    parts = [f"<h3>{_e(result.path.name)}</h3>", f"<p style='color:gray'>{_e(result.path.parent)}</p>"]
    parts.append(f"<p><b>{_e(_(VERDICT_WORDS[row.verdict]))}</b><br>{_e(row.reason)}</p>")
    parts.append(cloud)
    if facts is None:
        return "".join(parts)
    rows: list[tuple[str, str]] = []
    if fresh is not None:
        rows.append((_("Reload time"), _(EVIDENCE_WORDS.get(fresh.state, fresh.state))))
        if fresh.age is not None:
            rows.append((_("Data age"), format_age(fresh.age)))
        for ev in fresh.evidence:
            v = {"kind": _(EVIDENCE_KINDS.get(ev.kind, ev.kind)), "file": ev.path.name, "note": ev.note}
            if ev.time_utc:
                v["when"] = date_time(ev.time_utc.astimezone())
                rows.append((_("Evidence"), _("%(kind)s %(file)s (%(when)s): %(note)s") % v))
            else:
                rows.append((_("Evidence"), _("%(kind)s %(file)s: %(note)s") % v))
    if facts.tables is not None:
        counts = {"tables": number(facts.tables), "rows": number(facts.rows or 0)}
        rows.append((_("Tables and rows"), _("%(tables)s tables, %(rows)s rows") % counts))
    if facts.table_names:
        rows.append((_("Tables"), ", ".join(facts.table_names[:12]) + (" ..." if len(facts.table_names) > 12 else "")))
    rows.append((_("Section access"), _(SECTION_ACCESS[facts.has_section_access])))
    rows.append((_("Size"), human_size(facts.size)))
    if facts.saving_build:
        from qvupload.documents.builds import build_label  # here: the window starts without the reader

        rows.append((_("Saved with"), build_label(facts.saving_build, long=True)))
    for source in facts.data_sources[:10]:
        from qvupload.documents.inventory import redact_source

        rows.append((_("Data source"), redact_source(source)))
    parts.append(f"<h4>{_e(_('What the document says'))}</h4><table cellspacing='2'>")
    parts += [f"<tr><td><b>{_e(k)}</b>&nbsp;</td><td>{_e(v)}</td></tr>" for k, v in rows]
    parts.append("</table>")
    return "".join(parts)


def _link(tenant: str, candidate: Candidate, text: str) -> str:
    from qvupload.cloud.appref import app_url

    url = app_url(tenant, candidate.item)
    return f"<a href='{_e(url)}'>{_e(text)}</a>" if url else _e(text)


def cloud_html(tenant: str, app: Candidate | None, copies: list[Candidate], status: str) -> str:
    if app is None:
        return f"<h4>{_e(_('In Qlik Cloud'))}</h4><p>{_e(status or _('Not uploaded yet.'))}</p>"
    where = {"name": f"<b>{_e(app.name)}</b>", "space": _e(app.space_label), "id": _e(app.app_id)}
    lines = [
        f"<h4>{_e(_('In Qlik Cloud'))}</h4>",
        "<p>"
        + _("App %(name)s in %(space)s (app id %(id)s).") % where
        + f" {_link(tenant, app, _('Open in Qlik Cloud'))}</p>",
    ]
    for copy in copies:
        text = _("Published copy in %(space)s.") % {"space": _e(copy.space_label)}
        lines.append(f"<p>{text} {_link(tenant, copy, _('Open the published copy'))}</p>")
    return "".join(lines)


class DetailsPane(QTextBrowser):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_("Document details"))
        self.setOpenLinks(False)
        self.setTabChangesFocus(True)  # Tab moves on to the transfers, as in every other control
        self.anchorClicked.connect(lambda url: open_url(url.toString()))
        self.setMinimumWidth(240)
        self.setMaximumWidth(360)
        self.row: DocumentRow | None = None
        self.cloud = ""
        self.task: asyncio.Task[Any] | None = None
        self.setHtml(f"<p style='color:gray'>{_e(_('Select a document to see what qvupload knows about it.'))}</p>")

    def show_row(self, row: DocumentRow | None) -> None:
        self.row, self.cloud = row, ""
        self._render()

    def _render(self) -> None:
        if self.row is None:
            self.setHtml(f"<p style='color:gray'>{_e(_('Select a document to see what qvupload knows about it.'))}</p>")
            return
        self.setHtml(document_html(self.row, self.cloud))

    async def load_cloud(self, window: MainWindow, row: DocumentRow) -> None:
        """What happened to the document in the cloud, read from the tenant (never blocking the window)."""
        from qvupload.cloud.appref import whereabouts

        client, app_id = window.session.client, window.app_ids.get(row.result.path)
        if client is None or not app_id:
            self.cloud = cloud_html(window.session.tenant, None, [], row.cloud)
        else:
            try:
                app, copies = await whereabouts(client, app_id)
            except CloudError as exc:
                self.cloud = f"<h4>In Qlik Cloud</h4><p>{_e(exc)}</p>"
            else:
                self.cloud = cloud_html(window.session.tenant, app, copies, row.cloud)
        if self.row is row:
            self._render()


def refresh_details(window: MainWindow) -> None:
    """Show the current document; its cloud part follows (the previous look-up is cancelled)."""
    pane: DetailsPane = window.details_pane
    index = window.documents_view.currentIndex()
    row = window.filter.data(index, ROW_ROLE) if index.isValid() else None
    pane.show_row(row)
    if pane.task is not None and not pane.task.done():
        pane.task.cancel()
    pane.task = window.run(pane.load_cloud(window, row)) if row is not None else None


def install(window: MainWindow) -> None:
    """The pane follows the selection; both tables get "Open in Qlik Cloud" in their context menus."""
    window.documents_view.selectionModel().currentRowChanged.connect(lambda *_: refresh_details(window))
    for view, app_ids in (
        (window.documents_view, lambda: _selected_document_apps(window)),
        (window.transfers_view, lambda: _selected_transfer_apps(window)),
    ):
        action = QAction(_("&Open in Qlik Cloud"), window)
        action.triggered.connect(lambda checked=False, ids=app_ids: open_apps(window, ids()))
        view.addAction(action)


def _selected_document_apps(window: MainWindow) -> list[str]:
    rows = [window.filter.data(i, ROW_ROLE) for i in window.documents_view.selectionModel().selectedRows()]
    return [window.app_ids[r.result.path] for r in rows if r.result.path in window.app_ids]


def _selected_transfer_apps(window: MainWindow) -> list[str]:
    rows = sorted({i.row() for i in window.transfers_view.selectionModel().selectedRows()})
    jobs = [window.transfers.job_at(r) for r in rows]
    return [j.published_app_id or j.app_id for j in jobs if j.published_app_id or j.app_id]


def open_apps(window: MainWindow, app_ids: list[str]) -> list[str]:
    """Open each app in the tenant's hub; returns the addresses opened."""
    from qvupload.cloud.appref import app_url

    if not app_ids:
        window.say(
            _("Select an uploaded document or transfer first: only apps in the cloud can be opened."), error=True
        )
        return []
    urls = [app_url(window.session.tenant, {"resourceId": app_id}) for app_id in app_ids]
    for url in urls:
        open_url(url)
    return urls
