"""What the window does after uploading and around signing in: move and publish apps, sign in
and out, the ledger, and the settings. A mixin of MainWindow, kept apart to keep each file small."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QDialog, QWidget

from qvupload.cloud.errors import CloudError
from qvupload.i18n import _

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Coroutine

    from PySide6.QtWidgets import QComboBox, QMenu, QTableView

    from qvupload.ui.dialogs import SignInDialog
    from qvupload.ui.models import DocumentRow, DocumentsModel
    from qvupload.ui.preferences import Preferences
    from qvupload.ui.session import Session


class WindowActions:
    """Needs these from the window it is mixed into (MainWindow)."""

    session: Session
    prefs: Preferences
    target: QComboBox
    app_ids: dict[Path, str]
    documents: DocumentsModel
    documents_view: QTableView
    profiles_menu: QMenu

    if TYPE_CHECKING:

        def say(self, text: str, *, error: bool = False, cause: BaseException | None = None) -> None: ...
        def selected_rows(self) -> list[DocumentRow]: ...
        def show_signed_in(self) -> None: ...
        def save_preferences(self) -> None: ...
        def select_default_target(self) -> None: ...
        def ask_duplicate(self, job: Any, existing: list[dict[str, Any]]) -> Any: ...
        def run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]: ...
        def refresh_details(self) -> None: ...

    def _parent(self) -> QWidget:
        return cast(QWidget, self)  # mixed into MainWindow, a QWidget

    # -- after upload ----------------------------------------------------------------------------
    async def move_or_publish(self, kind: str) -> None:
        from qvupload.cloud import apps

        client = self.session.client
        chosen = [r for r in self.selected_rows() if r.result.path in self.app_ids]
        if client is None or not chosen:
            self.say(_("Select uploaded documents first (their Cloud column shows the status)."), error=True)
            return
        spaces = await self.session.spaces(kind)
        explanation = (
            _("Move the apps into a shared space.")
            if kind == "shared"
            else _("Managed spaces receive published copies: the app stays where it is and a copy is published.")
        )
        from qvupload.ui.dialogs import SpacePickerDialog, ask

        dialog = SpacePickerDialog(
            self._parent(),
            _("Move to shared space") if kind == "shared" else _("Publish to managed space"),
            explanation,
            spaces,
        )
        if not await ask(dialog) or dialog.space() is None:
            return
        space = dialog.space() or {}
        for row in chosen:
            app_id, name = self.app_ids[row.result.path], row.result.facts.display_name if row.result.facts else ""
            if kind == "shared":
                await apps.move_to_space(client, app_id, str(space["id"]), name)
                status = f"in {space['name']}"
            else:
                item = await apps.item_for_app(client, app_id)
                await apps.publish_once(client, app_id, str(item["id"]) if item else "", str(space["id"]), name)
                status = f"published to {space['name']}"
            self.documents.set_cloud_status(row.result.path, status)
        apps_word = "1 app" if len(chosen) == 1 else f"{len(chosen)} apps"
        self.say(f"{apps_word} {'moved to' if kind == 'shared' else 'published to'} {space['name']}.")
        self.refresh_details()

    async def sign_in(self, dialog: SignInDialog | None = None) -> bool:
        """Ask for a tenant and an API key or browser sign-in; the queue is kept across sign-ins."""
        from qvupload.ui.dialogs import SignInDialog, ask

        dialog = dialog or SignInDialog(self._parent(), self.session.tenant)
        choice = await ask(dialog)
        if choice not in (1, 2):
            return False
        self.say(_("Signing in..."))
        try:
            await self.session.sign_in(
                self.ask_duplicate,
                dialog.profile.text().strip() or "default",
                dialog.tenant.text(),
                api_key=dialog.api_key.text() if choice == 1 else "",
                client_id=dialog.client_id.text().strip(),
            )
        except (CloudError, ValueError, OSError) as exc:
            self.say((_("Could not sign in: %(exc)s") % {"exc": exc}), error=True, cause=exc)
            return False
        finally:
            dialog.api_key.clear()
        self.show_signed_in()
        self.say(_("Signed in as %(user_label)s.") % {"user_label": self.session.user_label})
        return True

    def fill_profiles_menu(self) -> None:
        """The saved profiles, the one in use ticked; read each time the menu opens."""
        menu = self.profiles_menu
        menu.clear()
        try:
            profiles = self.session.saved_profiles()
        except (ValueError, OSError) as exc:
            menu.addAction(_("Profiles cannot be read: %(exc)s") % {"exc": exc}).setEnabled(False)
            return
        for profile in profiles:
            who = profile.user_name or profile.user_email or profile.kind
            action = menu.addAction(f"{profile.name}: {who} on {profile.tenant}".replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(profile.name == self.session.profile and self.session.signed_in)
            action.triggered.connect(lambda checked=False, name=profile.name: self.run(self.switch_profile(name)))
        if not profiles:
            menu.addAction(_("No saved profiles yet (File > Sign in saves one)")).setEnabled(False)

    async def switch_profile(self, name: str) -> bool:
        """Sign in with another saved profile; refused while transfers of this one are unfinished."""
        import asyncio

        from qvupload.auth.secrets import KeyringUnavailable

        if self.session.busy:
            self.say(_("Finish or cancel the transfers first: they belong to the profile in use."), error=True)
            return False
        self.say(_("Signing in with the profile %(name)s...") % {"name": name})
        try:
            self.close_panels()  # they talk to the client that is about to close
            await self.session.connect_profile(self.ask_duplicate, name)
        except (CloudError, ValueError, OSError, KeyringUnavailable) as exc:
            self.say(
                (_("Could not sign in with the profile %(name)s: %(exc)s") % {"name": name, "exc": exc}),
                error=True,
                cause=exc,
            )
            return False
        stores = self.session.stores
        if stores is not None:  # the window opens with it next time
            await asyncio.to_thread(stores.profiles.make_default, name)
        self.show_signed_in()
        self.say(
            _("Signed in as %(user_label)s (profile %(name)s).") % {"user_label": self.session.user_label, "name": name}
        )
        return True

    async def sign_out(self) -> None:
        import asyncio

        from qvupload.auth.session import sign_out

        stores = self.session.stores
        if stores is not None and self.session.profile:
            profile = await asyncio.to_thread(stores.profiles.get, self.session.profile)
            await sign_out(stores, profile)
        self.close_panels()
        await self.session.close_client()
        self.show_signed_in()
        self.say(_("Signed out."))

    def show_ledger(self) -> None:
        rows = self.session.open_store().ledger()[-200:]
        text = "\n".join(f"{r['end']}  {r['outcome']:9} {r['space']:24} {Path(r['path']).name}" for r in rows)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self._parent())
        box.setWindowTitle(_("Ledger"))
        box.setText(_("%(rows)s most recent entries (qvupload ledger --csv exports them all).") % {"rows": len(rows)})
        box.setDetailedText(text or _("The ledger is empty."))
        box.open()

    def close_panels(self) -> None:
        """Panels bound to the signed-in client (the access check) close, their searches cancelled."""
        for dialog in self._parent().findChildren(QDialog):
            if getattr(dialog, "client", None) is not None and hasattr(dialog, "cancel_all"):
                dialog.cancel_all()
                dialog.close()

    def open_access_check(self) -> QDialog | None:
        from qvupload.ui.access_check import AccessCheckDialog

        if self.session.client is None:
            self.say(_("Sign in first: the File menu has Sign in."), error=True)
            return None
        dialog = AccessCheckDialog(self._parent(), self.session.client, spawn=self.session.spawn)
        dialog.open()
        return dialog

    async def open_share(self) -> QDialog | None:
        from qvupload.ui.admin import ShareDialog

        if self.session.client is None:
            self.say(_("Sign in first: the File menu has Sign in."), error=True)
            return None
        chosen = [r.result.path for r in self.selected_rows() if r.result.error is None]
        spaces = await self.session.spaces("managed")
        dialog = ShareDialog(
            self._parent(), self.session.client, self.session.open_store(), spaces, chosen, spawn=self.session.spawn
        )
        dialog.open()
        return dialog

    async def edit_preferences(self) -> None:
        from qvupload.ui.dialogs import PreferencesDialog, ask

        targets = [(self.target.itemText(i), str(self.target.itemData(i))) for i in range(self.target.count())]
        dialog = PreferencesDialog(self._parent(), self.prefs, targets)
        if not await ask(dialog):
            return
        self.prefs = dialog.values(self.prefs)
        self.save_preferences()
        self.session.concurrency = self.prefs.concurrency
        if self.session.queue is not None:
            self.session.queue.concurrency = self.prefs.concurrency
        self.select_default_target()
        self.say(_("Settings saved. The stale threshold applies to documents read from now on."))
