"""The rest of the migration in the window: Documents > "Link to QlikView Server..." (AccessPoint
links for documents that stay on the server) and Documents > "Assessment report...".

Both call the same core as ``qvupload link`` and ``qvupload assess``; these dialogs only present it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qvupload.cloud.errors import CloudError
from qvupload.cloud.links import LinkError
from qvupload.i18n import _

if TYPE_CHECKING:
    from qvupload.cloud.client import CloudClient
    from qvupload.links.run import LinkResult
    from qvupload.links.settings import LinkSettings, LinkSettingsStore
    from qvupload.transfers.store import TransferStore


def _labelled(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


class LinkDialog(QDialog):
    """AccessPoint address and folder mappings (saved per profile), a space, a preview, then the links."""

    def __init__(
        self,
        parent: QWidget | None,
        client: CloudClient,
        store: TransferStore,
        settings_store: LinkSettingsStore,
        settings_key: str,
        spaces: list[dict[str, Any]],
        documents: list[Path],
    ) -> None:
        super().__init__(parent)
        self.client, self.store, self.documents = client, store, documents
        self.settings_store, self.settings_key = settings_store, settings_key
        saved = settings_store.get(settings_key)
        self.setWindowTitle(_("Link to QlikView Server"))
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "%(documents)s document(s) stay on the QlikView Server: each gets a link in Qlik "
                "Cloud that opens it on the AccessPoint. Links that are already there are left "
                "as they are."
            )
            % {"documents": len(documents)}
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.accesspoint = QLineEdit(saved.accesspoint)
        self.accesspoint.setPlaceholderText("https://qlikview.example.com")
        self.accesspoint.setAccessibleName(_("AccessPoint address"))
        self.folders = QPlainTextEdit("\n".join(f"{m.local} = {m.server}" for m in saved.folders))
        self.folders.setPlaceholderText(_("\\\\qvs01\\Documents = \n/mnt/qlikview/Finance = Finance"))
        self.folders.setAccessibleName(_("Folder mappings"))
        self.folders.setTabChangesFocus(True)
        self.folders.setFixedHeight(72)
        self.space = QComboBox()
        self.space.setAccessibleName(_("Space"))
        for space in spaces:
            self.space.addItem(f"{space['name']} ({space.get('type')})", space.get("id"))
        form.addRow(_labelled(_("&AccessPoint:"), self.accesspoint), self.accesspoint)
        form.addRow(_labelled(_("&Folders (local = server):"), self.folders), self.folders)
        form.addRow(_labelled(_("&Space:"), self.space), self.space)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.preview = QPushButton(_("&Preview (dry run)"))
        self.run_button = QPushButton(_("Add &links"))
        self.run_button.setEnabled(False)
        for button in (self.preview, self.run_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.results = QListWidget()
        self.results.setAccessibleName(_("Links"))
        layout.addWidget(self.results)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.task: asyncio.Task[Any] | None = None
        self.preview.clicked.connect(lambda: self._go(self.dry_run()))
        self.run_button.clicked.connect(lambda: self._go(self.execute()))

    def _go(self, coro: Any) -> None:
        self.task = asyncio.ensure_future(coro)

    def settings(self) -> LinkSettings:
        from qvupload.links.settings import LinkSettings, parse_map

        maps = [parse_map(line) for line in self.folders.toPlainText().splitlines() if line.strip()]
        return LinkSettings(self.accesspoint.text().strip(), maps).checked()

    async def _run(self, dry_run: bool) -> list[LinkResult]:
        from qvupload.links.run import run_links, targets_from_paths

        self.results.clear()
        try:
            settings = self.settings()
        except LinkError as exc:
            self.status.setText(str(exc))
            return []
        await asyncio.to_thread(self.settings_store.save, self.settings_key, settings)
        space = str(self.space.currentData() or "")
        targets = await asyncio.to_thread(targets_from_paths, self.documents, space, settings)  # file system

        def show(result: LinkResult) -> None:
            self.results.addItem(f"{result.status:8}  {result.message}")

        try:
            return await run_links(
                self.client, targets, dry_run=dry_run, store=None if dry_run else self.store, on_result=show
            )
        except CloudError as exc:
            self.status.setText(str(exc))
            return []

    async def dry_run(self) -> None:
        results = await self._run(True)
        todo = sum(1 for r in results if r.status == "create")
        there = sum(1 for r in results if r.status == "exists")
        problems = sum(1 for r in results if r.status == "failed")
        self.run_button.setEnabled(todo > 0 and problems == 0)
        if results:
            self.status.setText(
                _("%(todo)s to add, %(there)s already there, %(problems)s with problems. Nothing has changed yet.")
                % {"todo": todo, "there": there, "problems": problems}
            )

    async def execute(self) -> None:
        self.run_button.setEnabled(False)
        results = await self._run(False)
        made = sum(1 for r in results if r.status == "created")
        failed = sum(1 for r in results if r.status == "failed")
        if results:
            self.status.setText(
                _("Finished: %(made)s added, %(value)s already there, %(failed)s failed. The ledger has each one.")
                % {"made": made, "value": len(results) - made - failed, "failed": failed}
            )


class AssessmentDialog(QDialog):
    """Which documents, the server's session logs (optional) and where the report goes; then the report."""

    def __init__(self, parent: QWidget | None, documents: list[Path], stale_after_days: float) -> None:
        super().__init__(parent)
        self.documents, self.stale_after_days = documents, stale_after_days
        self.report_path: Path | None = None
        self.setWindowTitle(_("Assessment report"))
        self.resize(640, 260)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "A report on the %(documents)s document(s) in the list: sizes, freshness, Qlik "
                "Cloud's limits, section access, data sources and a route for each. It is one "
                "HTML file (with a CSV beside it) to open in a browser, print or send."
            )
            % {"documents": len(documents)}
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.logs = QLineEdit()
        self.logs.setPlaceholderText(_("optional: the QlikView Server's log folder (Sessions*.log)"))
        self.logs.setAccessibleName(_("Session logs folder"))
        self.report = QLineEdit(str(Path.home() / "qlikview-assessment.html"))
        self.report.setAccessibleName(_("Report file"))
        logs_row, report_row = QHBoxLayout(), QHBoxLayout()
        self.browse_logs = QPushButton(_("&Browse..."))
        self.browse_report = QPushButton(_("Cho&ose..."))
        for row, edit, button in (
            (logs_row, self.logs, self.browse_logs),
            (report_row, self.report, self.browse_report),
        ):
            button.setAutoDefault(False)
            row.addWidget(edit)
            row.addWidget(button)
        form.addRow(_labelled(_("Session &logs:"), self.logs), logs_row)
        form.addRow(_labelled(_("&Report:"), self.report), report_row)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.make = QPushButton(_("&Make report"))
        self.make.setDefault(True)
        self.open_button = QPushButton(_("O&pen report"))
        self.open_button.setEnabled(False)
        self.open_after = QCheckBox(_("Open when &done"))
        self.open_after.setChecked(True)
        buttons.addWidget(self.make)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.open_after)
        layout.addLayout(buttons)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Result"))
        layout.addWidget(self.status)
        self.task: asyncio.Task[Any] | None = None
        self.browse_logs.clicked.connect(self.choose_logs)
        self.browse_report.clicked.connect(self.choose_report)
        self.make.clicked.connect(lambda: setattr(self, "task", asyncio.ensure_future(self.build())))
        self.open_button.clicked.connect(self.open_report)

    def choose_logs(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("The QlikView Server's log folder"))
        if folder:
            self.logs.setText(folder)

    def choose_report(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the report"), self.report.text(), "HTML (*.html)")
        if name:
            self.report.setText(name)

    def open_report(self) -> None:
        if self.report_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report_path)))

    async def build(self) -> None:
        from datetime import timedelta

        from qvupload.assessment import build_assessment
        from qvupload.assessment.files import ReportError, summary_lines, write_reports

        logs_text = self.logs.text().strip()
        logs = Path(logs_text) if logs_text else None
        if logs is not None and not logs.is_dir():
            self.status.setText(_("The log folder %(logs)s is not a folder.") % {"logs": logs})
            return
        target = Path(self.report.text().strip()).expanduser()
        self.make.setEnabled(False)
        self.status.setText(_("Reading the documents and the logs..."))

        def work() -> list[str]:
            assessment = build_assessment(
                self.documents, usage_logs=logs, stale_after=timedelta(days=self.stale_after_days)
            )
            write_reports(assessment, target)
            return summary_lines(assessment)

        try:
            lines = await asyncio.to_thread(work)
        except ReportError as exc:
            self.status.setText(str(exc))
            return
        finally:
            self.make.setEnabled(True)
        self.report_path = target
        self.open_button.setEnabled(True)
        written = _("Written to %(path)s (and %(csv)s).") % {"path": target, "csv": target.with_suffix(".csv").name}
        self.status.setText("\n".join([*lines, written]))
        if self.open_after.isChecked():
            self.open_report()


def _documents(window: Any) -> list[Path]:
    """The selected documents, or every readable document in the list when none is selected."""
    rows = window.selected_rows() or window.documents.rows
    return [r.result.path for r in rows if r.result.error is None]


async def open_links(window: Any) -> LinkDialog | None:
    """Documents > Link to QlikView Server..."""
    from qvupload.links.settings import LinkSettingsStore
    from qvupload.paths import config_dir

    session = window.session
    if session.client is None:
        window.say(_("Sign in first: the File menu has Sign in."), error=True)
        return None
    documents = _documents(window)
    if not documents:
        window.say(_("Add the documents that stay on the QlikView Server first (File > Add files or Add folder)."))
        return None
    spaces = [*await session.spaces("shared"), *await session.spaces("managed")]
    key = session.profile or f"tenant {session.tenant}"
    dialog = LinkDialog(
        window, session.client, session.open_store(), LinkSettingsStore(config_dir()), key, spaces, documents
    )
    dialog.open()
    return dialog


def open_assessment(window: Any) -> AssessmentDialog | None:
    """Documents > Assessment report..."""
    documents = _documents(window)
    if not documents:
        window.say(_("Add documents or folders first (File > Add files or Add folder); the report covers them."))
        return None
    dialog = AssessmentDialog(window, documents, float(window.prefs.stale_after_days))
    dialog.open()
    return dialog
