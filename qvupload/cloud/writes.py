"""Which calls may simply be sent again when their outcome is unknown, in one table.

An outcome is unknown when the request went out but no answer came back (the connection dropped
after it was sent, the answer came after the time-out) or the answer was a 5xx: the tenant may or
may not have carried the call out. Calls that read, or that set something to a given value, may be
sent again. Calls that create something new each time may not: the caller first finds out what the
tenant did (see ``qvupload.cloud.reconcile``). A call that is in no row and does not only read is
taken as not safe to repeat, so a route added later errs on the safe side until it gets its row.
The sources of each row are in docs/reference-notes/exactly-once-writes.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Repeat(StrEnum):
    SAFE = "safe"  # sending it again gives the same result (or the tenant refuses a duplicate with 409)
    RESUME = "resume"  # never resent whole: the caller asks the tenant where it stands (tus PATCH)
    RECONCILE = "reconcile"  # a second one creates a second thing: find out what the tenant did first


@dataclass(frozen=True)
class Write:
    repeat: Repeat
    why: str
    safe_with: str = ""  # a query parameter that makes the call safe to repeat (import into a given appId)


WRITES: dict[tuple[str, str], Write] = {
    ("POST", "/api/v1/temp-contents/files"): Write(
        Repeat.SAFE, "a second upload address is harmless: an unused one expires at its time to live"
    ),
    ("PATCH", "/api/v1/temp-contents/files/{id}"): Write(
        Repeat.RESUME, "the upload reads Upload-Offset again and sends from there"
    ),
    ("POST", "/api/v1/temp-contents"): Write(Repeat.RECONCILE, "each call stores another temporary file"),
    ("POST", "/api/v1/apps/import"): Write(
        Repeat.RECONCILE,
        "each import makes a new app: look for the app by name, owner and time",
        safe_with="appId",
    ),
    ("POST", "/api/v1/apps/{appId}/publish"): Write(
        Repeat.RECONCILE, "each publish makes a new copy: look at the source's published copies in the space"
    ),
    ("PUT", "/api/v1/apps/{appId}/publish"): Write(Repeat.SAFE, "republishing over the same target app"),
    ("PUT", "/api/v1/apps/{appId}/space"): Write(Repeat.SAFE, "sets the space; a second call changes nothing"),
    ("DELETE", "/api/v1/apps/{appId}/space"): Write(Repeat.SAFE, "back to the personal space"),
    ("PUT", "/api/v1/apps/{appId}"): Write(Repeat.SAFE, "sets attributes"),
    ("DELETE", "/api/v1/apps/{appId}"): Write(Repeat.SAFE, "a second delete finds nothing (404)"),
    ("POST", "/api/v1/spaces/{spaceId}/assignments"): Write(
        Repeat.SAFE, "one assignment per assignee: a second gets 409 and the caller merges the roles"
    ),
    ("PUT", "/api/v1/spaces/{spaceId}/assignments/{assignmentId}"): Write(Repeat.SAFE, "sets the roles"),
    ("DELETE", "/api/v1/spaces/{spaceId}/assignments/{assignmentId}"): Write(Repeat.SAFE, "removes it"),
    ("POST", "/api/v1/spaces"): Write(Repeat.RECONCILE, "each call makes a space: look for it by name"),
    ("PATCH", "/api/v1/spaces/{spaceId}"): Write(Repeat.SAFE, "sets attributes"),
    ("POST", "/api/v1/items"): Write(Repeat.RECONCILE, "each call makes an item (a link): look for it by its address"),
    ("PUT", "/api/v1/items/{itemId}"): Write(Repeat.SAFE, "sets attributes"),
    ("DELETE", "/api/v1/items/{itemId}"): Write(Repeat.SAFE, "a second delete finds nothing (404)"),
    ("POST", "/api/v1/users/actions/filter"): Write(Repeat.SAFE, "a read sent as POST"),
    ("POST", "/api/v1/groups/actions/filter"): Write(Repeat.SAFE, "a read sent as POST"),
}
READS = {"GET", "HEAD", "OPTIONS"}
_PATTERNS = [
    (method, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(route)) + "$"), write)
    for (method, route), write in WRITES.items()
]
_UNLISTED = Write(Repeat.RECONCILE, "not in the table: taken as not safe to repeat")


def classify(method: str, path: str) -> Write:
    """The row for a call (``path`` may be a full URL and may carry a query)."""
    method = method.upper()
    if method in READS:
        return Write(Repeat.SAFE, "reads only")
    route = urlsplit(path).path.rstrip("/") or "/"
    for row_method, pattern, write in _PATTERNS:
        if row_method == method and pattern.match(route):
            return write
    return _UNLISTED


def safe_to_repeat(method: str, path: str, params: Mapping[str, str] | None = None) -> bool:
    """True when a call whose outcome is unknown may simply be sent again."""
    write = classify(method, path)
    if write.repeat is Repeat.SAFE:
        return True
    return bool(write.safe_with and params and params.get(write.safe_with))
