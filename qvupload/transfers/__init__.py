"""Transfer jobs and their states, the queue, SQLite persistence and the ledger (no Qt)."""

from qvupload.transfers.model import DuplicatePolicy, Job, JobState, Target
from qvupload.transfers.queue import Event, Totals, TransferQueue
from qvupload.transfers.store import TransferStore

__all__ = ["DuplicatePolicy", "Event", "Job", "JobState", "Target", "Totals", "TransferQueue", "TransferStore"]
