"""The bundle's language list (packaging/pyinstaller/bundling.py, read by the PyInstaller spec) is the
list of catalogues qvupload has: a language added to one and not the other would ship without its
Babel data (its dates would fail) or ship data nothing loads."""

from __future__ import annotations

import importlib.util

from qvupload.i18n import LANGUAGES
from tests.conftest import REPO


def test_the_bundle_keeps_the_languages_qvupload_has() -> None:
    spec = importlib.util.spec_from_file_location("bundling", REPO / "packaging" / "pyinstaller" / "bundling.py")
    assert spec is not None and spec.loader is not None
    bundling = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bundling)
    assert set(bundling.SHIPPED_LANGUAGES) == set(LANGUAGES) - {"en"}
    assert bundling.keep("babel/locale-data/pt.dat") and bundling.keep("babel/locale-data/root.dat")
    assert not bundling.keep("babel/locale-data/it.dat") and not bundling.keep("babel/locale-data/de_AT.dat")
    assert bundling.keep("PySide6/Qt/translations/qtbase_pt_BR.qm")
    assert not bundling.keep("PySide6/Qt/translations/qtbase_it.qm")
