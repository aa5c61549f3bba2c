"""What a keyboard or screen-reader user needs from a window or dialog, as a list of problems."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QWidget,
)


def mnemonic(text: str) -> str:
    return QKeySequence.mnemonic(text).toString()


def _standard(button: QAbstractButton) -> bool:
    box = button.parent()
    while box is not None and not isinstance(box, QDialogButtonBox):
        box = box.parent()
    return (
        isinstance(box, QDialogButtonBox)
        and isinstance(button, QPushButton)
        and box.standardButton(button) != QDialogButtonBox.StandardButton.NoButton
    )


def _takes_tab(widget: QWidget, root: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isEnabledTo(root)


def _inside_a_control(widget: QWidget, root: QWidget) -> bool:
    """A spin box's line edit and the like: part of a control that is named itself."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if _takes_tab(parent, root):
            return True
        parent = parent.parentWidget()
    return False


def keyboard_problems(root: QWidget) -> list[str]:
    """Every control reachable with Tab has a name a screen reader can say (its own text, an
    accessible name or a label pointing at it); push buttons have an Alt+letter (standard dialog
    buttons answer to Enter and Escape instead); no Alt+letter is used twice; in a main window
    every menu entry has its letter, unique in its menu, and no shortcut is given twice."""
    problems: list[str] = []
    shown = [w for w in root.findChildren(QWidget) if w.isVisibleTo(root) and w.window() is root]
    buddies = {id(label.buddy()) for label in shown if isinstance(label, QLabel) and label.buddy() is not None}
    letters: list[tuple[str, str]] = []
    for widget in shown:
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            letters.append((mnemonic(widget.text()), widget.text()))
        if isinstance(widget, QAbstractButton):
            letters.append((mnemonic(widget.text()), widget.text()))
            if isinstance(widget, QPushButton) and not mnemonic(widget.text()) and not _standard(widget):
                problems.append(f"button {widget.text()!r} has no Alt+letter")
        if not _takes_tab(widget, root) or _inside_a_control(widget, root):
            continue
        own_text = isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip()
        if not (widget.accessibleName() or own_text or id(widget) in buddies):
            problems.append(f"{type(widget).__name__} {widget.objectName()!r} has no name for a screen reader")
    if isinstance(root, QMainWindow):
        shortcuts: list[str] = []
        for menu_action in root.menuBar().actions():
            letters.append((mnemonic(menu_action.text()), menu_action.text()))
            menu = menu_action.menu()
            assert isinstance(menu, QMenu)
            entries = [a for a in menu.actions() if not a.isSeparator()]
            for entry in entries:
                if not mnemonic(entry.text()):
                    problems.append(f"menu entry {entry.text()!r} has no Alt+letter")
                shortcuts += [s.toString() for s in entry.shortcuts() if not s.isEmpty()]
            for key, count in Counter(mnemonic(e.text()) for e in entries).items():
                if key and count > 1:
                    problems.append(f"{key} is used {count} times in the {menu_action.text()!r} menu")
        for key, count in Counter(shortcuts).items():
            if count > 1:
                problems.append(f"shortcut {key} is given {count} times")
    for key, count in Counter(key for key, _ in letters if key).items():
        if count > 1:
            problems.append(f"{key} is used {count} times: {[t for k, t in letters if k == key]}")
    return problems
