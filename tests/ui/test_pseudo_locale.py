"""The window and each dialog in the pseudo-locale (every catalogue message accented, about 40 % longer and
wrapped in ⟦ ⟧): any visible text without the brackets did not come from a catalogue, and any label or button
whose (longer) text does not fit its widget would be clipped in German or French too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qvupload import i18n
from qvupload.cloud import StaticToken
from qvupload.documents.demo import write_demo_documents
from qvupload.links.settings import LinkSettingsStore
from qvupload.sandbox import Sandbox
from qvupload.ui.about import AboutDialog
from qvupload.ui.access_check import AccessCheckDialog
from qvupload.ui.admin import ShareDialog
from qvupload.ui.dialogs import DuplicateDialog, PreferencesDialog, SignInDialog, SpacePickerDialog, StaleConfirmDialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.migration import AssessmentDialog, LinkDialog
from qvupload.ui.preferences import Preferences
from qvupload.ui.session import Session, default_store
from tests.conftest import persona

# text that is data, not a message: file and app names, numbers, addresses, the product's name
DATA = re.compile(
    r"^[\W\d_]*$|^(consumer|basicconsumer|contributor|dataconsumer|facilitator|publisher|producer)$|qvupload|"
    r"\.qv[wf]|https?://|@|^\d|Sales|Finance|Ann Baker|Qlik Cloud$"
)


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.set_language(i18n.PSEUDO)
    yield
    i18n.set_language("en")


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>|&nbsp;", " ", text).replace("&&", "&").strip()


def shown_texts(top: QWidget) -> list[tuple[QWidget, str, str]]:
    """(widget, what, text) for every piece of text a user sees in ``top``."""
    found: list[tuple[QWidget, str, str]] = []
    if isinstance(top, (QDialog, QMainWindow)):
        found.append((top, "window title", top.windowTitle()))
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisibleTo(top) and w is not top:
            continue
        if isinstance(w, QLabel) and not w.pixmap().isNull():
            continue
        if isinstance(w, QLabel):
            found.append((w, "label", plain(w.text())))
        elif isinstance(w, QAbstractButton):
            found.append((w, "button", w.text()))
        elif isinstance(w, QGroupBox):
            found.append((w, "group", w.title()))
        elif isinstance(w, QLineEdit):
            found.append((w, "placeholder", w.placeholderText()))
        if w.toolTip():
            found.append((w, "tooltip", plain(w.toolTip())))
        if isinstance(w, QTableView) and w.model() is not None:
            model = w.model()
            for col in range(model.columnCount(QModelIndex())):
                found.append((w, "header", str(model.headerData(col, Qt.Orientation.Horizontal) or "")))
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            found.append((top, "menu", action.text()))
            menu = action.menu()
            if isinstance(menu, QMenu):
                found += [(top, "menu item", a.text()) for a in menu.actions() if not a.isSeparator()]
    return found


def problems(top: QWidget) -> list[str]:
    bad = []
    for widget, what, text in shown_texts(top):
        text = text.strip()
        if not text or i18n.is_pseudo(text) or DATA.search(text):
            continue
        if isinstance(widget, (QTextEdit, QPlainTextEdit)):
            continue
        box = widget.parent()
        standard = isinstance(box, QDialogButtonBox) and isinstance(widget, QPushButton)
        if standard and box.standardButton(widget) != QDialogButtonBox.StandardButton.NoButton:
            continue  # OK, Cancel, Save, Close: Qt's own words, from the qtbase catalogue

        bad.append(f"{type(top).__name__}: {what} of {type(widget).__name__} {widget.objectName()!r}: {text!r}")
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top):
            continue
        raw = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
        if not raw.strip() or (isinstance(w, QLabel) and (w.wordWrap() or not w.pixmap().isNull())):
            continue
        lines = [plain(line) for line in re.split(r"<br\s*/?>|</p>|\n", raw)]
        text = max(lines, key=len)
        needed = max(w.fontMetrics().horizontalAdvance(line.replace("&", "")) for line in lines)
        room = w.contentsRect().width() - (0 if isinstance(w, QLabel) else 8)
        if w.width() < w.sizeHint().width() or needed > room:
            bad.append(f"{type(top).__name__}: {type(w).__name__} {text[:50]!r} does not fit ({w.width()} < {needed})")
    return bad


def show(top: QWidget, qtbot: QtBot) -> None:
    qtbot.addWidget(top)
    top.show()
    qtbot.waitExposed(top)
    QApplication.processEvents()


def test_the_checker_finds_untranslated_and_clipped_text(pseudo: None, qtbot: QtBot) -> None:
    dialog = QDialog()
    dialog.setWindowTitle(i18n._("Settings"))
    label = QLabel("Plain English, not from a catalogue", dialog)
    squeezed = QLabel(i18n._("Drop documents or folders here"), dialog)
    squeezed.move(0, 40)
    squeezed.setFixedWidth(40)
    show(dialog, qtbot)
    found = problems(dialog)
    assert any("Plain English" in p for p in found) and any("does not fit" in p for p in found), found
    label.setText(i18n._("Settings"))
    squeezed.setFixedWidth(squeezed.sizeHint().width() + 20)
    assert problems(dialog) == []


def test_the_window_and_its_dialogs_in_the_pseudo_locale(
    pseudo: None, sandbox: Sandbox, tmp_path: Path, qtbot: QtBot, aloop: Any
) -> None:
    write_demo_documents(tmp_path / "docs")
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session, prefs_folder=tmp_path / "config")
    show(window, qtbot)
    first = problems(window)
    assert first == [], "\n".join(first)  # before signing in: the empty state
    aloop(session.connect(sandbox.url, StaticToken(persona(sandbox, "ann")[1]), window.ask_duplicate, "test"))
    window.show_signed_in()
    aloop(window.scan([tmp_path / "docs"]))
    QApplication.processEvents()
    signed_in = problems(window)
    assert signed_in == [], "\n".join(signed_in)
    client = session.client
    assert client is not None
    rows = list(window.documents.rows)
    spaces = [{"name": "Sales Team", "type": "shared", "id": "1"}]
    documents = [r.result.path for r in rows]
    store = session.store
    dialogs: list[QWidget] = [
        SignInDialog(window),
        PreferencesDialog(window, Preferences(), [(i18n._("Personal space"), "personal")]),
        SpacePickerDialog(window, i18n._("Share to managed space"), i18n._("Managed space"), spaces),
        StaleConfirmDialog(window, [r for r in rows if r.verdict != "fresh"]),
        DuplicateDialog(window, "Sales Overview.qvw"),
        AboutDialog(window),
        AccessCheckDialog(window, client),
        ShareDialog(window, client, store, spaces, documents),
        LinkDialog(window, client, store, LinkSettingsStore(tmp_path), "test", spaces, documents),
        AssessmentDialog(window, documents, 7.0),
    ]
    found = []
    for dialog in dialogs:
        show(dialog, qtbot)
        found += problems(dialog)
        dialog.close()
    assert found == [], "\n".join(found)


def outside_the_catalogue(text: str) -> str:
    """What is left of shown text once every catalogue message (⟦...⟧, nested ones too) is taken out."""
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if shorter == text:
            return re.sub(r"[\W\d_]+", " ", text).strip()
        text = shorter


@pytest.mark.parametrize(
    "user, app",
    [
        ("carl@sandbox.example", "Sales Dashboard"),  # two apps: more than view through a group, and view only
        ("dora@sandbox.example", "Budget 2026"),  # a disabled user
        ("erik@sandbox.example", "Budget 2026"),  # only a data role
    ],
)
def test_the_access_checks_verdict_in_the_pseudo_locale(
    pseudo: None, sandbox: Sandbox, tmp_path: Path, qtbot: QtBot, aloop: Any, user: str, app: str
) -> None:
    """The verdict, its summary, each match, reason and note, and the advice: every word from a catalogue."""
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session, prefs_folder=tmp_path / "config")
    show(window, qtbot)
    aloop(session.connect(sandbox.url, StaticToken(persona(sandbox, "hana")[1]), window.ask_duplicate, "test"))
    assert session.client is not None
    dialog = AccessCheckDialog(window, session.client)
    show(dialog, qtbot)
    dialog.user.setText(user)
    dialog.app.setText(app)
    aloop(dialog.run_check())
    shown = [dialog.verdict.text(), dialog.summary.text(), dialog.advice.text(), dialog.matches_label.text()]
    shown += [dialog.matches.item(i).text() for i in range(dialog.matches.count())]
    shown += [dialog.reasons.item(i).text() for i in range(dialog.reasons.count())]
    assert dialog.reasons.count() >= 1 and dialog.advice.text()
    data = ("Carl Consumer", "Dora", "Erik", "Sales Dashboard", "Budget 2026", "Sales Team", "Sales Reports")
    left = []
    for text in shown:
        rest = outside_the_catalogue(text)
        for name in (*data, "Sales Leads", "Finance Reports", "Finance", "Sales"):
            rest = rest.replace(name, "").strip()
        if rest:
            left.append(f"{rest!r} in {text!r}")
    assert left == [], "\n".join(left)
    assert problems(dialog) == []
