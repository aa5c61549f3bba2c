"""The hub's app page (``/sense/app/{appId}``), where "Open in Qlik Cloud" leads: in the sandbox a
plain page that names the app and its space, so the demo's links open something (no data is shown;
the sandbox has no analytics engine)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from qvupload.sandbox.web import ApiError, Request, Response, Router

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox


class HubRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        r.add("GET", "/sense/app/{appId}", self.app_page, tier="", auth=False)

    def app_page(self, req: Request) -> Response:
        with self.tenant.lock:
            app = self.tenant.apps.get(req.params["appId"])
            if app is None:
                raise ApiError(404, "Not found", "No such app in this sandbox.")
            space = self.tenant.spaces.get(app.space_id or "")
            where = f"{space.name} ({space.type} space)" if space else "a personal space"
            kind = ", a published copy" if app.origin_app_id else ""
            page = (
                "<!doctype html><html><head><meta charset='utf-8'>"
                f"<title>{html.escape(app.name)} - sandbox hub</title></head><body>"
                f"<h1>{html.escape(app.name)}</h1><p>QlikView app in {html.escape(where)}{kind}.</p>"
                "<p>This is the qvupload sandbox tenant on this machine: in Qlik Cloud this address opens the "
                "app in the hub.</p></body></html>"
            )
        return Response(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
