"""The main window: the composition root. Documents in, transfers out; no logic of its own beyond
wiring the core's public functions to widgets."""

from __future__ import annotations

import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qvupload.cloud.errors import CloudError
from qvupload.i18n import N_, _, ngettext
from qvupload.transfers.model import DuplicatePolicy, Job, JobState
from qvupload.ui.menus import build_menus
from qvupload.ui.models import ROW_ROLE, DocumentRow, DocumentsFilter, DocumentsModel, TransfersModel
from qvupload.ui.preferences import Preferences
from qvupload.ui.session import Session
from qvupload.ui.transfer_controls import TransferControls
from qvupload.ui.widgets import DropZone
from qvupload.ui.window_actions import WindowActions

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtGui import QCloseEvent


SIGN_IN_AGAIN = N_("Sign in again")  # how a SignInError's message ends (qvupload.cloud.errors)


class MainWindow(TransferControls, WindowActions, QMainWindow):
    def __init__(
        self, session: Session, *, banner: str = "", settings: QSettings | None = None, prefs_folder: Path | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.prefs_folder = prefs_folder
        self.prefs = Preferences.load(prefs_folder) if prefs_folder else Preferences()
        session.concurrency = self.prefs.concurrency
        self.tasks: set[asyncio.Task[Any]] = set()  # strong references to running coroutines
        self.scan_cancel = threading.Event()  # set on close: a running scan stops between two files
        self.app_ids: dict[Path, str] = {}
        self.setWindowTitle("qvupload")
        self.documents = DocumentsModel()
        self.filter = DocumentsFilter()
        self.filter.setSourceModel(self.documents)
        self.transfers = TransfersModel()
        self._build(banner)
        session.bridge.changed.connect(self.on_queue_event)
        if settings is not None and settings.value("geometry") is not None:
            self.restoreGeometry(settings.value("geometry"))
        else:
            self.resize(1100, 720)

    # -- layout ----------------------------------------------------------------------------------
    def _build(self, banner: str) -> None:
        root = QWidget()
        layout = QVBoxLayout(root)
        if banner:
            self.banner = QLabel(banner)
            self.banner.setObjectName("banner")
            self.banner.setStyleSheet("#banner { background: #e3f2fd; padding: 6px; border-radius: 4px; }")
            layout.addWidget(self.banner)
        self.drop_zone = DropZone()
        self.drop_zone.dropped.connect(self.add_paths)
        layout.addWidget(self.drop_zone)
        bar = QHBoxLayout()
        self.add_files_button = QPushButton(_("Add f&iles..."))
        self.add_folder_button = QPushButton(_("Add f&older..."))
        self.only_stale = QCheckBox(_("Only &stale"))
        self.only_stale.toggled.connect(self.filter.set_only_stale)
        self.target = QComboBox()
        self.target.setAccessibleName(_("Upload target"))
        self.target.addItem(_("Personal space"), "personal")
        self.target.setToolTip(_("Managed spaces receive published copies; shared spaces receive the app itself."))
        self.upload_button = QPushButton(_("&Upload"))
        self.upload_button.setDefault(True)
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.upload_button.clicked.connect(lambda: self.run(self.upload()))
        for widget in (self.add_files_button, self.add_folder_button, self.only_stale):
            bar.addWidget(widget)
        bar.addStretch()
        target_label = QLabel(_("Up&load to:"))
        target_label.setBuddy(self.target)
        bar.addWidget(target_label)
        bar.addWidget(self.target)
        bar.addWidget(self.upload_button)
        layout.addLayout(bar)
        self.scan_label = QLabel("")
        layout.addWidget(self.scan_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.documents_view = self._table(self.filter, "Documents")
        self.documents_view.setSortingEnabled(True)
        # listed in the order the scan found them (as `scan` prints them); a header click sorts, from
        # the smallest up, and a third click on it gives that order back. Qt's own start is by name,
        # Z to A, and every new row then costs a dozen comparisons (on a slow share, the window's stalls)
        self.documents_view.horizontalHeader().setSortIndicatorClearable(True)
        self.documents_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.documents_view.setWordWrap(False)  # one line a document: long folders elide in the middle
        self.documents_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.transfers_view = self._table(self.transfers, "Transfers")
        from qvupload.ui.details import DetailsPane

        self.details_pane = DetailsPane()
        documents_row = QSplitter(Qt.Orientation.Horizontal)
        documents_row.addWidget(self.documents_view)
        documents_row.addWidget(self.details_pane)
        documents_row.setStretchFactor(0, 4)
        documents_row.setStretchFactor(1, 1)
        splitter.addWidget(documents_row)
        splitter.addWidget(self.transfers_panel())
        layout.addWidget(splitter, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(_("D&etails..."))
        self.details_button.setToolTip(_("What the tenant answered: status, request, error code and trace id"))
        self.details_button.clicked.connect(self.show_details)
        self.details_button.hide()
        self.details = ""
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.details_button)
        layout.addLayout(message_row)
        self.setCentralWidget(root)
        self.user_label = QLabel(_("Not signed in"))
        self.statusBar().addPermanentWidget(self.user_label)
        self.recent_menu, self.profiles_menu = build_menus(self)
        from qvupload.ui import details

        details.install(self)
        self.fill_recent_menu()
        self.profiles_menu.aboutToShow.connect(self.fill_profiles_menu)

    def _table(self, model: Any, name: str) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAccessibleName(name)
        view.setTabKeyNavigation(False)  # Tab moves on to the next control; the arrow keys move within the table
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setStretchLastSection(True)
        # fitting the columns asks only the rows in view (Qt's default asks up to 1,000: with thousands of
        # documents listed, a second or more of a frozen window after each scan)
        view.horizontalHeader().setResizeContentsPrecision(0)
        view.verticalHeader().setVisible(False)
        return view

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.prefs.recent_folders:
            action = self.recent_menu.addAction(folder)
            action.triggered.connect(lambda checked=False, f=folder: self.add_paths([Path(f)]))
        self.recent_menu.setEnabled(bool(self.prefs.recent_folders))

    def save_preferences(self) -> None:
        if self.prefs_folder is not None:
            self.prefs.save(self.prefs_folder)

    def select_default_target(self) -> None:
        self.target.setCurrentIndex(max(0, self.target.findData(self.prefs.default_target)))

    # -- helpers ---------------------------------------------------------------------------------
    def run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Start work of the window; it belongs to the session (cancelled and awaited before its
        client closes), and the window also cancels it when it closes."""
        task = self.session.spawn(self._guarded(coro), on_error=self.show_failure)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def refresh_details(self) -> None:
        from qvupload.ui.details import refresh_details

        refresh_details(self)

    async def _guarded(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await coro
        except CloudError as exc:
            self.say(str(exc), error=True, cause=exc)
        return None

    def show_failure(self, exc: Exception) -> None:
        """An unexpected failure of background work: a sentence in place, not a crash dialog."""
        self.say(
            (
                _(
                    "That did not finish because of an unexpected error (%(name)s: %(exc)s). Try "
                    "again; if it happens again, report it with the log."
                )
                % {"name": type(exc).__name__, "exc": exc}
            ),
            error=True,
        )

    def say(self, text: str, *, error: bool = False, cause: BaseException | None = None) -> None:
        """A message in place; a tenant error's details (for a support case) are one click away."""
        self.message.setStyleSheet("color: #c62828;" if error else "")
        self.message.setText(text)
        self.details = cause.details() if isinstance(cause, CloudError) else ""
        self.details_button.setVisible(bool(self.details))

    def show_details(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(_("What happened"))
        box.setText(self.message.text())
        box.setInformativeText(self.details)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to copy into a support case
        box.open()

    def show_signed_in(self) -> None:
        s = self.session
        self.user_label.setText(
            _("%(user)s on %(tenant)s") % {"user": s.user_label, "tenant": s.tenant}
            if s.signed_in
            else _("Not signed in")
        )
        if s.stores is not None and s.stores.secrets.insecure:
            from qvupload.auth.secrets import plaintext_protection

            self.say(
                _(
                    "Warning: your sign-in is kept in a plain file, not in the system keyring (you turned this on). "
                    "%(protection)s"
                )
                % {"protection": plaintext_protection()},
                error=True,
            )
        self.run(self.load_targets())

    async def load_targets(self) -> None:
        self.target.clear()
        self.target.addItem(_("Personal space"), "personal")
        for kind, label in (("shared", N_("%(name)s (shared)")), ("managed", N_("%(name)s (managed: published copy)"))):
            for space in await self.session.spaces(kind):
                self.target.addItem(_(label) % {"name": space["name"]}, f"{kind}:{space['id']}")
        self.select_default_target()

    # -- documents -------------------------------------------------------------------------------
    def choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        files, _filter = QFileDialog.getOpenFileNames(
            self, _("Add QlikView documents"), "", "QlikView (*.qvw *.qvf);;All (*)"
        )
        if files:
            self.add_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, _("Add a folder of QlikView documents"))
        if folder:
            self.add_paths([Path(folder)])

    def remove_selected(self) -> None:
        """Take the selected documents off the list; the files themselves are not touched."""
        paths = {self.filter.data(i, ROW_ROLE).result.path for i in self.documents_view.selectionModel().selectedRows()}
        if paths:
            self.documents.remove_paths(paths)
            self.say(_("%(paths)s documents taken off the list (the files are untouched).") % {"paths": len(paths)})

    def add_paths(self, paths: list[Path]) -> None:
        for folder in (p for p in paths if p.is_dir()):
            self.prefs.remember_folder(folder)
        self.save_preferences()
        self.fill_recent_menu()
        self.run(self.scan(paths))

    async def scan(self, paths: list[Path]) -> None:
        """Scan in a worker thread; rows arrive in batches so the window never freezes."""
        from qvupload.ui.window_scan import scan_into

        await scan_into(self, paths)

    def selected_rows(self) -> list[DocumentRow]:
        indexes = self.documents_view.selectionModel().selectedRows()
        rows = [self.filter.data(i, ROW_ROLE) for i in indexes]
        return rows or [self.filter.data(self.filter.index(r, 0), ROW_ROLE) for r in range(self.filter.rowCount())]

    # -- uploading -------------------------------------------------------------------------------
    async def ask_duplicate(self, job: Job, existing: list[dict[str, Any]]) -> DuplicatePolicy:
        from qvupload.ui.dialogs import DuplicateDialog, ask

        dialog = DuplicateDialog(self, job.name)
        await ask(dialog)
        return DuplicatePolicy(dialog.choice())

    async def upload(self) -> None:
        queue = self.session.queue
        if queue is None:
            self.say(_("Sign in first: the File menu has Sign in."), error=True)
            return
        rows = [r for r in self.selected_rows() if r.result.error is None]
        if not rows:
            self.say(_("There is nothing to upload: add QlikView documents first."), error=True)
            return
        from qvupload.ui.dialogs import SKIP_STALE, UPLOAD_ANYWAY, StaleConfirmDialog, ask

        stale = [r for r in rows if r.verdict != "fresh"]
        allow_stale = False
        if stale:
            choice = await ask(StaleConfirmDialog(self, stale))
            if choice == SKIP_STALE:
                rows = [r for r in rows if r.verdict == "fresh"]
            elif choice != UPLOAD_ANYWAY:
                return
            allow_stale = choice == UPLOAD_ANYWAY
        target = str(self.target.currentData() or "personal")
        from qvupload.auth.lifetime import sign_in_warning

        client = self.session.client
        hint = _("Sign in again first (File > Sign in) so that a long batch finishes.")
        warning = sign_in_warning(client.credentials, hint) if client is not None else None
        queue.add([r.result.path for r in rows], target, policy=self.prefs.duplicate_policy, allow_stale=allow_stale)
        queued = ngettext(
            "%(count)s document queued for %(target)s.", "%(count)s documents queued for %(target)s.", len(rows)
        ) % {"count": len(rows), "target": self.target.currentText()}
        self.say(f"{queued} {warning}" if warning else queued, error=warning is not None)
        await queue.run()
        await self.sign_in_again_if_needed()
        self.summarise()
        self.notify(_("qvupload: transfers finished"), self.message.text())
        self.refresh_details()

    async def sign_in_again_if_needed(self) -> None:
        """Jobs that failed because the sign-in expired: ask for it again, then retry them."""
        queue = self.session.queue
        if queue is None:
            return
        expired = [j for j in queue.jobs.values() if j.job_state is JobState.FAILED and _(SIGN_IN_AGAIN) in j.message]
        if not expired:
            return
        self.say(
            (
                _("Your sign-in expired; %(expired)s documents wait. Sign in again to carry on.")
                % {"expired": len(expired)}
            ),
            error=True,
        )
        if await self.sign_in():
            assert self.session.queue is not None
            for job in expired:
                self.session.queue.retry(job.id)
            await self.session.queue.run()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scan_cancel.set()
        for task in list(self.tasks):  # nothing the window started outlives it
            task.cancel()
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
