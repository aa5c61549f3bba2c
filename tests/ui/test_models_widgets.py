"""Models, the drop zone and the stale confirmation, offscreen."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from qvupload.documents import scan
from qvupload.documents.demo import write_demo_documents
from qvupload.transfers import Job
from qvupload.ui.dialogs import SKIP_STALE, UPLOAD_ANYWAY, StaleConfirmDialog
from qvupload.ui.models import PROGRESS_ROLE, ROW_ROLE, SORT_ROLE, DocumentsFilter, DocumentsModel, TransfersModel
from qvupload.ui.widgets import DropZone


def demo_model(tmp_path: Path) -> DocumentsModel:
    write_demo_documents(tmp_path)
    model = DocumentsModel()
    model.add_results(scan([tmp_path]))
    return model


def test_documents_model_shows_freshness_and_errors(tmp_path: Path) -> None:
    model = demo_model(tmp_path)
    assert model.rowCount() == 5 and model.columnCount() == len(DocumentsModel.COLUMNS)
    by_name = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    fresh = by_name["Sales Overview.qvw"]
    assert model.data(model.index(fresh, 5)) == "fresh"
    assert model.data(model.index(fresh, 4)) == "5 hours"
    assert "Reloaded 5 hours ago" in model.data(model.index(fresh, 5), Qt.ItemDataRole.ToolTipRole)
    secured = by_name["HR Headcount (secured).qvw"]
    assert model.data(model.index(secured, 6)) == "yes"
    bad = by_name["Notes.qvw"]
    assert model.data(model.index(bad, 5)) == "not readable"
    assert "not a QlikView document" in model.data(model.index(bad, 0), Qt.ItemDataRole.ToolTipRole)
    never = by_name["Template (never reloaded).qvw"]
    assert model.data(model.index(never, 3)) == "never recorded"


def test_rescan_updates_rows_in_place_and_filter_only_stale(tmp_path: Path) -> None:
    model = demo_model(tmp_path)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(last - first + 1))
    model.add_results(scan([tmp_path]))  # the same documents again: no new rows
    assert inserted == [] and model.rowCount() == 5
    proxy = DocumentsFilter()
    proxy.setSourceModel(model)
    proxy.set_only_stale(True)
    verdicts = {proxy.data(proxy.index(r, 0), ROW_ROLE).verdict for r in range(proxy.rowCount())}
    assert verdicts == {"stale", "unknown", "error"}
    proxy.set_only_stale(False)
    proxy.sort(4, Qt.SortOrder.AscendingOrder)  # by age, youngest first
    assert proxy.data(proxy.index(0, 0)) == "Sales Overview.qvw"


def test_sorted_table_keeps_every_column_in_order_as_rows_arrive(tmp_path: Path) -> None:
    model = demo_model(tmp_path / "first")
    proxy = DocumentsFilter()
    proxy.setSourceModel(model)

    def keys(column: int) -> list[object]:
        return [model.data(proxy.mapToSource(proxy.index(r, column)), SORT_ROLE) for r in range(proxy.rowCount())]

    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(column, order)
            want = sorted(keys(column), reverse=order == Qt.SortOrder.DescendingOrder)
            assert keys(column) == want, (column, order)
    proxy.sort(2, Qt.SortOrder.AscendingOrder)  # by size: new rows must land in their places
    write_demo_documents(tmp_path / "second")
    model.add_results(scan([tmp_path / "second"]))
    assert proxy.rowCount() == 10 and keys(2) == sorted(keys(2))
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert keys(0) == sorted(keys(0), reverse=True) and len(set(keys(1))) == 2


def test_documents_come_in_scan_order_until_a_header_is_clicked(tmp_path: Path, qtbot: QtBot) -> None:
    from qvupload.ui.main_window import MainWindow
    from qvupload.ui.session import Session, default_store

    for folder in ("first", "second"):
        write_demo_documents(tmp_path / folder)
    found = scan([tmp_path / "second", tmp_path / "first"])  # the same names in both: the order shows
    window = MainWindow(Session(default_store(tmp_path / "data")))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.documents.add_results(found)
    view, header = window.documents_view, window.documents_view.horizontalHeader()

    def listed() -> list[tuple[str, str]]:
        return [(view.model().index(r, 0).data(), view.model().index(r, 1).data()) for r in range(10)]

    scan_order = [(r.path.name, str(r.path.parent)) for r in found]
    assert listed() == scan_order and header.sortIndicatorSection() == -1
    by_name = sorted(scan_order, key=lambda nf: nf[0].lower())
    name = QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name)
    assert [n for n, _ in listed()] == [n for n, _ in by_name]  # A to Z first
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name)
    assert [n for n, _ in listed()] == [n for n, _ in reversed(by_name)]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name)
    assert listed() == scan_order  # the third click gives the scan's order back
    window.close()


def test_transfers_model_targets_its_updates(qtbot: QtBot) -> None:
    model = TransfersModel()
    job = Job("/docs/A.qvw", "personal", size=1000)
    model.update_job(job)
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, roles=(): changes.append((first.column(), last.column())))
    job.bytes_acked, job.state = 250, "uploading"
    model.update_job(job, progress_only=True, speed=2_500_000, eta=90)
    assert changes == [(3, 5)]  # progress, speed and time left only
    assert model.data(model.index(0, 3), PROGRESS_ROLE) == 25
    assert [model.data(model.index(0, c)) for c in (4, 5)] == ["2.5 MB/s", "90 seconds"]
    job.state, job.outcome = "done", "uploaded"
    model.update_job(job)
    assert changes[-1] == (0, len(TransfersModel.COLUMNS) - 1)
    assert model.data(model.index(0, 2)) == "done (uploaded)"
    assert [model.data(model.index(0, c)) for c in (4, 5)] == ["", ""]  # finished: no speed, nothing left


def _drop(widget: DropZone, mime: QMimeData) -> QDropEvent:
    """What a file manager's drag does: enter, then drop (Qt delivers a drop only after an enter)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the QPoint constructor is the one PySide6 has
        enter = QDragEnterEvent(
            QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return enter  # type: ignore[return-value]
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)
    return event


def test_drop_zone_takes_files_and_folders(qtbot: QtBot, tmp_path: Path) -> None:
    zone = DropZone()
    qtbot.addWidget(zone)
    zone.show()
    qtbot.waitExposed(zone)
    (tmp_path / "A.qvw").write_bytes(b"x")
    received: list[list[Path]] = []
    zone.dropped.connect(received.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "A.qvw")), QUrl.fromLocalFile(str(tmp_path))])
    assert _drop(zone, mime).isAccepted()
    assert received == [[tmp_path / "A.qvw", tmp_path]]
    text = QMimeData()
    text.setText("not files")
    assert not _drop(zone, text).isAccepted()
    assert len(received) == 1
    assert zone.accessibleName()


def test_stale_confirmation_buttons(qtbot: QtBot, tmp_path: Path) -> None:
    model = demo_model(tmp_path)
    stale = [r for r in model.rows if r.verdict in ("stale", "unknown")]
    dialog = StaleConfirmDialog(None, stale)
    qtbot.addWidget(dialog)
    assert dialog.listing.count() == 2
    assert "Finance Monthly.qvw (stale)" in "\n".join(dialog.listing.item(i).text() for i in range(2))
    dialog.skip_stale.click()
    assert dialog.result() == SKIP_STALE
    again = StaleConfirmDialog(None, stale)
    qtbot.addWidget(again)
    again.upload_anyway.click()
    assert again.result() == UPLOAD_ANYWAY
