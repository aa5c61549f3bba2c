"""Apps: import a QlikView document, read/update/delete, move between spaces, publish."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qvupload.documents import DocumentError, read_document
from qvupload.sandbox import rules
from qvupload.sandbox.model import App, Item, User, new_app_id, new_id, now_iso
from qvupload.sandbox.views import app_json
from qvupload.sandbox.web import ApiError, Request, Response, Router
from qvupload.timefmt import iso_utc

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

BLOCK = 1024 * 1024
_APP_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")


class AppRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        r.add("POST", "/api/v1/apps/import", self.import_app, tier="2")
        r.add("GET", "/api/v1/apps/privileges", self.privileges, tier="1")
        r.add("GET", "/api/v1/apps/{appId}", self.get, tier="1")
        r.add("PUT", "/api/v1/apps/{appId}", self.update, tier="2")
        r.add("DELETE", "/api/v1/apps/{appId}", self.delete, tier="2")
        r.add("PUT", "/api/v1/apps/{appId}/space", self.move, tier="2")
        r.add("DELETE", "/api/v1/apps/{appId}/space", self.to_personal, tier="2")
        r.add("POST", "/api/v1/apps/{appId}/publish", self.publish, tier="2")
        r.add("PUT", "/api/v1/apps/{appId}/publish", self.republish, tier="2")

    # -- helpers ---------------------------------------------------------------------------------
    def user(self, req: Request) -> User:
        return self.tenant.users[req.user_id or ""]

    def visible_app(self, req: Request, app_id: str) -> App:
        app = self.tenant.apps.get(app_id)
        if app is None or not rules.can_see_app(self.tenant, self.user(req), app):
            raise ApiError(404, "Not found", f"No app {app_id} that you can see.")
        return app

    def _space(self, req: Request, space_id: str) -> Any:
        space = self.tenant.spaces.get(space_id)
        if space is None or not rules.can_see_space(self.tenant, self.user(req), space):
            raise ApiError(404, "Not found", f"No space {space_id} that you can see.")
        return space

    def _store(self, source: Path, app: App) -> None:
        """Give ``app`` the bytes of ``source`` (linked where possible). Its sha256 is computed only
        when the state is read (``GET /__sandbox/state``), so imports stay quick for big files."""
        app.file_name = f"{app.id}-{new_id()}.qvw"
        target = self.tenant.app_path(app)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        app.sha256 = ""
        app.size = target.stat().st_size
        app.modified_at = now_iso()

    def _content_from(self, source: Path, app: App) -> None:
        try:
            facts = read_document(source)
        except DocumentError as exc:
            raise ApiError(400, "Bad request", f"The file is not a QlikView document: {exc}") from exc
        app.last_reload_time = iso_utc(facts.last_reload_utc)
        app.has_section_access = bool(facts.has_section_access)
        self._store(source, app)

    def _add_item(self, app: App, creator: str) -> None:
        item = Item(new_id(), app.id, app.resource_type, app.owner_id, creator)
        self.tenant.items[item.id] = item

    def _touch_item(self, app: App) -> None:
        item = self.tenant.item_for_app(app.id)
        if item is not None:
            item.updated_at = now_iso()
            item.owner_id = app.owner_id

    # -- routes ----------------------------------------------------------------------------------
    def import_app(self, req: Request) -> Response:
        user = self.user(req)
        if not rules.can_import_qlikview(user):
            raise ApiError(
                403,
                "Forbidden",
                "Importing QlikView documents needs a Professional licence with QlikView enabled.",
            )
        space_id = req.q("spaceId") or None
        if space_id is not None:
            space = self._space(req, space_id)
            if space.type == "managed" or not rules.can_add_content(self.tenant, user, space):
                raise ApiError(403, "Forbidden", "You cannot add apps to that space.")
        source = self._import_source(req)
        if source.stat().st_size > self.sb.config.max_app_size:
            raise ApiError(413, "Request entity too large", "The app exceeds the maximum size for this tenant.")
        app_id = req.q("appId")
        with self.tenant.lock:
            existing = self.tenant.apps.get(app_id) if app_id else None
            if existing is not None:
                if "update" not in rules.app_privileges(self.tenant, user, existing):
                    raise ApiError(403, "Forbidden", "You cannot replace that app.")
                self._content_from(source, existing)
                self._touch_item(existing)
                self.tenant.save()
                return Response.json(app_json(self.tenant, user, existing))
            if app_id is not None and not _APP_ID.match(app_id):
                raise ApiError(400, "Bad request", "appId is not a valid app id.")
            temp = self.tenant.temp_files.get(req.q("fileId") or "")
            name = req.q("name") or req.q("fallbackName") or Path(temp.filename if temp else "").stem or "Untitled"
            app = App(app_id or new_app_id(), name, user.id, space_id)
            self._content_from(source, app)
            self.tenant.apps[app.id] = app
            self._add_item(app, user.id)
            self.tenant.save()
            return Response.json(app_json(self.tenant, user, app))

    def _import_source(self, req: Request) -> Path:
        file_id = req.q("fileId")
        if file_id:
            with self.tenant.lock:
                temp = self.tenant.temp_files.get(file_id)
                if temp is None or temp.owner_id != req.user_id or temp.expired:
                    raise ApiError(404, "Not found", f"No temporary file {file_id}; it may have expired.")
                if not temp.complete:
                    raise ApiError(400, "Bad request", "The upload of that file is not complete.")
            return self.tenant.upload_path(file_id)
        if (req.header("content-type") or "").startswith("application/octet-stream"):
            target = self.tenant.upload_path(f"body-{new_id()}")
            with open(target, "wb") as fh:
                for block in req.body.iter_blocks(BLOCK):
                    fh.write(block)
            return target
        raise ApiError(400, "Bad request", "Give fileId, or send the document as application/octet-stream.")

    def privileges(self, req: Request) -> Response:
        user = self.user(req)
        granted = ["can_create_app", "can_import_app"] if rules.can_import_qlikview(user) else []
        return Response.json(granted)

    def get(self, req: Request) -> Response:
        with self.tenant.lock:
            return Response.json(app_json(self.tenant, self.user(req), self.visible_app(req, req.params["appId"])))

    def update(self, req: Request) -> Response:
        body = req.json()
        with self.tenant.lock:
            user, app = self.user(req), self.visible_app(req, req.params["appId"])
            if "update" not in rules.app_privileges(self.tenant, user, app):
                raise ApiError(403, "Forbidden", "You cannot change this app.")
            attrs = body.get("attributes") or {}
            if "name" in attrs:
                app.name = str(attrs["name"])
            if "description" in attrs:
                app.description = str(attrs["description"])
            app.modified_at = now_iso()
            self._touch_item(app)
            self.tenant.save()
            return Response.json(app_json(self.tenant, user, app))

    def delete(self, req: Request) -> Response:
        with self.tenant.lock:
            user, app = self.user(req), self.visible_app(req, req.params["appId"])
            if "delete" not in rules.app_privileges(self.tenant, user, app):
                raise ApiError(403, "Forbidden", "You cannot delete this app.")
            del self.tenant.apps[app.id]
            item = self.tenant.item_for_app(app.id)
            if item is not None:
                del self.tenant.items[item.id]
            self.tenant.save()
        self.tenant.app_path(app).unlink(missing_ok=True)
        return Response.json({})  # the spec declares a JSON body (without a schema) for this 200

    def move(self, req: Request) -> Response:
        space_id = str(req.json().get("spaceId") or "")
        with self.tenant.lock:
            user, app = self.user(req), self.visible_app(req, req.params["appId"])
            if "change_space" not in rules.app_privileges(self.tenant, user, app) or app.origin_app_id:
                raise ApiError(403, "Forbidden", "You cannot move this app: it needs producer rights where it is.")
            space = self._space(req, space_id)
            if space.type == "managed":
                raise ApiError(400, "Bad request", "Apps reach a managed space by publishing, not by moving.")
            if not rules.can_add_content(self.tenant, user, space):
                raise ApiError(403, "Forbidden", f"You need producer rights in {space.name} to add apps to it.")
            app.space_id = space.id
            app.modified_at = now_iso()
            self._touch_item(app)
            self.tenant.save()
            return Response.json(app_json(self.tenant, user, app))

    def to_personal(self, req: Request) -> Response:
        with self.tenant.lock:
            user, app = self.user(req), self.visible_app(req, req.params["appId"])
            if "change_space" not in rules.app_privileges(self.tenant, user, app):
                raise ApiError(403, "Forbidden", "You cannot move this app.")
            app.space_id = None
            self._touch_item(app)
            self.tenant.save()
            return Response.json(app_json(self.tenant, user, app))

    def publish(self, req: Request) -> Response:
        body = req.json()
        with self.tenant.lock:
            user, source = self.user(req), self.visible_app(req, req.params["appId"])
            space = self._space(req, str(body.get("spaceId") or ""))
            if space.type != "managed":
                raise ApiError(400, "Bad request", "Apps are published to managed spaces only.")
            if not rules.can_publish_to(self.tenant, user, space):
                raise ApiError(403, "Forbidden", f"You need the publisher role in {space.name} to publish to it.")
            attrs = body.get("attributes") or {}
            copy = App(
                new_app_id(),
                str(attrs.get("name") or source.name),
                user.id,
                space.id,
                resource_type=source.resource_type,
                description=str(attrs.get("description") or ""),
                last_reload_time=source.last_reload_time,
                has_section_access=source.has_section_access,
                published=True,
                publish_time=now_iso(),
                origin_app_id=source.id,
            )
            self._store(self.tenant.app_path(source), copy)
            self.tenant.apps[copy.id] = copy
            self._add_item(copy, user.id)
            self.tenant.save()
            return Response.json(app_json(self.tenant, user, copy))

    def republish(self, req: Request) -> Response:
        body = req.json()
        with self.tenant.lock:
            user, source = self.user(req), self.visible_app(req, req.params["appId"])
            target = self.visible_app(req, str(body.get("targetId") or ""))
            if body.get("checkOriginAppId", True) and target.origin_app_id != source.id:
                raise ApiError(400, "Bad request", "The target app was not published from this app.")
            space = self.tenant.spaces.get(target.space_id or "")
            if space is None or not rules.can_publish_to(self.tenant, user, space):
                raise ApiError(403, "Forbidden", "You need the publisher role in the target space.")
            old = self.tenant.app_path(target)
            self._store(self.tenant.app_path(source), target)
            old.unlink(missing_ok=True)
            attrs = body.get("attributes") or {}
            target.name = str(attrs.get("name") or target.name)
            target.last_reload_time = source.last_reload_time
            target.has_section_access = source.has_section_access
            target.publish_time = now_iso()
            self._touch_item(target)
            self.tenant.save()
            return Response.json(app_json(self.tenant, user, target))
