"""Items: the hub's view of apps, filtered and paged as the Items API does it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qvupload.sandbox import rules
from qvupload.sandbox.model import Item, User, now_iso
from qvupload.sandbox.views import item_json
from qvupload.sandbox.web import ApiError, Request, Response, Router, paginate, sort_records

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

RESOURCE_TYPES = {
    "app",
    "qlikview",
    "qvapp",
    "genericlink",
    "sharingservicetask",
    "note",
    "dataasset",
    "dataset",
    "automation",
    "script",
    "page",
}
SPACE_TYPES = {"personal", "shared", "managed", "data"}


class ItemRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        r.add("GET", "/api/v1/items", self.list_items, tier="1")
        r.add("GET", "/api/v1/items/{itemId}", self.get, tier="1")
        r.add("PUT", "/api/v1/items/{itemId}", self.update, tier="2")
        r.add("DELETE", "/api/v1/items/{itemId}", self.delete, tier="2")
        r.add("GET", "/api/v1/items/{itemId}/publisheditems", self.published, tier="1")

    def _user(self, req: Request) -> User:
        return self.tenant.users[req.user_id or ""]

    def _visible(self, user: User, item: Item) -> bool:
        if item.external:
            if item.space_id is None:
                return item.owner_id == user.id or user.is_admin
            space = self.tenant.spaces.get(item.space_id)
            return space is not None and rules.can_see_in_space(self.tenant, user, space)
        app = self.tenant.apps.get(item.resource_id)
        if app is None or not rules.can_see_app(self.tenant, user, app):
            return False
        return app.space_id is not None or app.owner_id == user.id or user.is_admin

    def _record(self, item: Item) -> _Fields:
        """What the filters read, for an app's item or an external item alike."""
        if item.external:
            return _Fields(item.name, item.description, item.space_id, item.owner_id, "", item.resource_link)
        app = self.tenant.apps[item.resource_id]
        return _Fields(app.name, app.description, app.space_id, app.owner_id, app.id, "")

    def _item(self, req: Request) -> Item:
        item = self.tenant.items.get(req.params["itemId"])
        if item is None or not self._visible(self._user(req), item):
            raise ApiError(404, "Not found", "No such item that you can see.")
        return item

    def _space_type(self, space_id: str | None) -> str:
        return "personal" if space_id is None else self.tenant.spaces[space_id].type

    def _filter(self, req: Request, user: User) -> list[Item]:
        types = _csv(req.q("resourceType"))
        if types - RESOURCE_TYPES:
            raise ApiError(400, "Bad request", f"Unknown resourceType {sorted(types - RESOURCE_TYPES)}.")
        space_types = _csv(req.q("spaceType"))
        if space_types - SPACE_TYPES:
            raise ApiError(400, "Bad request", "spaceType takes personal, shared, managed or data.")
        resource_ids = _csv(req.q("resourceId")) | _csv(req.q("resourceIds"))
        link = req.q("resourceLink")
        if link and not types:
            raise ApiError(400, "Bad request", "resourceLink needs resourceType.")
        if resource_ids and link:
            raise ApiError(400, "Bad request", "Give either resourceId or resourceLink, not both.")
        space_id, name, query, owner = req.q("spaceId"), req.q("name"), req.q("query"), req.q("ownerId")
        found = []
        for item in self.tenant.items.values():
            if not self._visible(user, item):
                continue
            r = self._record(item)
            checks = [
                not types or item.resource_type in types,
                not resource_ids or r.resource_id in resource_ids,
                link is None or r.link == link,
                not space_types or self._space_type(r.space_id) in space_types,
                space_id is None
                or (space_id == "personal" and r.space_id is None and r.owner_id == user.id)
                or r.space_id == space_id,
                name is None or r.name.lower() == name.lower(),
                query is None or query.lower() in (r.name + " " + r.description).lower(),
                owner is None or r.owner_id == owner,
            ]
            if all(checks):
                found.append(item)
        return found

    def _page(self, req: Request, user: User, records: list[Item]) -> Response:
        records = sort_records(
            records,
            req.q("sort", "-updatedAt"),
            {
                "name": lambda i: self._record(i).name.lower(),
                "createdAt": lambda i: i.created_at,
                "updatedAt": lambda i: i.updated_at,
            },
        )
        page, links = paginate(req, records, 10, 100)
        data = [item_json(self.tenant, user, i, req.base_url) for i in page]
        if req.q("noActions") == "true":
            for entry in data:
                entry["actions"], entry["meta"]["actions"] = [], []
        return Response.json({"data": data, "links": links})

    def list_items(self, req: Request) -> Response:
        with self.tenant.lock:
            user = self._user(req)
            return self._page(req, user, self._filter(req, user))

    def get(self, req: Request) -> Response:
        with self.tenant.lock:
            return Response.json(item_json(self.tenant, self._user(req), self._item(req), req.base_url))

    def update(self, req: Request) -> Response:
        body: dict[str, Any] = req.json()
        with self.tenant.lock:
            user, item = self._user(req), self._item(req)
            if item.external:
                return self._update_external(req, user, item, body)
            app = self.tenant.apps[item.resource_id]
            if "update" not in rules.app_privileges(self.tenant, user, app):
                raise ApiError(403, "Forbidden", "You cannot change this item.")
            if "name" in body:
                app.name = str(body["name"])
            if "description" in body:
                app.description = str(body["description"])
            item.updated_at = now_iso()
            self.tenant.save()
            return Response.json(item_json(self.tenant, user, item, req.base_url))

    def delete(self, req: Request) -> Response:
        with self.tenant.lock:
            user, item = self._user(req), self._item(req)
            if item.external:
                self._may_change_external(user, item, "delete")
                del self.tenant.items[item.id]
                self.tenant.save()
                return Response.empty(204)
            app = self.tenant.apps[item.resource_id]
            if "delete" not in rules.app_privileges(self.tenant, user, app):
                raise ApiError(403, "Forbidden", "You cannot delete this item.")
            del self.tenant.items[item.id]
            del self.tenant.apps[app.id]
            self.tenant.save()
        self.tenant.app_path(app).unlink(missing_ok=True)
        return Response.empty(204)

    def published(self, req: Request) -> Response:
        with self.tenant.lock:
            user, item = self._user(req), self._item(req)
            copies = [
                i
                for i in self.tenant.items.values()
                if not i.external
                and self.tenant.apps[i.resource_id].origin_app_id == item.resource_id
                and self._visible(user, i)
            ]
            return self._page(req, user, copies)

    def _may_change_external(self, user: User, item: Item, what: str) -> None:
        space = self.tenant.spaces.get(item.space_id or "")
        if space is None or not (user.is_admin or rules.can_add_link(self.tenant, user, space)):
            raise ApiError(403, "Forbidden", f"You cannot {what} this item.")

    def _update_external(self, req: Request, user: User, item: Item, body: dict[str, Any]) -> Response:
        self._may_change_external(user, item, "change")
        if "name" in body:
            item.name = str(body["name"])
        if "description" in body:
            item.description = str(body["description"])
        item.updated_at = now_iso()
        self.tenant.save()
        return Response.json(item_json(self.tenant, user, item, req.base_url))


@dataclass(frozen=True)
class _Fields:
    name: str
    description: str
    space_id: str | None
    owner_id: str
    resource_id: str
    link: str


def _csv(value: str | None) -> set[str]:
    return {v.strip() for v in (value or "").split(",") if v.strip()}
