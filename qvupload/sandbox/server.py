"""The sandbox HTTP server: loopback only, one thread per connection, HTTP/1.1 keep-alive.

Every request is counted by route, authenticated (bearer API key or OAuth access token), metered
per user and tier, and may meet an injected fault before its handler runs.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from qvupload.sandbox.limits import Fault, FaultBoard, RateLimiter
from qvupload.sandbox.tenant import Tenant
from qvupload.sandbox.web import (
    ApiError,
    BodyReader,
    DropConnection,
    Request,
    Response,
    Router,
    error_response,
)

log = logging.getLogger("qvupload.sandbox")

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 0
    max_upload_size: int = 64 * 1024**3  # Tus-Max-Size
    max_app_size: int = 64 * 1024**3  # import answers 413 above this
    access_token_ttl: int = 3600  # seconds
    refresh_token_ttl: int = 30 * 86400
    auto_approve_user: str | None = None  # OAuth: approve as this user id without a page
    rate_limits: dict[str, int] | None = None
    rate_window: float = 60.0
    extra: dict[str, Any] = field(default_factory=dict)


class Sandbox:
    """A running (or startable) sandbox tenant."""

    def __init__(self, config: SandboxConfig | None = None, data_dir: Path | None = None) -> None:
        from qvupload.sandbox.routes import build_router  # the routes need the Sandbox type

        self.config = config or SandboxConfig()
        if self.config.host not in LOOPBACK:
            raise ValueError("the sandbox listens on loopback addresses only")
        self.tenant = Tenant(data_dir)
        self.limiter = RateLimiter(self.config.rate_limits, self.config.rate_window)
        self.faults = FaultBoard()
        self.router: Router = build_router(self)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the sandbox is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> str:
        self._server = _Server((self.config.host, self.config.port), _Handler)
        self._server.sandbox = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.tenant.close()

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: Sandbox


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # the head and the body of an answer go out in two writes; with Nagle's algorithm the body then
    # waited for the client's delayed ACK, 40 ms on every call (a real tenant's servers add no such wait)
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def _dispatch(self) -> None:
        sandbox = self.server.sandbox
        parts = urlsplit(self.path)
        length_header = self.headers.get("Content-Length")
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        try:
            length = int(length_header) if length_header is not None else (None if chunked else 0)
        except ValueError:
            length = 0
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        body = BodyReader(self.rfile, length, chunked)  # type: ignore[arg-type]
        req = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            base_url=f"http://{host}",
        )
        try:
            response = self._run(sandbox, req)
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        except ConnectionError:
            self.close_connection = True
            return
        if not body._done:
            self.close_connection = True  # an unread body would be taken for the next request
        self._send(response)

    def _run(self, sandbox: Sandbox, req: Request) -> Response:
        try:
            route, params = sandbox.router.match(req.method, req.path)
        except ApiError as err:
            return error_response(err)
        req.params, req.route = params, route.key
        with sandbox.tenant.lock:
            sandbox.tenant.request_counts[route.key] += 1
        try:
            if req.path.startswith("/__sandbox/") and self.client_address[0] not in LOOPBACK:
                raise ApiError(403, "Forbidden", "The control routes answer loopback clients only.")
            if route.auth:
                _authenticate(sandbox, req)
            if route.tier and req.user_id is not None:
                wait = sandbox.limiter.check(req.user_id, route.tier)
                if wait is not None:
                    raise ApiError(
                        429,
                        "API rate limit reached.",
                        f"You need to wait {wait} seconds until limit is lifted.",
                        headers={"Retry-After": str(wait)},
                    )
            fault = sandbox.faults.take(route.key)
            if fault is not None:
                _apply_fault(fault, req)
                if fault.then == "detach":
                    self._detach(req, fault.late_ms)
            response = route.handler(req)
        except ApiError as err:
            response = error_response(err)
        except (DropConnection, ConnectionError):
            raise
        except Exception:
            log.exception("sandbox handler failed for %s %s", req.method, req.path)
            response = error_response(ApiError(500, "Internal server error", "The sandbox failed; see its log."))
        fault = req.fault
        if fault is not None and fault.then in ("drop", "detach"):  # carried out; no answer reaches the client
            raise DropConnection
        if fault is not None and fault.then == "late":  # carried out; answered after the client gave up
            time.sleep(fault.late_ms / 1000)
        return response

    def _detach(self, req: Request, delay_ms: int) -> None:
        """The client's connection closes now, without an answer, and the call is carried out
        ``delay_ms`` later: a proxy or VPN that gives up while the tenant still works on the call."""
        data = b"".join(req.body.iter_blocks())
        req.body = BodyReader(io.BytesIO(data), len(data), False)
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        time.sleep(delay_ms / 1000)

    def _send(self, response: Response) -> None:
        tenant = self.server.sandbox.tenant
        with tenant.lock:
            tenant.status_counts[str(response.status)] += 1
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch


def _authenticate(sandbox: Sandbox, req: Request) -> None:
    auth = req.header("authorization") or ""
    if not auth.lower().startswith("bearer "):
        raise ApiError(401, "Unauthorized", "Sign in: send an API key or access token as a bearer token.")
    value = auth[7:].strip()
    tenant = sandbox.tenant
    with tenant.lock:
        token = tenant.tokens.get(value)
        if token is None or token.kind == "refresh":
            raise ApiError(401, "Unauthorized", "The token is not valid.")
        if token.expires_at is not None and token.expires_at <= time.time():
            raise ApiError(401, "Unauthorized", "The token has expired.")
        user = tenant.users.get(token.user_id)
        if user is None or user.status != "active":
            raise ApiError(403, "Forbidden", "The user is not active.")
    req.user_id, req.token = user.id, value


def _apply_fault(fault: Fault, req: Request) -> None:
    if fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)
    req.fault = fault
    if fault.status is not None:
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        titles = {423: "Locked", 429: "API rate limit reached.", 500: "Internal server error"}
        raise ApiError(
            fault.status,
            titles.get(fault.status, "Injected fault"),
            "Injected by the sandbox.",
            headers=headers,
        )
