"""The window's language: its preference, beaten by --lang; Qt's own dialog words from qtbase; QLocale numbers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from qvupload import i18n
from qvupload.ui.app import install_language
from qvupload.ui.localfmt import number
from qvupload.ui.models import human_size
from qvupload.ui.preferences import Preferences


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[Path]:
    monkeypatch.setenv("QVUPLOAD_CONFIG_DIR", str(tmp_path))
    monkeypatch.setattr(i18n, "_explicit", None)
    yield tmp_path
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(QLocale.c())
    i18n.set_language("en")


def test_the_preference_sets_the_window_language_and_qt_follows(config: Path, qapp: QApplication) -> None:
    Preferences(language="de").save(config)
    assert install_language(qapp) == "de"
    assert i18n._("Settings") == "Einstellungen"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Abbrechen"
    assert human_size(1536) == "1,5 KB" and number(1234567) == "1.234.567"


def test_lang_on_the_command_line_beats_the_preference(config: Path, qapp: QApplication) -> None:
    Preferences(language="de").save(config)
    i18n.setup("fr")
    assert install_language(qapp) == "fr"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    assert human_size(1536) == "1,5 KB"


def test_english_keeps_its_fixed_forms(config: Path, qapp: QApplication) -> None:
    assert install_language(qapp) in ("en", "de", "fr", "es", "pt_BR")  # the system's, whatever it is here
    i18n.set_language("en")
    assert human_size(1536) == "1.5 KB" and number(1234567) == "1,234,567"
