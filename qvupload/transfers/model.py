"""Transfer jobs: what to send where, and where each one stands."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from qvupload.i18n import _


class JobState(StrEnum):
    QUEUED = "queued"
    UPLOADING = "uploading"
    IMPORTING = "importing"
    MOVING = "moving"
    PUBLISHING = "publishing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    PAUSED = "paused"

    @property
    def terminal(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)

    @property
    def active(self) -> bool:
        return self in (JobState.UPLOADING, JobState.IMPORTING, JobState.MOVING, JobState.PUBLISHING)


class DuplicatePolicy(StrEnum):
    ASK = "ask"
    SKIP = "skip"
    REPLACE = "replace"
    KEEP_BOTH = "keep-both"


@dataclass(frozen=True)
class Target:
    """``personal``, ``shared:SPACE`` or ``managed:SPACE`` (SPACE is a name or an id)."""

    kind: str
    space: str = ""

    @classmethod
    def parse(cls, text: str) -> Target:
        kind, _sep, space = text.partition(":")
        kind = kind.strip().lower()
        if kind == "personal" and not space:
            return cls("personal")
        if kind in ("shared", "managed") and space.strip():
            return cls(kind, space.strip())
        raise ValueError(_("'%(text)s' is not a target: use personal, shared:SPACE or managed:SPACE") % {"text": text})

    def __str__(self) -> str:
        return self.kind if self.kind == "personal" else f"{self.kind}:{self.space}"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Job:
    path: str
    target: str  # str(Target)
    policy: str = DuplicatePolicy.SKIP.value
    allow_stale: bool = False
    id: str = field(default_factory=lambda: os.urandom(16).hex())
    name: str = ""
    size: int = 0
    state: str = JobState.QUEUED.value
    outcome: str = ""  # uploaded, replaced, skipped, kept-both, failed, cancelled
    message: str = ""
    upload_location: str = ""
    sha256: str = ""
    app_id: str = ""
    item_id: str = ""
    space_id: str = ""
    published_app_id: str = ""
    # a call that is not safe to repeat ("import", "publish") is written here before it goes out and
    # cleared when its answer came: after a crash, the tenant is asked what it did before sending again
    pending_write: str = ""
    pending_since: str = ""  # when it went out (less some clock slack)
    pending_known: str = ""  # ids (space-separated) of same-named apps or copies that were there before
    bytes_acked: int = 0
    bytes_in_flight: int = 0
    resent_bytes: int = 0
    created_at: str = field(default_factory=now_iso)
    started_at: str = ""
    ended_at: str = ""

    @property
    def job_state(self) -> JobState:
        return JobState(self.state)

    @property
    def bytes_done(self) -> int:
        return min(self.size, self.bytes_acked + self.bytes_in_flight)
