"""Small widgets: the drop zone and the progress delegate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QStyledItemDelegate, QVBoxLayout

from qvupload.i18n import _
from qvupload.ui.models import PROGRESS_ROLE

if TYPE_CHECKING:  # annotations only: each PySide6 class builds its enums when first imported (start-up time)
    from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem


class DropZone(QFrame):
    """Accepts files and folders dragged from the file manager; emits their paths."""

    dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setObjectName("dropZone")
        self.setAccessibleName(_("Drop documents or folders here"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(64)
        label = QLabel(_("Drop QlikView documents or folders here, or use Add files / Add folder"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setStyleSheet("#dropZone { border: 2px dashed #9e9e9e; border-radius: 8px; }")

    @staticmethod
    def _paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._paths(event)
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)
        else:
            event.ignore()


class ProgressDelegate(QStyledItemDelegate):
    """Paints the progress column as a progress bar."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        from PySide6.QtWidgets import QStyle, QStyleOptionProgressBar  # their enums cost ~20 ms at start-up

        value = index.data(PROGRESS_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum, bar.progress = 0, 100, int(value)
        bar.text, bar.textVisible = f"{int(value)}%", True
        style = QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)
