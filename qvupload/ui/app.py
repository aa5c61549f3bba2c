"""Starting the window: PySide6, then qasync, then one asyncio loop that is Qt's event loop."""

from __future__ import annotations

import gc
import os
import sys
import time
import traceback
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from qvupload.i18n import N_, _

if TYPE_CHECKING:
    import asyncio

from qvupload.paths import config_dir, data_dir
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store

DEMO_BANNER = N_(
    "Demo: a local sandbox tenant on 127.0.0.1 with demo documents. Nothing leaves this machine. "
    "You are signed in as Ann Baker, a business user."
)


def install_crash_dialog(window: MainWindow) -> None:
    """An unexpected exception opens a dialog with a copyable report (no secrets) and the app keeps running."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        from PySide6.QtWidgets import QMessageBox

        report = "".join(traceback.format_exception(kind, value, tb))
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Something went wrong"))
        box.setText(
            _("qvupload hit an unexpected problem (%(name)s). Your queue is safe; you can carry on.")
            % {"name": kind.__name__}
        )
        box.setDetailedText(report)
        box.open()

    sys.excepthook = hook


async def _open(window: MainWindow) -> None:
    import asyncio

    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def finish() -> None:
        if not closed.done():
            closed.set_result(None)

    app.lastWindowClosed.connect(finish)
    install_crash_dialog(window)
    window.show()
    if os.environ.get("QVUPLOAD_STARTUP_PROBE"):  # the start-up benchmark closes the window once it is up
        QTimer.singleShot(0, window.close)
    await closed


async def _main(demo: bool) -> None:
    settings = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
    if demo:
        import tempfile

        from qvupload.cloud import StaticToken
        from qvupload.documents.demo import write_demo_documents
        from qvupload.sandbox import Sandbox
        from qvupload.sandbox.seed import seed_demo, users_summary

        with tempfile.TemporaryDirectory(prefix="qvupload-demo-") as tmp, Sandbox() as sandbox:
            seed_demo(sandbox.tenant)
            ann = next(u for u in users_summary(sandbox.tenant) if u["role"] == "business")
            session = Session(default_store(Path(tmp) / "data"))
            window = MainWindow(session, banner=_(DEMO_BANNER), settings=settings, prefs_folder=Path(tmp))
            await session.connect(sandbox.url, StaticToken(ann["api_key"]), window.ask_duplicate, "demo")
            window.show_signed_in()
            documents = Path(tmp) / "Documents"
            write_demo_documents(documents)
            print(_("The demo's sandbox tenant is %(url)s (on this machine only).") % {"url": sandbox.url}, flush=True)
            window.add_paths([documents])
            await _open(window)
            await session.close_client()
        return
    raise AssertionError("_main runs the demo only; run_window shows the plain window itself")


async def _signed_in_window(window: MainWindow, session: Session) -> None:
    """The plain window, already on screen: sign in with the saved profile, then wait until it closes."""
    try:
        if await session.connect_profile(window.ask_duplicate):
            window.show_signed_in()
        else:
            window.say(_("Not signed in yet: File > Sign in (or run `qvupload demo` to try a local sandbox)."))
    except Exception as exc:
        window.say((_("Could not sign in with the saved profile: %(exc)s") % {"exc": exc}), error=True)
    await _open(window)
    await session.close_client()


class MainThreadCollector:
    """Python's cycle collector runs in whichever thread allocates; if that is a worker thread (scans,
    file reads) it may destroy Qt objects there, which Qt does not allow. So automatic collection
    is off while the window runs, and a timer on the window's thread collects instead, the way
    CPython itself would: a young generation once enough objects were allocated, and a full pass
    (about 50 ms with 5,000 documents listed) only once the objects that came to stay have grown
    by a quarter since the last one."""

    def __init__(self, interval_ms: int = 100) -> None:
        self.timer = QTimer()
        self.timer.timeout.connect(self.collect)
        self.interval_ms = interval_ms
        self.long_lived = 0  # objects in the oldest generation after the last full pass
        self.full_passes = -1

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        threshold0, threshold1, threshold2 = gc.get_threshold()
        if young < threshold0:
            return
        if middle < threshold1:
            gc.collect(0)
            return
        if old < threshold2:
            gc.collect(1)
            return
        if gc.get_stats()[2]["collections"] != self.full_passes:  # a full pass ran elsewhere (end of a scan)
            self._note_full_pass()
        if len(gc.get_objects(generation=2)) - self.long_lived > self.long_lived // 4:
            gc.collect()
            self._note_full_pass()
        else:
            gc.collect(1)

    def _note_full_pass(self) -> None:
        self.long_lived = len(gc.get_objects(generation=2))
        self.full_passes = gc.get_stats()[2]["collections"]

    def __enter__(self) -> MainThreadCollector:
        gc.disable()
        self.timer.start(self.interval_ms)
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        gc.collect()
        gc.enable()


def install_language(app: QApplication) -> str:
    """The window's language: ``--lang``, else the preference, else the system; Qt's own dialogs follow it."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from qvupload import i18n
    from qvupload.ui.preferences import Preferences

    lang = i18n.apply_preference(Preferences.load(config_dir()).language)
    if lang not in ("en", i18n.PSEUDO):
        QLocale.setDefault(QLocale(lang))
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QLocale(lang), "qtbase", "_", folder):
            app.installTranslator(translator)
    return lang


def run_window(demo: bool = False) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("qvupload")
    app.setWindowIcon(QIcon(str(Path(__file__).with_name("icons") / "qvupload.svg")))  # scalable: sharp at any DPI
    # closing the window ends the coroutine (which then closes the client); Qt must not stop the loop first
    app.setQuitOnLastWindowClosed(False)
    # worker threads (file reads, hashing, scans) hand the GIL back to the window's thread sooner
    sys.setswitchinterval(0.001)
    install_language(app)
    if demo:
        main: Coroutine[Any, Any, None] = _main(demo=True)
    else:  # show the window first; the event loop, the keyring and the network come after
        settings = QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
        session = Session(store_folder=data_dir())
        window = MainWindow(session, settings=settings, prefs_folder=config_dir())
        window.show()
        app.processEvents()
        if os.environ.get("QVUPLOAD_STARTUP_PROBE"):
            print(f"shown {time.time():.6f}", flush=True)  # the start-up benchmark reads this moment
            print("loaded", *sorted({name.partition(".")[0] for name in sys.modules}), flush=True)  # and a test this
        main = _signed_in_window(window, session)
    import asyncio  # only now: the window is already on screen

    from qvupload.ui.qtloop import QtEventLoop  # qasync; PySide6 is already loaded, so it binds to it

    with MainThreadCollector(), asyncio.Runner(loop_factory=QtEventLoop) as runner:
        runner.run(main)
    return 0
