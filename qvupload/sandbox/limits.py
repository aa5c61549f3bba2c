"""Per-user, per-tier rate limits and injected faults for the sandbox."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# Calls per window, per tier, as Qlik's specs state them (x-qlik-tier): tier 1 reads, tier 2
# writes, "special" for the tus upload routes.
DEFAULT_LIMITS = {"1": 1000, "2": 100, "special": 800}
DEFAULT_WINDOW = 60.0


class RateLimiter:
    """A sliding log of call times per (user, tier)."""

    def __init__(self, limits: dict[str, int] | None = None, window: float = DEFAULT_WINDOW) -> None:
        self.limits = dict(DEFAULT_LIMITS if limits is None else limits)
        self.window = window
        self._calls: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def configure(self, limits: dict[str, int] | None = None, window: float | None = None) -> None:
        with self._lock:
            if limits is not None:
                self.limits.update({str(k): int(v) for k, v in limits.items()})
            if window is not None:
                self.window = float(window)
            self._calls.clear()

    def check(self, user_id: str, tier: str) -> int | None:
        """Record a call; None when allowed, else the seconds to wait (for Retry-After)."""
        limit = self.limits.get(tier)
        if limit is None:
            return None
        now = time.monotonic()
        with self._lock:
            log = self._calls.setdefault((user_id, tier), deque())
            while log and now - log[0] >= self.window:
                log.popleft()
            if len(log) >= limit:
                return max(1, math.ceil(self.window - (now - log[0])))
            log.append(now)
            return None


AFTERMATHS = (None, "drop", "late", "detach")


@dataclass
class Fault:
    """What to do to the next ``count`` calls of ``route`` (``METHOD /template`` or ``*``)."""

    route: str
    count: int = 1
    status: int | None = None  # answer with this status instead
    retry_after: int | None = None  # with 429 (or any status)
    drop_after_bytes: int | None = None  # PATCH: read this many body bytes, then drop the connection
    latency_ms: int = 0  # wait before answering
    bandwidth_bps: int | None = None  # throttle reading upload bodies
    expire_upload: bool = False  # PATCH/HEAD: the upload expires now (410 from here on)
    after: int = 0  # let this many matching calls through first
    # what the network does to the answer of a call that was carried out: "drop" closes the
    # connection without an answer, "late" answers only after ``late_ms`` (past the client's time-out);
    # "detach" closes the connection at once and carries the call out ``late_ms`` later
    then: str | None = None
    late_ms: int = 90_000

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown or "route" not in data:
            raise ValueError(f"a fault needs 'route' and may have {sorted(known)}; got {sorted(data)}")
        if data.get("then") not in AFTERMATHS:
            raise ValueError(f"'then' is one of {sorted(a for a in AFTERMATHS if a)}; got {data.get('then')!r}")
        return cls(**data)


@dataclass
class FaultBoard:
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def take(self, route_key: str) -> Fault | None:
        """The first fault for this route, counting one use of it."""
        with self.lock:
            for fault in self.faults:
                if fault.route in (route_key, "*") and fault.count > 0:
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def describe(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(vars(f)) for f in self.faults]
