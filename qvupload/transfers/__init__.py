"""Transfer jobs and their states, the queue, SQLite persistence and the ledger (no Qt).

The names below load on first use, so importing ``qvupload.transfers.model`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qvupload.transfers.model import DuplicatePolicy, Job, JobState, Target
    from qvupload.transfers.queue import Event, Totals, TransferQueue
    from qvupload.transfers.store import TransferStore

_WHERE = {
    "DuplicatePolicy": "qvupload.transfers.model",
    "Job": "qvupload.transfers.model",
    "JobState": "qvupload.transfers.model",
    "Target": "qvupload.transfers.model",
    "Event": "qvupload.transfers.queue",
    "Totals": "qvupload.transfers.queue",
    "TransferQueue": "qvupload.transfers.queue",
    "TransferStore": "qvupload.transfers.store",
}

__all__ = ["DuplicatePolicy", "Event", "Job", "JobState", "Target", "Totals", "TransferQueue", "TransferStore"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'qvupload.transfers' has no attribute {name!r}")
