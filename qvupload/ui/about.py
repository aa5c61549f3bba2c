"""Help > About and diagnostics: the version and what a support case needs, as copyable text.

The report is the one ``qvupload diagnose`` prints (qvupload.diagnostics), plus what only the
window knows: the Qt version it runs on and the platform plugin drawing it. Gathering it reads
the keyring's backend (D-Bus on Linux), so it runs in an executor, never on the window's thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from qvupload import __version__
from qvupload.diagnostics import as_text, gather
from qvupload.i18n import _

if TYPE_CHECKING:
    from qvupload.ui.main_window import MainWindow


def qt_versions() -> dict[str, str]:
    return {"qt": qVersion(), "pyside6": PySide6.__version__, "platform_plugin": QGuiApplication.platformName()}


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About qvupload"))
        self.setObjectName("about")
        self.resize(720, 560)
        self.report: dict[str, Any] | None = None
        heading = QLabel(
            _(
                "<b>qvupload %(version)s</b><br>Bring local QlikView documents into Qlik "
                "Cloud.<br>For a support case, copy the diagnostics below (they hold no key or "
                "token)."
            )
            % {"version": __version__}
        )
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit("Gathering diagnostics...")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName(_("Diagnostics"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("&Copy"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.status = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    async def load(self) -> None:
        qt = qt_versions()  # on this thread: it asks Qt
        self.report = await asyncio.to_thread(gather, qt)
        self.text.setPlainText(as_text(self.report))
        self.copy_button.setEnabled(True)
        self.copy_button.setFocus()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText(_("Copied: paste it into your support case."))


async def show_about(window: MainWindow) -> AboutDialog:
    """Open the dialog at once (non-modal; one per window, brought to the front when open again)
    and fill it with a fresh report when that is ready."""
    dialog = window.findChild(AboutDialog) or AboutDialog(window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    await dialog.load()
    return dialog
