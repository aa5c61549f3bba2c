"""After a call that is not safe to repeat had an unknown outcome: find out what the tenant did,
and send again only when it did nothing.

- import: the QlikView app of that name, owned by me, created since the call went out, in the
  space it was imported to, that was not there before;
- publish: a published copy of the source in that space that was not there before.

The tenant's lists (items) may lag a moment behind a write, so a look that finds nothing is
repeated briefly before the call is sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from qvupload.cloud import apps
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import OutcomeUnknown
from qvupload.i18n import _

T = TypeVar("T")
LOOK_AGAIN = (0.3, 0.7)  # seconds between looks that found nothing
# with no answer (a time-out, or the connection dropped after the call went out: the tenant goes on
# with a call whose client has gone) or a gateway's time-out (504), the tenant may still be working
# on it (a big import): look for longer before sending it again
LOOK_AFTER_TIME_OUT = (0.3, 0.7, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
FINISHED_FAILING = (500, 502, 503)  # the tenant answered: its work on the call has ended
CLOCK_SLACK = timedelta(minutes=10)  # the tenant's clock may differ from ours


def since_now() -> str:
    """A moment just before a call goes out, on the tenant's clock give or take ``CLOCK_SLACK``."""
    return (datetime.now(UTC) - CLOCK_SLACK).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def look(find: Callable[[], Awaitable[T | None]], delays: tuple[float, ...] = LOOK_AGAIN) -> T | None:
    """``find()``, looking again briefly while it finds nothing (lists may lag behind writes)."""
    for delay in (*delays, None):
        found = await find()
        if found is not None or delay is None:
            return found
        await asyncio.sleep(delay)
    return None


async def exactly_once(
    client: CloudClient,
    send: Callable[[], Awaitable[T]],
    find: Callable[[], Awaitable[T | None]],
    *,
    look_first: bool = False,
) -> T:
    """``send()``; when its outcome is unknown, ``find()`` what it did, and send again only when
    that finds nothing. ``look_first`` when an earlier run may already have sent it (a resume)."""
    if look_first:
        found = await look(find)
        if found is not None:
            return found
    attempts = max(1, client.retry.attempts)
    for attempt in range(attempts):
        try:
            return await send()
        except OutcomeUnknown as unknown:
            found = await look(find, LOOK_AGAIN if unknown.status in FINISHED_FAILING else LOOK_AFTER_TIME_OUT)
            if found is not None:
                return found
            if attempt + 1 >= attempts:
                raise
            await asyncio.sleep(client.retry.backoff(attempt))
    raise AssertionError("unreachable")


async def my_id(client: CloudClient) -> str:
    me = await client.json("GET", "/api/v1/users/me", doing=_("Could not check who you are."))
    return str(me.get("id") or "")


async def imported_app(
    client: CloudClient, name: str, *, owner_id: str, since: str, space_id: str | None, known: Collection[str]
) -> dict[str, Any] | None:
    """The app an import made, as ``{"id": ..., "name": ...}``, or None when there is none."""
    params = {"resourceType": apps.QVAPP, "name": name, "ownerId": owner_id, "limit": "100"}
    params |= {"spaceId": space_id} if space_id else {"spaceType": "personal"}
    start = _time(since)
    found = []
    async for item in client.paginate(
        "/api/v1/items", doing=_("Could not look for %(name)s.") % {"name": name}, params=params
    ):
        created = _time(str(item.get("createdAt") or item.get("resourceCreatedAt") or ""))
        if (
            item.get("name") == name
            and item.get("ownerId") == owner_id
            and str(item.get("resourceId")) not in known
            and (start is None or created is None or created >= start)
        ):
            found.append(item)
    if not found:
        return None
    first = min(found, key=lambda i: str(i.get("createdAt") or ""))  # the one the first call made
    return {"id": str(first["resourceId"]), "name": name, "_resourcetype": apps.QVAPP, "itemId": str(first["id"])}


async def published_copy(
    client: CloudClient, item_id: str, space_id: str, known: Collection[str], *, app_id: str = ""
) -> dict[str, Any] | None:
    """A published copy of the source item in the space, not among ``known``, as ``{"id": ...}``."""
    if not item_id and app_id:
        item = await apps.item_for_app(client, app_id)
        item_id = str(item["id"]) if item else ""
    if not item_id:
        return None
    for copy in await apps.published_copies(client, item_id, space_id):
        if str(copy.get("resourceId")) not in known:
            return {"id": str(copy["resourceId"]), "name": copy.get("name"), "itemId": str(copy.get("id"))}
    return None


async def import_once(
    client: CloudClient,
    file_id: str,
    name: str,
    *,
    owner_id: str,
    since: str,
    known: Collection[str],
    space_id: str | None = None,
    look_first: bool = False,
) -> dict[str, Any]:
    """Import, making at most one app whatever the network does."""
    return await exactly_once(
        client,
        lambda: apps.import_qvapp(client, file_id, name, space_id=space_id),
        lambda: imported_app(client, name, owner_id=owner_id, since=since, space_id=space_id, known=known),
        look_first=look_first,
    )


async def publish_new(
    client: CloudClient,
    app_id: str,
    item_id: str,
    space_id: str,
    name: str,
    *,
    known: Collection[str],
    look_first: bool = False,
) -> dict[str, Any]:
    """Publish, making at most one new copy in the space whatever the network does."""
    return await exactly_once(
        client,
        lambda: apps.publish(client, app_id, space_id, name),
        lambda: published_copy(client, item_id, space_id, known, app_id=app_id),
        look_first=look_first,
    )
