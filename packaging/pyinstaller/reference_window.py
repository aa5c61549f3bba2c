"""The start-up reference: an empty PySide6 window, frozen the same way as qvupload (reference.spec).

It opens a window, closes it as soon as the event loop runs (as ``QVUPLOAD_STARTUP_PROBE`` makes
qvupload do) and exits, so the two start-up times measure the same thing.
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.show()
    QTimer.singleShot(0, window.close)
    sys.exit(app.exec())
