"""Windows path semantics of the path layer, tested on any system with ntpath (os.path on Windows)."""

from __future__ import annotations

import ntpath
from pathlib import PureWindowsPath

import pytest

from qvupload.documents.doclog import is_log_of, logs_by_document
from qvupload.pathnames import LONG_FROM, display, extended, is_document_name, is_unc, root_of, same_name

UNC = r"\\fileserver\QlikView$\Sales\Doc.QVW"
DEEP = "C:\\Docs\\" + "\\".join(f"Folder number {n:03d}" for n in range(20)) + "\\Sales.qvw"


def test_suffixes_and_sibling_logs_ignore_case() -> None:
    assert is_document_name("Doc.QVW") and is_document_name("doc.Qvf") and not is_document_name("Doc.qvw.log")
    assert is_log_of("Doc.QVW", "doc.qvw.log") and is_log_of("Doc.qvw", "DOC.QVW.2024-01-02.LOG")
    assert logs_by_document(["Doc.QVW.log", "Other.qvw.20240101T101010.log"]) == {
        "doc.qvw": ["Doc.QVW.log"],
        "other.qvw": ["Other.qvw.20240101T101010.log"],
    }
    assert same_name("SALES.QVW", "sales.qvw", windows=True) and not same_name("A.qvw", "a.qvw", windows=False)


@pytest.mark.parametrize(
    ("path", "unc", "root"),
    [
        (UNC, True, r"\\fileserver\QlikView$"),
        ("//fileserver/share/Doc.qvw", True, r"\\fileserver\share"),
        (r"\\?\UNC\fileserver\share\Doc.qvw", True, r"\\fileserver\share"),
        (r"C:\Docs\Doc.qvw", False, "C:"),
        (r"\\?\C:\Docs\Doc.qvw", False, "C:"),
        (r"Sales\Doc.qvw", False, ""),
    ],
)
def test_unc_and_drive_roots(path: str, unc: bool, root: str) -> None:
    assert is_unc(path, windows=True) is unc
    assert root_of(path, windows=True) == root
    assert not is_unc(path, windows=False) and root_of(path, windows=False) == ""


def test_long_paths_get_the_extended_prefix_short_ones_do_not() -> None:
    assert len(DEEP) > 260
    long = extended(DEEP, windows=True)
    assert long == "\\\\?\\" + DEEP and display(long, windows=True) == DEEP
    assert extended(r"C:\Docs\Doc.qvw", windows=True) == r"C:\Docs\Doc.qvw"  # short: as given
    deep_unc = "\\\\server\\share\\" + DEEP[len("C:\\") :]
    assert extended(deep_unc, windows=True) == "\\\\?\\UNC\\server\\share\\" + DEEP[len("C:\\") :]
    assert display(extended(deep_unc, windows=True), windows=True) == deep_unc
    # the prefix turns off Windows' own normalisation, so the path is normalised first
    messy = "C:/Docs/" + "/".join(["x" * 40] * 6) + "/../Doc.qvw"
    assert len(messy) >= LONG_FROM
    assert extended(messy, windows=True) == "\\\\?\\" + ntpath.normpath(messy)
    assert "/" not in extended(messy, windows=True) and ".." not in extended(messy, windows=True)
    # relative and drive-relative paths are left to Windows; prefixed ones are left alone
    assert extended("x\\" * 200, windows=True) == "x\\" * 200
    assert extended("C:" + "x" * 300, windows=True) == "C:" + "x" * 300
    assert extended("\\\\?\\" + DEEP, windows=True) == "\\\\?\\" + DEEP
    assert extended(DEEP, windows=False) == DEEP  # other systems: unchanged


def test_display_keeps_what_the_user_wrote() -> None:
    assert display(UNC, windows=True) == UNC
    assert str(PureWindowsPath(display(r"\\?\UNC\srv\s\A.qvw", windows=True))) == r"\\srv\s\A.qvw"
    assert PureWindowsPath(UNC).suffix.lower() == ".qvw"
    assert PureWindowsPath(UNC).anchor == "\\\\fileserver\\QlikView$\\"
