"""PySide6 only: bootstrap (qasync), the main window, table models, delegates and dialogs."""
