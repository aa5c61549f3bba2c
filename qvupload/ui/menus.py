"""The window's menus and the tables' context menus: every action once, with its Alt+letter and,
for most, a shortcut."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from qvupload.i18n import _

if TYPE_CHECKING:
    from qvupload.ui.main_window import MainWindow


async def _about(window: MainWindow) -> None:
    from qvupload.ui.about import show_about  # only when asked for: the window starts without it

    await show_about(window)


def build_menus(window: MainWindow) -> tuple[QMenu, QMenu]:
    """Every action is in a menu (with a mnemonic, most with a shortcut); the two tables offer
    theirs on right-click and on the context-menu key. Returns the "Recent folders" and "Switch
    profile" menus, which are filled elsewhere."""

    def act(text: str, shortcut: QKeySequence.StandardKey | str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    upload = act(_("&Upload"), "Ctrl+U", lambda: window.run(window.upload()))
    remove = act(_("&Remove from the list"), QKeySequence.StandardKey.Delete, window.remove_selected)
    remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # Delete only in the table
    move = act(_("&Move to shared space..."), "Ctrl+M", lambda: window.run(window.move_or_publish("shared")))
    publish = act(_("&Publish to managed space..."), "Ctrl+P", lambda: window.run(window.move_or_publish("managed")))
    share = act(_("&Share to managed space..."), "Ctrl+Shift+P", lambda: window.run(window.open_share()))
    transfer_actions = [
        act(_("&Pause"), "", window.pause_selected),
        act(_("&Resume"), "", window.resume_selected),
        act(_("&Cancel"), "", window.cancel_selected),
        act(_("Retry &failed"), "", window.retry_failed),
    ]
    bar = window.menuBar()
    file_menu = bar.addMenu(_("&File"))
    file_menu.addAction(act(_("Add &files..."), QKeySequence.StandardKey.Open, window.choose_files))
    file_menu.addAction(act(_("Add f&older..."), "Ctrl+Shift+O", window.choose_folder))
    recent = file_menu.addMenu(_("&Recent folders"))
    file_menu.addSeparator()
    file_menu.addAction(act(_("&Sign in..."), "Ctrl+Shift+S", lambda: window.run(window.sign_in())))
    profiles = file_menu.addMenu(_("Switch &profile"))
    file_menu.addAction(act(_("Sign o&ut"), "", lambda: window.run(window.sign_out())))
    file_menu.addAction(
        act(_("Se&ttings..."), QKeySequence.StandardKey.Preferences, lambda: window.run(window.edit_preferences()))
    )
    file_menu.addSeparator()
    file_menu.addAction(act(_("&Quit"), QKeySequence.StandardKey.Quit, window.close))
    documents_menu = bar.addMenu(_("&Documents"))
    documents_menu.addActions([upload, remove])
    documents_menu.addSeparator()
    documents_menu.addAction(act(_("&Link to QlikView Server..."), "Ctrl+Shift+L", lambda: _links(window)))
    documents_menu.addAction(act(_("&Assessment report..."), "Ctrl+Shift+R", lambda: _assessment(window)))
    apps_menu = bar.addMenu(_("&Apps"))
    apps_menu.addActions([move, publish, share])
    apps_menu.addAction(act(_("&Access check..."), "Ctrl+K", window.open_access_check))
    transfers_menu = bar.addMenu(_("&Transfers"))
    transfers_menu.addActions(transfer_actions)
    transfers_menu.addSeparator()
    transfers_menu.addAction(act(_("Open the &ledger"), "Ctrl+L", window.show_ledger))
    bar.addMenu(_("&Help")).addAction(act(_("&About and diagnostics..."), "", lambda: window.run(_about(window))))
    separator = QAction(window)
    separator.setSeparator(True)
    for view, actions in (
        (window.documents_view, [upload, remove, separator, move, publish, share]),
        (window.transfers_view, transfer_actions),
    ):
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.addActions(actions)
    return recent, profiles


# the link and assessment dialogs (and through them httpx) load when first asked for, not at start-up
def _links(window: MainWindow) -> None:
    from qvupload.ui.migration import open_links

    window.run(open_links(window))


def _assessment(window: MainWindow) -> None:
    from qvupload.ui.migration import open_assessment

    open_assessment(window)
