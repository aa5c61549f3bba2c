"""What the PyInstaller specs share: which Qt plugins a bundle keeps, on which system.

Read by ``qvupload.spec`` and ``reference.spec`` (both exec'd by PyInstaller, which puts this
folder on ``sys.path`` through ``SPECPATH``), so the app and the empty-window reference are
frozen the same way and their sizes and start-up times compare like with like.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

# plugin folder -> file-name stems kept (an empty tuple keeps none; a folder not listed is dropped)
_COMMON = {
    "imageformats": ("qsvg",),  # the icons are SVG
    "iconengines": ("qsvgicon",),
}
PLUGINS_BY_SYSTEM: dict[str, dict[str, tuple[str, ...]]] = {
    "linux": {
        **_COMMON,
        # xcb for X11 (and XWayland), wayland for native Wayland sessions, offscreen for tests
        "platforms": ("qxcb", "qoffscreen", "qwayland", "qwayland-generic", "qwayland-egl"),
        # a Wayland window needs a shell integration (xdg-shell) and client-side decorations
        "wayland-shell-integration": ("xdg-shell",),
        "wayland-decoration-client": ("bradient",),
        # the file dialogs of the desktop portal (how a Flatpak sandbox reaches the user's files)
        "platformthemes": ("qxdgdesktopportal",),
    },
    "win32": {**_COMMON, "platforms": ("qwindows",), "styles": ("qmodernwindowsstyle", "qwindowsvistastyle")},
    "darwin": {**_COMMON, "platforms": ("qcocoa",), "styles": ("qmacstyle",)},
}

# Libraries that only the dropped plugins use: PyInstaller collected them while analysing every
# plugin, before the filter above. Found by listing, with ldd, what no kept extension module or
# plugin needs in a Linux bundle (the GTK 3 platform theme pulls in the whole GTK stack); the
# bundle test checks with ldd that nothing kept misses a library.
UNUSED_LIBRARIES = (
    *("Qt6Network", "QtNetwork.abi3", "Qt6Pdf", "Qt6Qml", "Qt6Quick", "Qt6OpenGL", "Qt6EglFsKmsSupport"),
    "Qt6EglFSDeviceIntegration",
    *("gtk-3", "gdk-3", "gdk_pixbuf-2.0", "atk-1.0", "atk-bridge-2.0", "atspi", "cairo", "cairo-gobject"),
    *("pango-1.0", "pangocairo-1.0", "pangoft2-1.0", "harfbuzz", "graphite2", "fribidi", "thai", "datrie"),
    *("epoxy", "pixman-1", "jpeg", "gio-2.0", "gmodule-2.0", "gobject-2.0", "mount", "blkid", "selinux"),
    *("gssapi_krb5", "krb5", "k5crypto", "krb5support", "com_err", "keyutils", "xcb-glx"),
    *("Xcomposite", "Xcursor", "Xdamage", "Xext", "Xfixes", "Xi", "Xinerama", "Xrandr", "Xrender"),
)


# the languages qvupload has catalogues for (qvupload.i18n.LANGUAGES; tests/bundle checks they agree):
# Qt's own dialog translations and Babel's locale data for other languages are never loaded (the
# window and the command line use the catalogue's language), and Babel's alone are 35 MB
SHIPPED_LANGUAGES = ("de", "fr", "es", "pt_BR")
# Babel loads a locale's parents too (pt_BR -> pt -> root); English needs none of its data
BABEL_LOCALES = frozenset({"root", *SHIPPED_LANGUAGES, *(lang.split("_")[0] for lang in SHIPPED_LANGUAGES)})


def _stem(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    name = name.removeprefix("lib")
    for suffix in (".so", ".dll", ".dylib", ".pyd"):
        if suffix in name:
            name = name[: name.index(suffix)]
    return name


def keep(dest: str, system: str = sys.platform) -> bool:
    """Whether a collected file (its destination inside the bundle) stays in the bundle."""
    path = dest.replace("\\", "/")
    marker = "/Qt/plugins/" if "/Qt/plugins/" in path else ("/plugins/" if path.startswith("PySide6/plugins/") else "")
    if marker:
        folder, _, filename = path.split(marker, 1)[1].partition("/")
        allowed = PLUGINS_BY_SYSTEM.get("linux" if system.startswith("linux") else system, {}).get(folder)
        return bool(allowed) and _stem(filename) in allowed
    if "/Qt/translations/" in path or path.startswith("PySide6/translations/"):
        stem = _stem(path).removesuffix(".qm")  # Qt's own dialogs (the app's are in locale/), in its languages
        return stem.startswith("qtbase_") and stem.removeprefix("qtbase_") in SHIPPED_LANGUAGES
    if path.startswith("babel/locale-data/"):
        return path.rsplit("/", 1)[-1].removesuffix(".dat") in BABEL_LOCALES
    return _stem(path) not in UNUSED_LIBRARIES


def filtered(entries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [entry for entry in entries if keep(entry[0])]
