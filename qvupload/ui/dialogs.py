"""Dialogs. None is run with exec() inside a coroutine: ``ask`` opens one and awaits its answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qvupload.i18n import LANGUAGES, N_, _

if TYPE_CHECKING:
    import asyncio

from qvupload.ui.models import DocumentRow
from qvupload.ui.preferences import POLICIES, Preferences

UPLOAD_ANYWAY, SKIP_STALE = 1, 2


async def ask(dialog: QDialog) -> int:
    """Show ``dialog`` (window-modal) and wait for its result without blocking the event loop."""
    import asyncio

    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    return await future


class StaleConfirmDialog(QDialog):
    """Lists the stale and unknown documents with their reasons before an upload."""

    def __init__(self, parent: QWidget | None, rows: list[DocumentRow]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Some documents hold old data"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "%(rows)s of the documents hold stale data, or no reload time is known. In Qlik "
                    "Cloud a QlikView app cannot be reloaded: its data stays as it is uploaded."
                )
                % {"rows": len(rows)}
            )
        )
        self.listing = QListWidget()
        self.listing.setAccessibleName(_("Stale and unknown documents"))
        for row in rows:
            self.listing.addItem(f"{row.result.path.name} ({row.verdict}): {row.reason}")
        layout.addWidget(self.listing)
        buttons = QDialogButtonBox()
        # the safe answer is the default: Enter (or Return on a focused button) never uploads stale data
        self.skip_stale = buttons.addButton(_("&Skip stale"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.upload_anyway = buttons.addButton(_("&Upload anyway"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.upload_anyway, self.cancel):
            button.setAutoDefault(False)  # a focused button takes Enter only when it is auto-default
        self.upload_anyway.setToolTip(_("Uploads the stale documents too; their data stays as it is now"))
        self.upload_anyway.clicked.connect(lambda: self.done(UPLOAD_ANYWAY))
        self.skip_stale.clicked.connect(lambda: self.done(SKIP_STALE))
        self.cancel.clicked.connect(self.reject)
        self.skip_stale.setDefault(True)
        self.skip_stale.setFocus()
        layout.addWidget(buttons)


class DuplicateDialog(QDialog):
    """An app of that name is already there: skip, replace or keep both."""

    CHOICES = ("skip", "replace", "keep-both")

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("An app of that name exists"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_("A QlikView app named %(name)s is already there. What should happen?") % {"name": name})
        )
        self.group = QButtonGroup(self)
        for i, (key, text) in enumerate(
            zip(
                self.CHOICES,
                (N_("&Skip this document"), N_("&Replace the app's content"), N_("&Keep both (a second app)")),
                strict=True,
            )
        ):
            button = QRadioButton(_(text))
            button.setChecked(key == "skip")
            self.group.addButton(button, i)
            layout.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def choice(self) -> str:
        return self.CHOICES[max(0, self.group.checkedId())]


class SignInDialog(QDialog):
    """Tenant address and either an API key or browser sign-in (native OAuth client)."""

    def __init__(self, parent: QWidget | None, tenant: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign in to Qlik Cloud"))
        form = QFormLayout(self)
        self.profile = QLineEdit("default")
        self.tenant = QLineEdit(tenant)
        self.tenant.setPlaceholderText("https://acme.eu.qlikcloud.com")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName(_("API key"))
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText(_("native OAuth client id (for browser sign-in)"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        form.addRow(_("&Profile"), self.profile)
        form.addRow(_("&Tenant"), self.tenant)
        form.addRow(_("API &key"), self.api_key)
        form.addRow(_("OAuth &client"), self.client_id)
        form.addRow(self.message)
        buttons = QDialogButtonBox()
        self.with_key = buttons.addButton(_("Sign in with &API key"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.with_browser = QPushButton(_("Sign in with the &browser"))
        buttons.addButton(self.with_browser, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.with_key.clicked.connect(lambda: self.done(1))
        self.with_browser.clicked.connect(lambda: self.done(2))
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class SpacePickerDialog(QDialog):
    """Choose a shared or managed space (live from the tenant) for Move or Publish."""

    def __init__(self, parent: QWidget | None, title: str, explanation: str, spaces: list[dict[str, Any]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(explanation)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.combo = QComboBox()
        self.combo.setAccessibleName(_("Space"))
        pick = QLabel(_("&Space:"))
        pick.setBuddy(self.combo)
        layout.addWidget(pick)
        for space in spaces:
            self.combo.addItem(f"{space['name']} ({space['type']})", space)
        layout.addWidget(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def space(self) -> dict[str, Any] | None:
        data = self.combo.currentData()
        return dict(data) if data else None


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, prefs: Preferences, targets: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        form = QFormLayout(self)
        self.stale = QDoubleSpinBox()
        self.stale.setRange(0.5, 3650)
        self.stale.setSuffix(" " + _("days"))
        self.stale.setValue(prefs.stale_after_days)
        self.stale.setAccessibleName(_("Stale after"))
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 8)
        self.concurrency.setValue(prefs.concurrency)
        self.concurrency.setAccessibleName(_("Documents at a time"))
        self.policy = QComboBox()
        for key, label in POLICIES:
            text = _(label)
            self.policy.addItem(text, key)
        self.policy.setCurrentIndex(max(0, self.policy.findData(prefs.duplicate_policy)))
        self.target = QComboBox()
        for text, key in targets:
            self.target.addItem(text, key)
        self.target.setCurrentIndex(max(0, self.target.findData(prefs.default_target)))
        form.addRow(_("Data is &stale after"), self.stale)
        form.addRow(_("&Documents uploaded at a time"), self.concurrency)
        form.addRow(_("&When an app of that name exists"), self.policy)
        form.addRow(_("Default upload &target"), self.target)
        self.language = QComboBox()
        self.language.addItem(_("As the system"), "system")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each language in its own words
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        form.addRow(_("&Language (from the next start)"), self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self, prefs: Preferences) -> Preferences:
        return Preferences(
            self.stale.value(),
            self.concurrency.value(),
            str(self.policy.currentData()),
            str(self.target.currentData() or "personal"),
            list(prefs.recent_folders),
            str(self.language.currentData() or "system"),
        )
