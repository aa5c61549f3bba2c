"""PySide6 only: bootstrap (qasync), the main window, table models, delegates and dialogs.

Once PySide6 is loaded it reads the source of every module imported after it (to find modules
that use its features), so the Qt-free modules the window needs before it shows load here, first.
"""

import qvupload.paths
import qvupload.timefmt
import qvupload.transfers.model
import qvupload.ui.preferences  # noqa: F401
