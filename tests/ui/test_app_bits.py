"""The crash dialog, the garbage collector on the window's thread, the scalable icon and the desktop files."""

from __future__ import annotations

import configparser
import gc
import sys
import weakref
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from qvupload.ui.app import MainThreadCollector, install_crash_dialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store
from tests.conftest import REPO

ICON = REPO / "qvupload" / "ui" / "icons" / "qvupload.svg"


def test_unexpected_exception_opens_a_copyable_report(tmp_path: Path, qtbot: QtBot) -> None:
    window = MainWindow(Session(default_store(tmp_path)))
    qtbot.addWidget(window)
    previous = sys.excepthook
    install_crash_dialog(window)
    try:
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        assert len(boxes) == 1
        assert "RuntimeError" in boxes[0].text() and "carry on" in boxes[0].text()
        assert "boom in a slot" in boxes[0].detailedText() and "Traceback" in boxes[0].detailedText()
        assert window.isEnabled()  # the app keeps running
        boxes[0].close()
    finally:
        sys.excepthook = previous


def test_icon_is_scalable_and_drawn(qtbot: QtBot) -> None:
    icon = QIcon(str(ICON))
    for size in (16, 64, 256):
        image: QImage = icon.pixmap(size).toImage()
        assert image.width() == size
        opaque = sum(
            1
            for x in range(0, size, max(1, size // 16))
            for y in range(0, size, max(1, size // 16))
            if image.pixelColor(x, y).alpha() > 0
        )
        assert opaque > 10  # something was drawn, at every size


def test_desktop_entry_and_metainfo() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(REPO / "resources" / "qvupload.desktop")
    assert entry["Desktop Entry"]["Exec"] == "qvupload" and entry["Desktop Entry"]["Icon"] == "qvupload"
    root = ET.parse(REPO / "resources" / "io.github.qvupload.qvupload.metainfo.xml").getroot()
    assert root.findtext("launchable") == "qvupload.desktop"
    assert (REPO / "resources" / "qvupload.svg").read_bytes() == ICON.read_bytes()


class Node:
    """A cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def full_passes() -> int:
    return int(gc.get_stats()[2]["collections"])


def test_collector_collects_on_this_thread_as_cpython_would(qapp: QApplication) -> None:
    collector = MainThreadCollector()
    with collector:
        assert not gc.isenabled()  # nothing collects in worker threads meanwhile

        def churn(n: int) -> weakref.ref[Node]:
            last = weakref.ref(Node())
            for i in range(n):
                Node()
                if i % 100 == 0:
                    collector.collect()
            return last

        first = churn(20_000)
        assert first() is None  # cyclic garbage is collected
        settled = full_passes()
        assert churn(100_000)() is None
        assert full_passes() == settled  # plenty of garbage, but nothing new came to stay: no full pass
        kept = [Node() for _ in range(2 * collector.long_lived)]  # the long-lived objects more than double
        churn(100_000)
        assert full_passes() == settled + 1
        del kept
