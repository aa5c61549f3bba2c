"""QlikView documents on disk: container reader, freshness evidence, folder scan, inventory.

No Qt and no network here.
"""

from qvupload.documents.errors import (
    DocumentError,
    NotQlikViewError,
    TruncatedDocumentError,
    UnreadableDocumentError,
)
from qvupload.documents.facts import DocumentFacts, read_document
from qvupload.documents.freshness import DEFAULT_STALE_AFTER, Freshness, assess, gather_evidence
from qvupload.documents.scan import CancelToken, ScanOptions, ScanProgress, ScanResult, iter_scan, scan

__all__ = [
    "DEFAULT_STALE_AFTER",
    "CancelToken",
    "DocumentError",
    "DocumentFacts",
    "Freshness",
    "NotQlikViewError",
    "ScanOptions",
    "ScanProgress",
    "ScanResult",
    "TruncatedDocumentError",
    "UnreadableDocumentError",
    "assess",
    "gather_evidence",
    "iter_scan",
    "read_document",
    "scan",
]
