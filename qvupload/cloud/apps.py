"""Apps, items and spaces: import a QlikView document, find it, move it, publish it."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound
from qvupload.i18n import _

QVAPP = "qvapp"
ITEM_POLL = (0.2, 0.5, 1.0, 2.0, 3.0)
_ID = re.compile(r"^[0-9a-f]{24}$")


class NotAQlikViewApp(CloudError):
    """The tenant imported the document as something other than a QlikView app."""


async def privileges(client: CloudClient) -> list[str]:
    data = await client.json("GET", "/api/v1/apps/privileges", doing=_("Could not check your rights."))
    return [str(p) for p in data] if isinstance(data, list) else []


async def import_qvapp(
    client: CloudClient, file_id: str, name: str, *, app_id: str | None = None, space_id: str | None = None
) -> dict[str, Any]:
    """Import an uploaded document; returns the app's attributes. Checks the result is a ``qvapp``."""
    params = {"fileId": file_id, "fallbackName": name}
    if app_id:
        params["appId"] = app_id
    if space_id:
        params["spaceId"] = space_id
    body = await client.json(
        "POST", "/api/v1/apps/import", doing=_("Could not import %(name)s.") % {"name": name}, tier="2", params=params
    )
    attrs: dict[str, Any] = body.get("attributes") or {}
    if attrs.get("_resourcetype") != QVAPP:
        raise NotAQlikViewApp(
            _("The tenant imported %(name)s as %(value)s, not as a QlikView app.")
            % {"name": name, "value": attrs.get("_resourcetype") or "something else"}
        )
    return attrs


async def item_for_app(client: CloudClient, app_id: str, *, wait: bool = True) -> dict[str, Any] | None:
    """The hub item of an app; the platform creates it shortly after import, so poll briefly."""
    for delay in (*ITEM_POLL, None) if wait else (None,):
        async for item in client.paginate(
            "/api/v1/items",
            doing=_("Could not find the app in the hub."),
            params={"resourceType": QVAPP, "resourceId": app_id},
        ):
            return item
        if delay is None:
            return None
        await asyncio.sleep(delay)
    return None


async def qvapps_named(
    client: CloudClient, name: str, space_id: str | None = None, space_type: str | None = None
) -> list[dict[str, Any]]:
    """QlikView apps with exactly this name in a space (``personal`` for the personal space), or in
    spaces of a type (``personal,shared``)."""
    params = {"resourceType": QVAPP, "name": name, "limit": "100"}
    if space_id:
        params["spaceId"] = space_id
    if space_type:
        params["spaceType"] = space_type
    found = []
    async for item in client.paginate(
        "/api/v1/items", doing=_("Could not look for %(name)s.") % {"name": name}, params=params
    ):
        if item.get("name") == name:
            found.append(item)
    return found


async def move_to_space(client: CloudClient, app_id: str, space_id: str, name: str) -> dict[str, Any]:
    body = await client.json(
        "PUT",
        f"/api/v1/apps/{app_id}/space",
        doing=_("Could not move %(name)s.") % {"name": name},
        tier="2",
        json={"spaceId": space_id},
    )
    return dict(body.get("attributes") or {})


async def publish(client: CloudClient, app_id: str, space_id: str, name: str) -> dict[str, Any]:
    body = await client.json(
        "POST",
        f"/api/v1/apps/{app_id}/publish",
        doing=_("Could not publish %(name)s.") % {"name": name},
        tier="2",
        json={"spaceId": space_id, "data": "source", "attributes": {"name": name}},
    )
    return dict(body.get("attributes") or {})


async def republish(client: CloudClient, app_id: str, target_app_id: str, name: str) -> dict[str, Any]:
    body = await client.json(
        "PUT",
        f"/api/v1/apps/{app_id}/publish",
        doing=_("Could not republish %(name)s.") % {"name": name},
        tier="2",
        json={"targetId": target_app_id, "data": "source", "checkOriginAppId": True, "attributes": {"name": name}},
    )
    return dict(body.get("attributes") or {})


async def publish_once(
    client: CloudClient,
    app_id: str,
    item_id: str,
    space_id: str,
    name: str,
    copies: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], bool]:
    """Publish an app to a managed space, or republish over its copy already there, so a space never
    gets a second copy. Returns the published copy's attributes and whether it was a republish.
    ``copies`` saves the look-up when the caller has already made it."""
    if copies is None:
        copies = await published_copies(client, item_id, space_id) if item_id else []
    if copies:
        return await republish(client, app_id, str(copies[0]["resourceId"]), name), True
    from qvupload.cloud.reconcile import publish_new  # it builds on this module

    return await publish_new(client, app_id, item_id, space_id, name, known=()), False


async def published_copies(client: CloudClient, item_id: str, space_id: str | None = None) -> list[dict[str, Any]]:
    copies = []
    async for item in client.paginate(
        f"/api/v1/items/{item_id}/publisheditems", doing=_("Could not look for published copies.")
    ):
        if space_id is None or item.get("spaceId") == space_id:
            copies.append(item)
    return copies


async def get_app(client: CloudClient, app_id: str) -> dict[str, Any]:
    body = await client.json("GET", f"/api/v1/apps/{app_id}", doing=_("Could not read the app."))
    return dict(body)


async def find_space(client: CloudClient, name_or_id: str) -> dict[str, Any]:
    """A space by id, or by exact (case-insensitive) name."""
    if _ID.match(name_or_id):
        try:
            return dict(await client.json("GET", f"/api/v1/spaces/{name_or_id}", doing=_("Could not find the space.")))
        except NotFound:
            pass
    matches = [
        s
        async for s in client.paginate(
            "/api/v1/spaces", doing=_("Could not find the space."), params={"name": name_or_id, "limit": "100"}
        )
        if str(s.get("name", "")).lower() == name_or_id.lower()
    ]
    if not matches:
        raise NotFound(
            (_("There is no space named %(name_or_id)s that you can see.") % {"name_or_id": name_or_id}), 404
        )
    if len(matches) > 1:
        raise CloudError(
            _("More than one space is named %(name_or_id)s; give its id instead.") % {"name_or_id": name_or_id}
        )
    return matches[0]


async def find_app(client: CloudClient, name_or_id: str) -> dict[str, Any]:
    """A QlikView app's item by app id, item id, exact name or ``"name" in "space"`` (see appref);
    several matches raise ``AmbiguousApp`` listing them."""
    from qvupload.cloud import appref

    ref = appref.AppRef.parse(name_or_id)
    return appref.only_one(ref, await appref.resolve(client, ref)).item
