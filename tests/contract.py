"""Checks sandbox responses against Qlik's official OpenAPI files (../shared/qlik-cloud-specs).

Loaded once per session. Adjustments to the published files, each from ../shared/reference/spec-notes.md:
- the specs themselves are not validated (apps.json declares a path parameter it never defines);
- ``oneOf`` lists of ``x-qlik-const`` schemas are read as enums of those values (of their titles
  where a string type lists numeric ordinals, as ``UserPrivileges`` does);
- ``GET /api/v1/items/{itemId}/publisheditems`` answers with an items list (the spec names a
  collections list): its 200 schema is taken from ``GET /api/v1/items``.
Platform-wide statuses a spec does not list for an operation (401, 403, 404, 429, 500 and the
like) must carry Qlik's error envelope. Operations no spec describes (tus HEAD/OPTIONS, the
sandbox's own control routes) are recorded as undocumented and checked by behaviour tests.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from werkzeug.datastructures import Headers, ImmutableMultiDict

HOST = "https://sandbox.us.qlikcloud.com"
SPEC_FILES = ("temp-contents", "apps", "items", "spaces", "users", "groups", "oauth", ".well-known")
PLATFORM_STATUSES = {400, 401, 403, 404, 405, 409, 410, 412, 413, 415, 423, 429, 460, 500, 502, 503, 504}
ERROR_ENVELOPE = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "title"],
                "properties": {"code": {"type": "string"}, "title": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
        "traceId": {"type": "string"},
    },
}


def _const_enums(node: Any) -> Any:
    if isinstance(node, dict):
        options = node.get("oneOf")
        if isinstance(options, list) and options and all(isinstance(o, dict) and "x-qlik-const" in o for o in options):
            rest = {k: v for k, v in node.items() if k != "oneOf"}
            kind = node.get("type") or options[0].get("type", "string")
            values = [o["x-qlik-const"] for o in options]
            if kind == "string" and not all(isinstance(v, str) for v in values):
                values = [o.get("title", o["x-qlik-const"]) for o in options]  # ordinals: the names are the values
            return {**rest, "type": kind, "enum": values}
        return {k: _const_enums(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_const_enums(v) for v in node]
    return node


def load_specs(folder: Path) -> dict[str, OpenAPI]:
    specs: dict[str, OpenAPI] = {}
    items_list: Any = None
    raw = {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in SPEC_FILES}
    items = raw["items"]
    items_list = items["paths"]["/api/v1/items"]["get"]["responses"]["200"]
    items["paths"]["/api/v1/items/{itemId}/publisheditems"]["get"]["responses"]["200"] = copy.deepcopy(items_list)
    for name, data in raw.items():
        specs[name] = OpenAPI.from_dict(_const_enums(data), config=Config(spec_validator_cls=None))
    return specs


class _Req:
    def __init__(self, request: httpx.Request) -> None:
        url = urlsplit(str(request.url))
        self.host_url = HOST
        self.path = url.path
        self.full_url_pattern = HOST + url.path
        self.method = request.method.lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(httpx.QueryParams(url.query).multi_items()),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )
        self.content_type = request.headers.get("content-type", "")
        self.body = None


class _Resp:
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.headers = Headers(dict(response.headers))
        self.content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        self.data = response.content


@dataclass
class ContractChecker:
    specs: dict[str, OpenAPI]
    checked: set[tuple[str, str, int]] = field(default_factory=set)
    undocumented: set[tuple[str, str]] = field(default_factory=set)

    def check(self, response: httpx.Response) -> None:
        """Raise AssertionError when a response breaks the spec of its operation."""
        response.read()
        req, resp = _Req(response.request), _Resp(response)
        found = False
        for spec in self.specs.values():
            try:
                spec.validate_response(req, resp)  # type: ignore[arg-type]
            except (PathNotFound, OperationNotFound):
                continue
            except ResponseNotFound:
                found = True
                self._platform_error(response)
            except Exception as exc:
                raise AssertionError(
                    f"{req.method.upper()} {req.path} -> {resp.status_code} breaks the spec: {exc}\n"
                    f"{_details(exc)}\nbody: {response.text[:800]}"
                ) from exc
            else:
                found = True
            break
        if found:
            self.checked.add((req.method.upper(), req.path, resp.status_code))
        else:
            self.undocumented.add((req.method.upper(), req.path))

    def _platform_error(self, response: httpx.Response) -> None:
        status = response.status_code
        if status in (301, 302):
            return
        assert status in PLATFORM_STATUSES, (
            f"{response.request.method} {response.request.url.path}: {status} undeclared"
        )
        if response.request.method == "HEAD":
            return
        try:
            jsonschema.validate(response.json(), ERROR_ENVELOPE)
        except (ValueError, jsonschema.ValidationError) as exc:
            raise AssertionError(f"{status} without Qlik's error envelope: {response.text[:300]}") from exc


def _details(exc: BaseException) -> str:
    parts = []
    cause: BaseException | None = exc
    while cause is not None:
        for sub in getattr(cause, "schema_errors", []) or []:
            parts.append(f"  - {sub.message} at {list(sub.absolute_path)}")
        cause = cause.__cause__
    return "\n".join(parts[:10])
