"""Users and groups, with the SCIM filter subset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qvupload.sandbox.model import EVERYONE_GROUP_ID
from qvupload.sandbox.scim import FilterError, attribute_getter, parse_filter
from qvupload.sandbox.views import group_json, user_json
from qvupload.sandbox.web import ApiError, Request, Response, Router, paginate, sort_records

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox


class PeopleRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        r.add("GET", "/api/v1/users", self.list_users, tier="1")
        r.add("GET", "/api/v1/users/me", self.me, tier="1")
        r.add("POST", "/api/v1/users/actions/filter", self.filter_users, tier="special")
        r.add("GET", "/api/v1/users/{userId}", self.get_user, tier="1")
        r.add("GET", "/api/v1/groups", self.list_groups, tier="1")
        r.add("POST", "/api/v1/groups/actions/filter", self.filter_groups, tier="special")
        r.add("GET", "/api/v1/groups/{groupId}", self.get_group, tier="1")

    def _matching(self, records: list[dict[str, Any]], filter_text: str | None) -> list[dict[str, Any]]:
        if not filter_text:
            return records
        try:
            predicate = parse_filter(filter_text)
        except FilterError as exc:
            raise ApiError(400, "Bad request", f"The filter is not valid: {exc}.") from exc
        return [r for r in records if predicate(attribute_getter(r))]

    def _users(self, req: Request, filter_text: str | None) -> Response:
        with self.tenant.lock:
            records = [user_json(self.tenant, u, req.base_url) for u in self.tenant.users.values()]
        found = self._matching(records, filter_text)
        found = sort_records(
            found,
            req.q("sort", "+name"),
            {
                "name": lambda u: u["name"].lower(),
                "email": lambda u: u["email"].lower(),
                "createdAt": lambda u: u["createdAt"],
                "status": lambda u: u["status"],
            },
        )
        page, links = paginate(req, found, 20, 100)
        body: dict[str, Any] = {"data": page, "links": links}
        if req.q("totalResults") == "true":
            body["totalResults"] = len(found)
        return Response.json(body)

    def list_users(self, req: Request) -> Response:
        return self._users(req, req.q("filter"))

    def filter_users(self, req: Request) -> Response:
        return self._users(req, str(req.json().get("filter") or ""))

    def me(self, req: Request) -> Response:
        location = f"/api/v1/users/{req.user_id}"
        return Response(
            301,
            b"<html><body>Moved Permanently</body></html>",
            {"Location": location, "Content-Type": "text/html"},
        )

    def get_user(self, req: Request) -> Response:
        with self.tenant.lock:
            user = self.tenant.users.get(req.params["userId"])
            if user is None:
                raise ApiError(404, "Not found", "No such user.", code="USERS-7")
            return Response.json(user_json(self.tenant, user, req.base_url))

    def _groups(self, req: Request, filter_text: str | None) -> Response:
        with self.tenant.lock:
            records = [
                group_json(self.tenant, g, req.base_url)
                for g in self.tenant.groups.values()
                if g.id != EVERYONE_GROUP_ID or req.q("systemGroups") == "true"
            ]
        found = sort_records(
            self._matching(records, filter_text),
            req.q("sort", "+name"),
            {"name": lambda g: g["name"].lower(), "createdAt": lambda g: g["createdAt"]},
        )
        page, links = paginate(req, found, 20, 100)
        body: dict[str, Any] = {"data": page, "links": links}
        if req.q("totalResults") == "true":
            body["totalResults"] = len(found)
        return Response.json(body)

    def list_groups(self, req: Request) -> Response:
        return self._groups(req, req.q("filter"))

    def filter_groups(self, req: Request) -> Response:
        return self._groups(req, str(req.json().get("filter") or ""))

    def get_group(self, req: Request) -> Response:
        with self.tenant.lock:
            group = self.tenant.groups.get(req.params["groupId"])
            if group is None:
                raise ApiError(404, "Not found", "No such group.")
            return Response.json(group_json(self.tenant, group, req.base_url))
