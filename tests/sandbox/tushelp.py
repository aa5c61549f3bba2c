"""Plain-httpx tus helpers for the sandbox tests (the product's own client lives in qvupload.cloud)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import httpx

TUS = {"Tus-Resumable": "1.0.0"}


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(client: httpx.Client, length: int, filename: str = "Doc.qvw", ttl: str | None = None) -> str:
    meta = {"filename": filename, **({"ttl": ttl} if ttl else {})}
    r = client.post(
        "/api/v1/temp-contents/files",
        headers={**TUS, "Upload-Length": str(length), "Upload-Metadata": metadata(**meta)},
    )
    assert r.status_code == 201, r.text
    return r.headers["location"]


def patch(client: httpx.Client, location: str, offset: int, data: bytes) -> httpx.Response:
    return client.patch(
        location,
        content=data,
        headers={**TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
    )


def head_offset(client: httpx.Client, location: str) -> int:
    r = client.head(location, headers=TUS)
    assert r.status_code == 200, r.status_code
    return int(r.headers["upload-offset"])


def upload(client: httpx.Client, path: Path, chunk: int = 64 * 1024) -> str:
    """Upload a file in several PATCHes; return the fileId."""
    data = path.read_bytes()
    location = create(client, len(data), path.name)
    offset = 0
    while offset < len(data):
        r = patch(client, location, offset, data[offset : offset + chunk])
        assert r.status_code == 204, r.text
        offset = int(r.headers["upload-offset"])
    return location.rsplit("/", 1)[-1]


def import_app(client: httpx.Client, file_id: str, name: str = "Doc", **params: str) -> httpx.Response:
    return client.post("/api/v1/apps/import", params={"fileId": file_id, "fallbackName": name, **params})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
