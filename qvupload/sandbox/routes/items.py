"""Items: the hub's view of apps, filtered and paged as the Items API does it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qvupload.sandbox import rules
from qvupload.sandbox.model import App, Item, User, now_iso
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
        app = self.tenant.apps.get(item.resource_id)
        if app is None or not rules.can_see_app(self.tenant, user, app):
            return False
        return app.space_id is not None or app.owner_id == user.id or user.is_admin

    def _item(self, req: Request) -> Item:
        item = self.tenant.items.get(req.params["itemId"])
        if item is None or not self._visible(self._user(req), item):
            raise ApiError(404, "Not found", "No such item that you can see.")
        return item

    def _space_type(self, app: App) -> str:
        return "personal" if app.space_id is None else self.tenant.spaces[app.space_id].type

    def _filter(self, req: Request, user: User) -> list[Item]:
        types = _csv(req.q("resourceType"))
        if types - RESOURCE_TYPES:
            raise ApiError(400, "Bad request", f"Unknown resourceType {sorted(types - RESOURCE_TYPES)}.")
        space_types = _csv(req.q("spaceType"))
        if space_types - SPACE_TYPES:
            raise ApiError(400, "Bad request", "spaceType takes personal, shared, managed or data.")
        resource_ids = _csv(req.q("resourceId")) | _csv(req.q("resourceIds"))
        space_id, name, query, owner = req.q("spaceId"), req.q("name"), req.q("query"), req.q("ownerId")
        found = []
        for item in self.tenant.items.values():
            if not self._visible(user, item):
                continue
            app = self.tenant.apps[item.resource_id]
            checks = [
                not types or item.resource_type in types,
                not resource_ids or app.id in resource_ids,
                not space_types or self._space_type(app) in space_types,
                space_id is None
                or (space_id == "personal" and app.space_id is None and app.owner_id == user.id)
                or app.space_id == space_id,
                name is None or app.name.lower() == name.lower(),
                query is None or query.lower() in (app.name + " " + app.description).lower(),
                owner is None or app.owner_id == owner,
            ]
            if all(checks):
                found.append(item)
        return found

    def _page(self, req: Request, user: User, records: list[Item]) -> Response:
        apps = self.tenant.apps
        records = sort_records(
            records,
            req.q("sort", "-updatedAt"),
            {
                "name": lambda i: apps[i.resource_id].name.lower(),
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
                if self.tenant.apps[i.resource_id].origin_app_id == item.resource_id and self._visible(user, i)
            ]
            return self._page(req, user, copies)


def _csv(value: str | None) -> set[str]:
    return {v.strip() for v in (value or "").split(",") if v.strip()}
