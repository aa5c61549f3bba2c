"""Spaces and their assignments (members and the roles they hold)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qvupload.sandbox import rules
from qvupload.sandbox.model import SPACE_ROLES, Assignment, Space, User, new_id, now_iso
from qvupload.sandbox.views import assignment_json, space_json
from qvupload.sandbox.web import ApiError, Request, Response, Router, paginate, sort_records

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

SPACE_ACTIONS = {"change_owner", "create", "read", "update", "delete", "publish"}


class SpaceRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        r.add("GET", "/api/v1/spaces", self.list_spaces, tier="1")
        r.add("POST", "/api/v1/spaces", self.create, tier="2")
        r.add("GET", "/api/v1/spaces/{spaceId}", self.get, tier="1")
        r.add("GET", "/api/v1/spaces/{spaceId}/assignments", self.list_assignments, tier="1")
        r.add("POST", "/api/v1/spaces/{spaceId}/assignments", self.create_assignment, tier="2")
        r.add("GET", "/api/v1/spaces/{spaceId}/assignments/{assignmentId}", self.get_assignment, tier="1")
        r.add("PUT", "/api/v1/spaces/{spaceId}/assignments/{assignmentId}", self.update_assignment, tier="2")
        r.add("DELETE", "/api/v1/spaces/{spaceId}/assignments/{assignmentId}", self.delete_assignment, tier="2")

    def _user(self, req: Request) -> User:
        return self.tenant.users[req.user_id or ""]

    def _space(self, req: Request) -> Space:
        space = self.tenant.spaces.get(req.params["spaceId"])
        if space is None or not rules.can_see_space(self.tenant, self._user(req), space):
            raise ApiError(404, "Not found", "No such space that you can see.")
        return space

    # -- spaces ----------------------------------------------------------------------------------
    def list_spaces(self, req: Request) -> Response:
        types = {t for t in (req.q("type") or "").split(",") if t}
        if types - set(SPACE_ROLES):
            raise ApiError(400, "Bad request", "type takes shared, managed or data.")
        action = req.q("action")
        if action is not None and action not in SPACE_ACTIONS:
            raise ApiError(400, "Bad request", f"Unknown action {action}.")
        name = (req.q("name") or "").lower()
        roles = {r for r in (req.q("roles") or "").split(",") if r}
        with self.tenant.lock:
            user = self._user(req)
            found = [
                s
                for s in self.tenant.spaces.values()
                if rules.can_see_space(self.tenant, user, s)
                and (not types or s.type in types)
                and name in s.name.lower()
                and (action is None or action in rules.space_actions(self.tenant, user, s))
                and (not roles or roles & rules.space_roles(self.tenant, user, s))
            ]
            found = sort_records(
                found,
                req.q("sort", "+name"),
                {
                    "name": lambda s: s.name.lower(),
                    "createdAt": lambda s: s.created_at,
                    "updatedAt": lambda s: s.updated_at,
                },
            )
            page, links = paginate(req, found, 10, 100)
            personal_actions = ["create", "read"] if rules.can_import_qlikview(user) else ["read"]
            return Response.json(
                {
                    "data": [space_json(self.tenant, user, s, req.base_url) for s in page],
                    "links": links,
                    "meta": {
                        "count": len(found),
                        "personalSpace": {"actions": personal_actions, "resourceType": "space"},
                    },
                }
            )

    def create(self, req: Request) -> Response:
        body: dict[str, Any] = req.json()
        name, kind = str(body.get("name") or "").strip(), str(body.get("type") or "")
        if not name or kind not in SPACE_ROLES:
            raise ApiError(400, "Bad request", "A space needs a name and a type (shared, managed or data).")
        with self.tenant.lock:
            user = self._user(req)
            if kind != "shared" and not user.is_admin:
                raise ApiError(403, "Forbidden", "Only tenant admins create managed and data spaces.")
            if user.license != "professional":
                raise ApiError(403, "Forbidden", "Creating spaces needs a Professional licence.")
            if any(s.name.lower() == name.lower() for s in self.tenant.spaces.values()):
                raise ApiError(409, "Conflict", f"A space named {name} already exists.")
            space = Space(new_id(), name, kind, user.id, str(body.get("description") or ""))
            self.tenant.spaces[space.id] = space
            self.tenant.save()
            return Response.json(space_json(self.tenant, user, space, req.base_url), 201)

    def get(self, req: Request) -> Response:
        with self.tenant.lock:
            return Response.json(space_json(self.tenant, self._user(req), self._space(req), req.base_url))

    # -- assignments -----------------------------------------------------------------------------
    def list_assignments(self, req: Request) -> Response:
        kind, assignee = req.q("type"), req.q("assigneeId")
        with self.tenant.lock:
            space = self._space(req)
            found = [
                a
                for a in self.tenant.space_assignments(space.id)
                if (kind is None or a.type == kind) and (assignee is None or a.assignee_id == assignee)
            ]
            found.sort(key=lambda a: a.created_at)
            page, links = paginate(req, found, 10, 100)
            return Response.json(
                {
                    "data": [assignment_json(self.tenant, a, req.base_url) for a in page],
                    "links": links,
                    "meta": {"count": len(found)},
                }
            )

    def _manager_space(self, req: Request) -> Space:
        space = self._space(req)
        if not rules.can_manage_members(self.tenant, self._user(req), space):
            raise ApiError(403, "Forbidden", f"Only the owner or a facilitator manages members of {space.name}.")
        return space

    def _roles(self, space: Space, raw: Any) -> list[str]:
        if not isinstance(raw, list) or not raw or not all(isinstance(r, str) for r in raw):
            raise ApiError(400, "Bad request", "roles must be a non-empty list of role names.")
        wrong = [r for r in raw if r not in SPACE_ROLES[space.type]]
        if wrong:
            raise ApiError(400, "Bad request", f"{', '.join(wrong)} is not a role of a {space.type} space.")
        return list(dict.fromkeys(raw))

    def create_assignment(self, req: Request) -> Response:
        body: dict[str, Any] = req.json()
        with self.tenant.lock:
            space = self._manager_space(req)
            kind, assignee = str(body.get("type") or ""), str(body.get("assigneeId") or "")
            if kind not in ("user", "group"):
                raise ApiError(400, "Bad request", "type must be user or group.")
            known = self.tenant.users if kind == "user" else self.tenant.groups
            if assignee not in known:
                raise ApiError(400, "Bad request", f"No {kind} {assignee}.")
            roles = self._roles(space, body.get("roles"))
            if any(a.type == kind and a.assignee_id == assignee for a in self.tenant.space_assignments(space.id)):
                raise ApiError(409, "Conflict", "That assignee already has an assignment in this space.")
            user = req.user_id or ""
            a = Assignment(new_id(), space.id, kind, assignee, roles, created_by=user, updated_by=user)
            self.tenant.assignments[a.id] = a
            self.tenant.save()
            return Response.json(assignment_json(self.tenant, a, req.base_url), 201)

    def _assignment(self, req: Request, space: Space) -> Assignment:
        a = self.tenant.assignments.get(req.params["assignmentId"])
        if a is None or a.space_id != space.id:
            raise ApiError(404, "Not found", "No such assignment in this space.")
        return a

    def get_assignment(self, req: Request) -> Response:
        with self.tenant.lock:
            space = self._space(req)
            return Response.json(assignment_json(self.tenant, self._assignment(req, space), req.base_url))

    def update_assignment(self, req: Request) -> Response:
        body: dict[str, Any] = req.json()
        with self.tenant.lock:
            space = self._manager_space(req)
            a = self._assignment(req, space)
            a.roles = self._roles(space, body.get("roles"))
            a.updated_at, a.updated_by = now_iso(), req.user_id or ""
            self.tenant.save()
            return Response.json(assignment_json(self.tenant, a, req.base_url))

    def delete_assignment(self, req: Request) -> Response:
        with self.tenant.lock:
            space = self._manager_space(req)
            del self.tenant.assignments[self._assignment(req, space).id]
            self.tenant.save()
            return Response.empty(204)
