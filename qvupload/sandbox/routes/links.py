"""``POST /api/v1/items``: items that reference a resource outside the tenant (a ``resourceLink``).

The items spec lists no POST; this follows qlik-cli's ``item create`` (experimental): resourceType
is always required, resourceLink makes an external item, resourceId and resourceLink exclude each
other, and within a tenant an item's resourceLink is unique (a second create is a 409). The sandbox
creates external items only; internal items are made by the service that owns the resource (an
app's item appears when the app is imported). Sources: docs/reference-notes/items-create.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from qvupload.sandbox import rules
from qvupload.sandbox.model import Item, User, new_id, now_iso
from qvupload.sandbox.routes.items import RESOURCE_TYPES
from qvupload.sandbox.views import item_json
from qvupload.sandbox.web import ApiError, Request, Response, Router

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

EXTERNAL_TYPES = {"qlikview", "genericlink"}
KNOWN_FIELDS = {
    "name",
    "description",
    "spaceId",
    "resourceId",
    "resourceLink",
    "resourceType",
    "resourceSubType",
    "resourceAttributes",
    "resourceCustomAttributes",
    "resourceCreatedAt",
    "resourceUpdatedAt",
    "thumbnailId",
}


class LinkRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        r.add("POST", "/api/v1/items", self.create, tier="2")

    def create(self, req: Request) -> Response:
        body = req.json()
        if not isinstance(body, dict):
            raise ApiError(400, "Bad request", "The body is a JSON object.")
        kind, link, name, space_id = _validate(body)
        with self.tenant.lock:
            user: User = self.tenant.users[req.user_id or ""]
            if user.status != "active" or user.license != "professional":
                raise ApiError(403, "Forbidden", "Only users with a professional licence can add items.")
            if space_id is not None:
                space = self.tenant.spaces.get(space_id)
                if space is None or not rules.can_see_space(self.tenant, user, space):
                    raise ApiError(404, "Not found", "No such space that you can see.")
                if space.type not in ("shared", "managed"):
                    raise ApiError(400, "Bad request", "Links go into a shared or a managed space.")
                if not rules.can_add_link(self.tenant, user, space):
                    raise ApiError(
                        403,
                        "Forbidden",
                        f"You cannot add items to the {space.type} space {space.name}: that needs "
                        + ("Can edit or Can manage." if space.type == "shared" else "Can publish or Can manage."),
                    )
            if any(i.resource_link == link for i in self.tenant.items.values()):
                raise ApiError(409, "Conflict", "An item with this resourceLink already exists in the tenant.")
            now = now_iso()
            item = Item(
                new_id(),
                "",
                kind,
                user.id,
                user.id,
                created_at=now,
                updated_at=now,
                resource_link=link,
                name=name,
                description=str(body.get("description") or ""),
                space_id=space_id,
            )
            self.tenant.items[item.id] = item
            self.tenant.save()
            data = item_json(self.tenant, user, item, req.base_url)
        return Response.json(data, 201, {"Location": f"{req.base_url}/api/v1/items/{item.id}"})


def _validate(body: dict[str, Any]) -> tuple[str, str, str, str | None]:
    unknown = set(body) - KNOWN_FIELDS
    if unknown:
        raise ApiError(400, "Bad request", f"Unknown fields {sorted(unknown)}.")
    kind = body.get("resourceType")
    if not isinstance(kind, str) or kind not in RESOURCE_TYPES:
        raise ApiError(400, "Bad request", "resourceType is required and must be an item type.")
    has_id, link = bool(body.get("resourceId")), body.get("resourceLink")
    if has_id and link:
        raise ApiError(400, "Bad request", "Give either resourceId or resourceLink, not both.")
    if has_id or kind not in EXTERNAL_TYPES:
        raise ApiError(400, "Bad request", "This tenant creates only external items (qlikview, genericlink).")
    if not isinstance(link, str) or not link:
        raise ApiError(400, "Bad request", "resourceLink is required for an external item.")
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError(400, "Bad request", "resourceLink must be an absolute http(s) URI.")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "Bad request", "name is required (at least one character).")
    space_id = body.get("spaceId")
    if space_id is not None and not isinstance(space_id, str):
        raise ApiError(400, "Bad request", "spaceId is a string.")
    return kind, link, name, space_id or None
