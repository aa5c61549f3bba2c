"""Small HTTP plumbing for the sandbox: requests, responses, errors, routes, paging.

Standard library only. Request bodies are read on demand: JSON bodies with a size cap, upload
bodies as a stream (Content-Length or chunked) so nothing large is ever held in memory.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import parse_qs, urlencode

JSON_CAP = 1024 * 1024


class ApiError(Exception):
    """An error answer in Qlik's envelope: ``{"errors": [{code, title, detail, status}], "traceId"}``."""

    def __init__(
        self, status: int, title: str, detail: str = "", code: str = "", headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.code = code or f"HTTP-{status}"
        self.headers = headers or {}


class OAuthError(ApiError):
    """An error of the OAuth routes, whose spec writes ``status`` as a string."""


class DropConnection(Exception):
    """Close the connection without an answer (fault injection)."""


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        h = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(data).encode("utf-8"), h)

    @classmethod
    def empty(cls, status: int = 204, headers: dict[str, str] | None = None) -> Response:
        return cls(status, b"", headers or {})


def error_response(err: ApiError) -> Response:
    body: dict[str, Any] = {
        # the OAuth spec writes status as a string; the apps, users and groups specs as a number
        "errors": [
            {
                "code": err.code,
                "title": err.title,
                "detail": err.detail,
                "status": str(err.status) if isinstance(err, OAuthError) else err.status,
            }
        ],
        "traceId": secrets.token_hex(16),
    }
    return Response.json(body, err.status, err.headers)


class BodyReader:
    """Reads a request body once, from Content-Length or chunked transfer coding."""

    def __init__(self, stream: BinaryIO, length: int | None, chunked: bool) -> None:
        self._stream = stream
        self._left = length
        self._chunked = chunked
        self._chunk_left = 0
        self._done = length == 0 and not chunked

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; b'' at the end of the body. Raises ConnectionError when cut."""
        if self._done:
            return b""
        if not self._chunked:
            assert self._left is not None
            data = self._stream.read(min(size, self._left))
            if not data:
                raise ConnectionError("the client closed the connection mid-body")
            self._left -= len(data)
            self._done = self._left == 0
            return data
        if self._chunk_left == 0:
            line = self._stream.readline(1024)
            if not line:
                raise ConnectionError("the client closed the connection mid-body")
            self._chunk_left = int(line.split(b";")[0].strip() or b"0", 16)
            if self._chunk_left == 0:
                while self._stream.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                self._done = True
                return b""
        data = self._stream.read(min(size, self._chunk_left))
        if not data:
            raise ConnectionError("the client closed the connection mid-body")
        self._chunk_left -= len(data)
        if self._chunk_left == 0:
            self._stream.readline(16)
        return data

    def iter_blocks(self, size: int = 256 * 1024) -> Iterator[bytes]:
        while block := self.read(size):
            yield block

    def drain(self, cap: int) -> bytes:
        out = bytearray()
        for block in self.iter_blocks():
            out += block
            if len(out) > cap:
                raise ApiError(413, "Request body too large", f"The body is larger than {cap} bytes.")
        return bytes(out)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: BodyReader
    base_url: str
    params: dict[str, str] = field(default_factory=dict)
    user_id: str | None = None
    token: str | None = None
    route: str = ""
    fault: Any = None  # an injected Fault that the handler itself carries out (drops, throttling)
    _json: Any = None

    def q(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        if self._json is None:
            raw = self.body.drain(JSON_CAP)
            if not raw:
                self._json = {}
            else:
                try:
                    self._json = json.loads(raw)
                except ValueError as exc:
                    raise ApiError(400, "Bad request", "The body is not valid JSON.") from exc
        return self._json

    def form_or_json(self) -> dict[str, Any]:
        """OAuth endpoints take JSON or form-encoded bodies."""
        ctype = (self.header("content-type") or "").lower()
        if "application/x-www-form-urlencoded" in ctype:
            raw = self.body.drain(JSON_CAP).decode("utf-8", "replace")
            return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        data = self.json()
        if not isinstance(data, dict):
            raise ApiError(400, "Bad request", "The body must be a JSON object.")
        return data


Handler = Callable[[Request], Response]


@dataclass
class Route:
    method: str
    template: str  # e.g. /api/v1/apps/{appId}
    tier: str  # "1", "2", "special", or "" for unmetered
    handler: Handler
    auth: bool = True
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        self.pattern = re.compile(f"^{regex}$")

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler, tier: str = "1", auth: bool = True) -> None:
        self.routes.append(Route(method, template, tier, handler, auth))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method == method:
                return route, found.groupdict()
            allowed = True
        if allowed:
            raise ApiError(405, "Method not allowed", f"{method} is not allowed on {path}.")
        raise ApiError(404, "Not found", f"No route for {path}.")


# -- paging ------------------------------------------------------------------------------------
def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o:"):
            raise ValueError
        return max(0, int(raw[2:]))
    except ValueError as exc:
        raise ApiError(400, "Bad request", "The paging cursor is not valid.") from exc


def limit_arg(req: Request, default: int, maximum: int) -> int:
    raw = req.q("limit")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError(400, "Bad request", "limit must be a number.") from exc
    if not 1 <= value <= maximum:
        raise ApiError(400, "Bad request", f"limit must be between 1 and {maximum}.")
    return value


def paginate(req: Request, records: list[Any], default: int, maximum: int) -> tuple[list[Any], dict[str, Any]]:
    """One page of ``records`` and the ``links`` object with absolute self/next/prev hrefs."""
    limit = limit_arg(req, default, maximum)
    start = _offset(req.q("next") or req.q("prev") or _cursor(0))
    page = records[start : start + limit]
    base = {k: v[0] for k, v in req.query.items() if k not in ("next", "prev")}

    def href(extra: dict[str, str]) -> dict[str, str]:
        query = urlencode({**base, **extra})
        return {"href": f"{req.base_url}{req.path}" + (f"?{query}" if query else "")}

    links: dict[str, Any] = {"self": href({"next": _cursor(start)} if start else {})}
    if start + limit < len(records):
        links["next"] = href({"next": _cursor(start + limit)})
    if start > 0:
        links["prev"] = href({"prev": _cursor(max(0, start - limit))})
    return page, links


def sort_records(records: list[Any], sort: str | None, keys: dict[str, Callable[[Any], Any]]) -> list[Any]:
    if not sort:
        return records
    descending = sort.startswith("-")
    name = sort.lstrip("+-")
    if name not in keys:
        raise ApiError(400, "Bad request", f"Cannot sort by {name}.")
    return sorted(records, key=keys[name], reverse=descending)
