"""Loopback-only control routes for tests and demos: state, faults, settings, expiry."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from qvupload.sandbox.limits import Fault
from qvupload.sandbox.web import ApiError, Request, Response, Router

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

SETTINGS = {"access_token_ttl", "refresh_token_ttl", "auto_approve_user", "max_upload_size", "max_app_size"}


class ControlRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox

    def register(self, r: Router) -> None:
        r.add("GET", "/__sandbox/state", self.state, tier="", auth=False)
        r.add("GET", "/__sandbox/faults", self.list_faults, tier="", auth=False)
        r.add("POST", "/__sandbox/faults", self.add_faults, tier="", auth=False)
        r.add("DELETE", "/__sandbox/faults", self.clear_faults, tier="", auth=False)
        r.add("POST", "/__sandbox/config", self.configure, tier="", auth=False)
        r.add("POST", "/__sandbox/expire", self.expire, tier="", auth=False)

    def state(self, req: Request) -> Response:
        return Response.json(self.sb.tenant.snapshot())

    def list_faults(self, req: Request) -> Response:
        return Response.json(self.sb.faults.describe())

    def add_faults(self, req: Request) -> Response:
        body = req.json()
        entries = body if isinstance(body, list) else [body]
        try:
            faults = [Fault.from_json(e) for e in entries]
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "Bad request", str(exc)) from exc
        for fault in faults:
            self.sb.faults.add(fault)
        return Response.json(self.sb.faults.describe(), 201)

    def clear_faults(self, req: Request) -> Response:
        self.sb.faults.clear()
        return Response.empty(204)

    def configure(self, req: Request) -> Response:
        body: dict[str, Any] = req.json()
        unknown = set(body) - SETTINGS - {"rate_limits", "rate_window"}
        if unknown:
            raise ApiError(400, "Bad request", f"Unknown settings {sorted(unknown)}.")
        for key in SETTINGS & set(body):
            setattr(self.sb.config, key, body[key])
        if "rate_limits" in body or "rate_window" in body:
            self.sb.limiter.configure(body.get("rate_limits"), body.get("rate_window"))
        return Response.json({k: getattr(self.sb.config, k) for k in sorted(SETTINGS)})

    def expire(self, req: Request) -> Response:
        """Expire a token (``token``), every access token (``access_tokens: true``) or an upload (``upload``)."""
        body: dict[str, Any] = req.json()
        tenant = self.sb.tenant
        expired = 0
        with tenant.lock:
            if "token" in body and body["token"] in tenant.tokens:
                tenant.tokens[body["token"]].expires_at = time.time() - 1
                expired += 1
            if body.get("access_tokens"):
                for token in tenant.tokens.values():
                    if token.kind == "access":
                        token.expires_at = time.time() - 1
                        expired += 1
            if "upload" in body and body["upload"] in tenant.temp_files:
                tenant.temp_files[body["upload"]].expired = True
                expired += 1
            tenant.save()
        return Response.json({"expired": expired})
