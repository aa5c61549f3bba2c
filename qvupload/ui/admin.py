"""Admins in the window: "Share to managed space...", with the same core as ``qvupload share``.

The help desk's "Access check" lives in access_check.py (AccessCheckDialog is imported here too)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qvupload.cloud.errors import CloudError
from qvupload.i18n import _, ngettext
from qvupload.ui.access_check import AccessCheckDialog  # it used to live here

if TYPE_CHECKING:
    from qvupload.cloud.client import CloudClient
    from qvupload.transfers.plans import Action
    from qvupload.transfers.store import TransferStore

Spawn = Callable[..., "asyncio.Task[Any]"]  # Session.spawn(coro, on_error=...)


def _unowned(coro: Coroutine[Any, Any, Any], on_error: Callable[[Exception], None] | None = None) -> asyncio.Task[Any]:
    """For a dialog shown without a session (tests): a plain task."""
    return asyncio.ensure_future(coro)


MANAGED_ROLES = ("consumer", "basicconsumer", "contributor", "dataconsumer", "facilitator", "publisher")


class ShareDialog(QDialog):
    """Publish selected documents to a managed space and grant roles; shows the dry run first."""

    def __init__(
        self,
        parent: QWidget | None,
        client: CloudClient,
        store: TransferStore,
        spaces: list[dict[str, Any]],
        documents: list[Path],
        spawn: Spawn | None = None,
    ) -> None:
        super().__init__(parent)
        self.client, self.store, self.documents = client, store, documents
        self.spawn = spawn or _unowned  # Session.spawn: searches and runs end before the client closes
        self.plan: list[Action] = []
        self.setWindowTitle(_("Share to managed space"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "%(documents)s documents are published to the space (managed spaces receive "
                    "published copies); the people and groups below get the roles you tick."
                )
                % {"documents": len(documents)}
            )
        )
        self.space = QComboBox()
        self.space.setAccessibleName(_("Managed space"))
        for space in spaces:
            self.space.addItem(str(space["name"]), space)
        layout.addWidget(self._labelled(_("Managed &space:"), self.space))
        layout.addWidget(self.space)
        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("name, email or group"))
        self.search.setAccessibleName(_("Find people or groups"))
        self.find_button = QPushButton(_("&Find"))
        self.find_button.setAutoDefault(False)
        search_row.addWidget(self._labelled(_("People and &groups:"), self.search))
        search_row.addWidget(self.search)
        search_row.addWidget(self.find_button)
        layout.addLayout(search_row)
        self.people = QListWidget()
        self.people.setAccessibleName(_("People and groups"))
        layout.addWidget(self.people)
        roles_row = QHBoxLayout()
        roles_row.addWidget(QLabel(_("Roles:")))
        self.roles = {role: QCheckBox(role) for role in MANAGED_ROLES}
        self.roles["consumer"].setChecked(True)
        for box in self.roles.values():
            roles_row.addWidget(box)
        layout.addLayout(roles_row)
        buttons = QHBoxLayout()
        self.preview = QPushButton(_("&Preview (dry run)"))
        self.run_button = QPushButton(_("&Run"))
        self.run_button.setEnabled(False)
        for button in (self.preview, self.run_button):  # Enter belongs to the search box, not to these
            button.setAutoDefault(False)
        buttons.addWidget(self.preview)
        buttons.addWidget(self.run_button)
        layout.addLayout(buttons)
        self.results = QListWidget()
        self.results.setAccessibleName(_("Plan and results"))
        layout.addWidget(self.results)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.task: asyncio.Task[Any] | None = None
        self.find_button.clicked.connect(lambda: self._go(self.find_people()))
        self.search.returnPressed.connect(self.find_button.click)  # Enter in the search box finds
        self.preview.clicked.connect(lambda: self._go(self.dry_run()))
        self.run_button.clicked.connect(lambda: self._go(self.execute()))

    @staticmethod
    def _labelled(text: str, field: QWidget) -> QLabel:
        """A label whose mnemonic (Alt+letter) moves the focus to the field."""
        label = QLabel(text)
        label.setBuddy(field)
        return label

    def _go(self, coro: Any) -> None:
        self.task = self.spawn(coro, on_error=self._failed)

    def _failed(self, exc: Exception) -> None:
        text = (
            str(exc)
            if isinstance(exc, CloudError)
            else _("an unexpected error (%(kind)s: %(exc)s)") % {"kind": type(exc).__name__, "exc": exc}
        )
        self.status.setText(_("Stopped: %(text)s") % {"text": text})

    async def find_people(self) -> None:
        text = self.search.text().strip().replace('"', "")
        self.people.clear()
        users = self.client.paginate(
            "/api/v1/users",
            doing=_("Could not find people."),
            params={"filter": f'name co "{text}" or email co "{text}"'},
        )
        async for user in users:
            self._add_person("user", str(user.get("email") or user["id"]), f"{user.get('name')} <{user.get('email')}>")
        async for group in self.client.paginate(
            "/api/v1/groups", doing=_("Could not find groups."), params={"filter": f'name co "{text}"'}
        ):
            self._add_person("group", str(group["name"]), f"group {group['name']}")

    def _add_person(self, kind: str, ref: str, label: str) -> None:
        item = QListWidgetItem(label)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, (kind, ref))
        self.people.addItem(item)

    def plan_rows(self) -> list[Any]:
        from qvupload.transfers.plans import PlanRow

        space = str(self.space.currentText())
        chosen = [
            self.people.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        ]
        roles = [role for role, box in self.roles.items() if box.isChecked()]
        rows = [PlanRow(n + 1, space, document=str(path)) for n, path in enumerate(self.documents)]
        if chosen:
            rows.append(
                PlanRow(
                    len(rows) + 1,
                    space,
                    users=[r for k, r in chosen if k == "user"],
                    groups=[r for k, r in chosen if k == "group"],
                    roles=roles,
                )
            )
        return rows

    async def dry_run(self) -> None:
        from qvupload.transfers.plans import plan_actions
        from qvupload.transfers.share import expected_seconds

        self.results.clear()
        self.plan, problems = await plan_actions(self.client, self.plan_rows())
        for problem in problems:
            self.results.addItem(_("Problem: %(problem)s") % {"problem": problem})
        for action in self.plan:
            self.results.addItem(f"{action.status:9}  {action.detail}")
        todo = sum(1 for a in self.plan if a.status != "unchanged")
        self.run_button.setEnabled(not problems and todo > 0)
        if problems:
            self.status.setText(
                ngettext("%(count)s problem.", "%(count)s problems.", len(problems)) % {"count": len(problems)}
            )
        else:
            self.status.setText(
                _("%(todo)s to create or change; about %(seconds)s s. Nothing has changed yet.")
                % {"todo": todo, "seconds": f"{expected_seconds(self.plan):.0f}"}
            )

    async def execute(self) -> None:
        from qvupload.transfers.share import Outcome, run_plan

        self.run_button.setEnabled(False)
        for button in (self.preview, self.run_button):  # Enter belongs to the search box, not to these
            button.setAutoDefault(False)
        self.results.clear()

        def show(outcome: Outcome) -> None:
            self.results.addItem(f"{outcome.result:9}  {outcome.message}")
            self.status.setText(
                _("%(count)s of %(plan)s done") % {"count": self.results.count(), "plan": len(self.plan)}
            )

        outcomes = await run_plan(self.client, self.plan, self.store, on_outcome=show)
        failed = sum(1 for o in outcomes if o.result == "failed")
        self.status.setText(
            _("Finished: %(value)s done, %(failed)s failed. The ledger has each action.")
            % {"value": len(outcomes) - failed, "failed": failed}
        )


__all__ = ["AccessCheckDialog", "ShareDialog"]
