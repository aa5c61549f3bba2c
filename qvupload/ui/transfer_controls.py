"""The transfers panel's side of the window: the panel itself (the table, the overall progress, the
totals and the controls: pause, resume, cancel, retry failed), queue events to the table and the
totals, the summary and the desktop notification. A mixin of MainWindow, kept apart to keep each
file small."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from qvupload.i18n import N_, _
from qvupload.timefmt import format_left
from qvupload.transfers.model import Job, JobState
from qvupload.ui.localfmt import number
from qvupload.ui.widgets import ProgressDelegate

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Coroutine

    from PySide6.QtCore import QObject
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QStatusBar, QTableView

    from qvupload.transfers import Event
    from qvupload.ui.models import DocumentsModel, TransfersModel
    from qvupload.ui.session import Session


class TransferControls:
    """Needs these from the window it is mixed into (MainWindow)."""

    session: Session
    app_ids: dict[Path, str]
    documents: DocumentsModel
    transfers: TransfersModel
    transfers_view: QTableView
    overall: QProgressBar
    totals_label: QLabel
    message: QLabel

    if TYPE_CHECKING:

        def say(self, text: str, *, error: bool = False, cause: BaseException | None = None) -> None: ...
        def run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]: ...
        def statusBar(self) -> QStatusBar: ...
        def windowIcon(self) -> QIcon: ...

    def transfers_panel(self) -> QWidget:
        """The transfers table (``transfers_view``, made by the window) with the overall progress, the
        totals and the four controls under it."""
        view = self.transfers_view
        view.setItemDelegateForColumn(3, ProgressDelegate(view))
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for column, width in ((0, 220), (2, 150)):  # a document's name and "done (uploaded)" on one line
            view.setColumnWidth(column, width)
        transfers_box = QWidget()
        tlayout = QVBoxLayout(transfers_box)
        tlayout.setContentsMargins(0, 0, 0, 0)
        tlayout.addWidget(self.transfers_view)
        controls = QHBoxLayout()
        self.overall = QProgressBar()
        self.overall.setAccessibleName(_("Overall progress"))
        self.totals_label = QLabel(_("No transfers yet."))
        controls.addWidget(self.overall, 2)
        controls.addWidget(self.totals_label, 3)
        for text, tip, slot in (
            (N_("&Pause"), N_("Pause the selected transfers (all of them when none is selected)"), self.pause_selected),
            (
                N_("&Resume"),
                N_("Resume the selected transfers (all of them when none is selected)"),
                self.resume_selected,
            ),
            (
                N_("&Cancel"),
                N_("Cancel the selected transfers (all of them when none is selected)"),
                self.cancel_selected,
            ),
            (N_("Retr&y failed"), N_("Try every failed transfer again"), self.retry_failed),
        ):
            button = QPushButton(_(text))
            button.setToolTip(_(tip))
            button.clicked.connect(slot)
            controls.addWidget(button)
        tlayout.addLayout(controls)
        return transfers_box

    def notify(self, title: str, text: str) -> None:
        """A desktop notification where the desktop offers one, else the status bar."""
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if not hasattr(self, "tray"):
                self.tray = QSystemTrayIcon(self.windowIcon(), cast("QObject", self))
            self.tray.show()
            self.tray.showMessage(title, text)
        if text != self.message.text():  # the message line already says it: not twice at the bottom
            self.statusBar().showMessage(text, 15000)

    def summarise(self) -> None:
        queue = self.session.queue
        if queue is None:
            return
        jobs = list(queue.jobs.values())
        done = sum(1 for j in jobs if j.job_state is JobState.DONE and j.outcome != "skipped")
        failed = sum(1 for j in jobs if j.job_state is JobState.FAILED)
        skipped = sum(1 for j in jobs if j.outcome == "skipped")
        self.say(
            (
                _("Transfers finished: %(done)s uploaded, %(skipped)s skipped, %(failed)s failed.")
                % {"done": done, "skipped": skipped, "failed": failed}
            ),
            error=bool(failed),
        )

    def on_queue_event(self, event: Event) -> None:
        job, totals = event.job, event.totals
        self.transfers.update_job(job, progress_only=event.kind == "progress", speed=event.speed, eta=event.eta)
        if event.kind == "state":
            path = Path(job.path)
            if job.app_id:
                self.app_ids[path] = job.app_id
            status = job.outcome if job.job_state.terminal else job.state
            self.documents.set_cloud_status(path, status)
        if totals.bytes_total:
            self.overall.setValue(int(100 * totals.bytes_done / totals.bytes_total))
        values = {
            "finished": totals.finished,
            "jobs": totals.jobs,
            "done": number(totals.bytes_done / 1e6, 1),
            "total": number(totals.bytes_total / 1e6, 1),
            "speed": number(totals.speed / 1e6, 1),
        }
        if totals.eta:
            text = _("%(finished)s/%(jobs)s done; %(done)s of %(total)s MB at %(speed)s MB/s, about %(left)s left") % {
                **values,
                "left": format_left(totals.eta),
            }
        else:
            text = _("%(finished)s/%(jobs)s done; %(done)s of %(total)s MB at %(speed)s MB/s") % values
        self.totals_label.setText(text)

    def _selected_jobs(self) -> list[Job]:
        rows = {i.row() for i in self.transfers_view.selectionModel().selectedRows()}
        return [self.transfers.job_at(r) for r in sorted(rows)] or list(self.transfers.jobs)

    def pause_selected(self) -> None:
        if self.session.queue:
            for job in self._selected_jobs():
                self.session.queue.pause(job.id)

    def resume_selected(self) -> None:
        queue = self.session.queue
        if queue:
            for job in self._selected_jobs():
                queue.resume(job.id)
            self.run(queue.run())

    def cancel_selected(self) -> None:
        if self.session.queue:
            for job in self._selected_jobs():
                self.session.queue.cancel(job.id)

    def retry_failed(self) -> None:
        queue = self.session.queue
        if queue:
            queue.retry_failed()
            self.run(queue.run())
