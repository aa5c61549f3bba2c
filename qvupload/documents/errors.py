"""Errors raised while reading QlikView documents and their sidecar files.

Every error carries a sentence a business user can read; none carries file contents.
"""


class DocumentError(Exception):
    """A file could not be read as a QlikView document. ``str(err)`` is a readable sentence."""


class NotQlikViewError(DocumentError):
    """The file is not a QlikView document (no QlikView header or trailer)."""


class TruncatedDocumentError(DocumentError):
    """The file looks like a QlikView document but ends early or points outside itself."""


class UnreadableDocumentError(DocumentError):
    """The file could not be opened or read (permissions, I/O error, vanished)."""


class ChangingDocumentError(UnreadableDocumentError):
    """The file changed while it was read, twice: another program is writing it."""
