"""The help desk's window: "is this user view-only on this app, and why?"

People and apps are suggested as one types (against the tenant, debounced, the stale search
cancelled, the window never waiting on the network). A name that matches several apps (a source
and its published copy) gets a verdict for each, in a pick list that shows each app's space; the
picked one's verdict is in large type with each role's source and what to do about it. It calls
the same core as ``qvupload access``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qvupload.cloud import access_words as words
from qvupload.cloud.errors import CloudError
from qvupload.i18n import N_, _

if TYPE_CHECKING:
    from qvupload.cloud.access import AccessAnswer
    from qvupload.cloud.appref import Candidate
    from qvupload.cloud.client import CloudClient

    Spawn = Callable[..., asyncio.Task[Any]]  # Session.spawn(coro, on_error=...)

DEBOUNCE_MS = 250
COLOURS = {"view-only": "#2e7d32", "more-than-view": "#8d6e00", "no-access": "#c62828"}
DATA = Qt.ItemDataRole.UserRole


class _Suggestions(QListWidget):
    """The suggestions under a search field; hidden while there are none."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setMaximumHeight(110)
        self.hide()

    def show_items(self, items: list[tuple[str, Any]]) -> None:
        self.clear()
        for text, data in items:
            item = QListWidgetItem(text)
            item.setData(DATA, data)
            self.addItem(item)
        self.setVisible(bool(items))
        if items:
            self.setCurrentRow(0)


class AccessCheckDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        client: CloudClient,
        spawn: Spawn | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.session_spawn = spawn  # Session.spawn: searches and checks end before the client closes
        self.tasks: set[asyncio.Task[Any]] = set()
        self.searches: dict[str, asyncio.Task[Any]] = {}
        self.task: asyncio.Task[Any] | None = None  # the latest check
        self.picked_user: dict[str, Any] | None = None
        self.picked_app: Candidate | None = None
        self.answers: list[AccessAnswer] = []
        self.setWindowTitle(_("Access check"))
        self.resize(640, 540)
        layout = QVBoxLayout(self)
        self.user = QLineEdit()
        self.user.setPlaceholderText(_("type part of a name or an email"))
        self.user_suggestions = _Suggestions("People found")
        self.app = QLineEdit()
        self.app.setPlaceholderText(_('type part of an app\'s name, or "name" in "space", or an id'))
        self.app_suggestions = _Suggestions("Apps found")
        for text, field, suggestions in (
            (N_("&User:"), self.user, self.user_suggestions),
            (N_("&App:"), self.app, self.app_suggestions),
        ):
            label = QLabel(_(text))
            label.setBuddy(field)
            layout.addWidget(label)
            layout.addWidget(field)
            layout.addWidget(suggestions)
            field.installEventFilter(self)
        self.check = QPushButton(_("&Check"))
        self.check.setAutoDefault(False)  # Enter belongs to the fields: it picks a suggestion or checks
        layout.addWidget(self.check)
        self.matches_label = QLabel("")
        self.matches_label.setWordWrap(True)
        self.matches = QListWidget()
        self.matches.setAccessibleName(_("Apps checked"))
        self.matches.setMaximumHeight(80)
        self.matches.hide()
        self.verdict = QLabel("")
        font = QFont(self.verdict.font())
        font.setPointSize(max(font.pointSize(), 9) * 2)
        font.setBold(True)
        self.verdict.setFont(font)
        self.verdict.setAccessibleName(_("Verdict"))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setAccessibleName(_("Reasons"))
        self.reasons.setMaximumHeight(140)  # a few roles and notes; the advice stays close beneath
        self.advice = QLabel("")
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName(_("What to do"))
        for widget in (self.matches_label, self.matches, self.verdict, self.summary, self.reasons, self.advice):
            layout.addWidget(widget)
        layout.addStretch(1)  # spare height goes below the advice, not into the lists
        self.timers = {"user": self._timer("user"), "app": self._timer("app")}
        self.user.textEdited.connect(lambda _text: self._typed("user"))
        self.app.textEdited.connect(lambda _text: self._typed("app"))
        self.user.returnPressed.connect(lambda: self._enter(self.user_suggestions))
        self.app.returnPressed.connect(lambda: self._enter(self.app_suggestions))
        for suggestions in (self.user_suggestions, self.app_suggestions):
            suggestions.itemClicked.connect(self._pick)
            suggestions.itemActivated.connect(self._pick)
        self.matches.currentRowChanged.connect(self._show_answer)
        self.check.clicked.connect(self.start_check)
        self.finished.connect(lambda _result: self.cancel_all())

    # -- tasks -------------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Background work of this panel, owned by the session when there is one (cancelled and
        awaited before its client closes) and cancelled with the panel; a failure is a sentence here."""
        if self.session_spawn is not None:
            task = self.session_spawn(coro, on_error=self._failed)
        else:
            task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def _failed(self, exc: Exception) -> None:
        self.verdict.setText(_("Cannot tell"))
        self.summary.setText(
            _("The check stopped because of an unexpected error (%(name)s: %(exc)s).")
            % {"name": type(exc).__name__, "exc": exc}
        )

    def cancel_all(self) -> None:
        for timer in self.timers.values():
            timer.stop()
        for task in list(self.tasks):
            task.cancel()

    def closeEvent(self, event: Any) -> None:
        self.cancel_all()
        super().closeEvent(event)

    # -- search as you type ------------------------------------------------------------------------
    def _timer(self, kind: str) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(DEBOUNCE_MS)
        timer.timeout.connect(lambda: self._search(kind))
        return timer

    def _typed(self, kind: str) -> None:
        if kind == "user":
            self.picked_user = None
        else:
            self.picked_app = None
        self.timers[kind].start()  # restarts: one search once the typing pauses

    def _search(self, kind: str) -> None:
        stale = self.searches.pop(kind, None)
        if stale is not None and not stale.done():
            stale.cancel()  # its answer would be for text that is no longer there
        self.searches[kind] = self.spawn(self.find_users() if kind == "user" else self.find_apps())

    async def find_users(self) -> None:
        from qvupload.cloud.people import search_users

        text = self.user.text()
        try:
            users = await search_users(self.client, text)
        except CloudError as exc:
            self.summary.setText(_("People cannot be searched: %(exc)s") % {"exc": exc})
            return
        if text == self.user.text():
            self.user_suggestions.show_items([(f"{u.get('name')} <{u.get('email')}>", u) for u in users])

    async def find_apps(self) -> None:
        from qvupload.cloud.appref import search

        text = self.app.text()
        try:
            found = await search(self.client, text)
        except CloudError as exc:
            self.summary.setText(_("Apps cannot be searched: %(exc)s") % {"exc": exc})
            return
        if text == self.app.text():
            self.app_suggestions.show_items([(_app_label(c), c) for c in found])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down in a field moves into its suggestions; Escape there hides them."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            suggestions = self.user_suggestions if watched is self.user else self.app_suggestions
            if event.key() == Qt.Key.Key_Down and suggestions.isVisible():
                suggestions.setFocus()
                return True
            if event.key() == Qt.Key.Key_Escape and suggestions.isVisible():
                suggestions.hide()
                return True
        return super().eventFilter(watched, event)

    def _enter(self, suggestions: _Suggestions) -> None:
        if suggestions.isVisible() and suggestions.currentItem() is not None:
            self._pick(suggestions.currentItem())
        else:
            self.start_check()

    def _pick(self, item: QListWidgetItem) -> None:
        data = item.data(DATA)
        if item.listWidget() is self.user_suggestions:
            self.timers["user"].stop()
            self.picked_user = data
            self.user.setText(item.text())
            self.user_suggestions.hide()
            self.app.setFocus()
        else:
            self.timers["app"].stop()
            self.picked_app = data
            self.app.setText(item.text())
            self.app_suggestions.hide()
            self.check.setFocus()

    # -- the check ---------------------------------------------------------------------------------
    def start_check(self) -> None:
        self.task = self.spawn(self.run_check())

    async def run_check(self) -> None:
        from qvupload.cloud.access import check_access_all

        who = str(self.picked_user["id"]) if self.picked_user else self.user.text().strip()
        what = self.picked_app.app_id if self.picked_app else self.app.text().strip()
        self.verdict.setText(_("Checking..."))
        self.verdict.setStyleSheet("")
        for widget in (self.reasons, self.matches):
            widget.clear()
        self.matches.hide()
        self.matches_label.setText("")
        self.summary.setText("")
        self.advice.setText("")
        try:
            self.answers = await check_access_all(self.client, who, what)
        except CloudError as exc:
            self.verdict.setText(_("Cannot tell"))
            self.summary.setText(str(exc))
            return
        if len(self.answers) > 1:
            self.matches_label.setText(
                _("%(answers)s apps are named %(name)s; a verdict for each (pick one to see why):")
                % {"answers": len(self.answers), "name": self.answers[0].app["name"]}
            )
            for answer in self.answers:
                v = {
                    "verdict": words.verdict_label(answer.verdict),
                    "where": words.space_label(answer.space, answer.candidate.item if answer.candidate else None),
                }
                if answer.app.get("published_copy"):
                    self.matches.addItem(_("%(verdict)s  in %(where)s, published copy") % v)
                else:
                    self.matches.addItem(_("%(verdict)s  in %(where)s") % v)
            self.matches.show()
        self.matches.setCurrentRow(0)
        self._show_answer(0)

    def _show_answer(self, row: int) -> None:
        from qvupload.cloud.access_advice import advice

        if not 0 <= row < len(self.answers):
            return
        answer = self.answers[row]
        self.verdict.setText(words.verdict_label(answer.verdict, answer.complete))
        self.verdict.setStyleSheet(f"color: {COLOURS[answer.verdict]};")
        v = {
            "name": answer.user["name"],
            "app": answer.app["name"],
            "where": words.space_label(answer.space, answer.candidate.item if answer.candidate else None),
            "summary": answer.summary,
        }
        if answer.app.get("published_copy"):
            self.summary.setText(_("%(name)s on %(app)s (published copy) in %(where)s. %(summary)s") % v)
        else:
            self.summary.setText(_("%(name)s on %(app)s in %(where)s. %(summary)s") % v)
        self.reasons.clear()
        status = str(answer.user.get("status") or "")
        for reason in answer.reasons:
            self.reasons.addItem(words.reason_line(reason.role, reason.source, reason.detail, status))
        for note in answer.notes:
            self.reasons.addItem(_("Note: %(note)s") % {"note": note})
        self.advice.setText(_("What to do: %(advice)s") % {"advice": " ".join(advice(answer))})


def _app_label(candidate: Candidate) -> str:
    v = {"name": candidate.name, "where": candidate.space_label, "owner": candidate.owner}
    if candidate.published_copy:
        if candidate.owner:
            return _("%(name)s - %(where)s, published copy, owner %(owner)s") % v
        return _("%(name)s - %(where)s, published copy") % v
    if candidate.owner:
        return _("%(name)s - %(where)s, owner %(owner)s") % v
    return f"{candidate.name} - {candidate.space_label}"
