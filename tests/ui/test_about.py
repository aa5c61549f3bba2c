"""Help > About and diagnostics: the report for a support case, copyable, with no secret in it."""

from __future__ import annotations

import asyncio
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring.core
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from qvupload import __version__
from qvupload.auth.profiles import Profile, ProfileStore
from qvupload.ui.about import AboutDialog
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store

Run = Callable[[Any], Any]


def test_help_menu_opens_diagnostics_and_copies_them(
    keyring_env: dict[str, str], tmp_path: Path, qtbot: QtBot, aloop: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the report asks keyring for its backend, which keyring then keeps for the process: put back
    # what was there, so no later test inherits the choice made here
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    monkeypatch.setenv("HTTPS_PROXY", "http://me:hunter2@proxy.example:8080")
    profile = Profile("sales", "https://acme.eu.qlikcloud.com", "api-key", user_name="Ann")
    ProfileStore(tmp_path / "config").save(profile)
    window = MainWindow(Session(default_store(tmp_path)))
    qtbot.addWidget(window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    about = next(a for a in help_menu.actions() if a.text().startswith("&About"))
    about.trigger()

    async def opened() -> AboutDialog:
        while True:
            dialog = window.findChild(AboutDialog)
            if dialog is not None and dialog.report is not None:
                return dialog
            await asyncio.sleep(0.02)

    dialog = aloop(asyncio.wait_for(opened(), 30))
    assert dialog.isVisible()
    text = dialog.text.toPlainText()
    assert f"qvupload diagnostics ({__version__})" in text
    assert f"version: {platform.python_version()}" in text
    assert f"qt: {qVersion()}" in text and "platform_plugin: offscreen" in text
    assert "backend: keyring.backends.SecretService.Keyring" in text and "ca_bundle:" in text
    assert "config: " + str(tmp_path / "config") in text
    assert "- name: sales" in text and "tenant: https://acme.eu.qlikcloud.com" in text
    assert "hunter2" not in text and "http://***@proxy.example:8080" in text
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == text
    assert "Copied" in dialog.status.text()
    about.trigger()  # a second time: the same dialog, brought to the front
    aloop(asyncio.sleep(0.2))
    assert window.findChildren(AboutDialog) == [dialog]
