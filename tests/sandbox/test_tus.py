"""tus uploads over real HTTP: several PATCHes, resume after a drop, and every error the spec lists."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from tests.sandbox.tushelp import TUS, create, head_offset, import_app, patch, sha256, upload

Api = Callable[[str], httpx.Client]


@pytest.fixture
def document(tmp_path: Path) -> Path:
    return write_document(
        tmp_path / "Sales.qvw",
        SyntheticDocument(datetime(2026, 11, 20, 6, 0, tzinfo=UTC), window_title="Sales", size=600 * 1024),
    )


def test_upload_in_several_patches_then_import(api: Api, control: httpx.Client, document: Path) -> None:
    ann = api("ann")
    file_id = upload(ann, document, chunk=100 * 1024)
    r = import_app(ann, file_id, "Sales")
    assert r.status_code == 200
    attrs = r.json()["attributes"]
    assert attrs["_resourcetype"] == "qvapp" and attrs["name"] == "Sales" and "spaceId" not in attrs
    assert attrs["lastReloadTime"].startswith("2026-11-20T06:00:00")
    state = control.get("/state").json()
    app = next(a for a in state["apps"] if a["id"] == attrs["id"])
    assert app["sha256"] == sha256(document)
    assert state["request_counts"]["PATCH /api/v1/temp-contents/files/{id}"] == 6


def test_resume_after_a_dropped_connection(api: Api, control: httpx.Client, document: Path) -> None:
    ann = api("ann")
    data = document.read_bytes()
    location = create(ann, len(data))
    control.post("/faults", json={"route": "PATCH /api/v1/temp-contents/files/{id}", "drop_after_bytes": 200_000})
    with pytest.raises(httpx.TransportError):
        patch(ann, location, 0, data)
    offset = head_offset(ann, location)
    assert 0 < offset <= 200_000
    assert patch(ann, location, offset, data[offset:]).status_code == 204
    r = import_app(ann, location.rsplit("/", 1)[-1])
    app_id = r.json()["attributes"]["id"]
    app = next(a for a in control.get("/state").json()["apps"] if a["id"] == app_id)
    assert app["sha256"] == hashlib.sha256(data).hexdigest()


def test_protocol_errors(api: Api, sandbox: Sandbox, control: httpx.Client) -> None:
    ann, fiona = api("ann"), api("fiona")
    files = "/api/v1/temp-contents/files"
    assert ann.post(files, headers={"Upload-Length": "10"}).status_code == 412
    assert ann.post(files, headers={**TUS, "Upload-Length": "ten"}).status_code == 400
    assert ann.post(files, headers={**TUS, "Upload-Length": "10", "Upload-Metadata": "filename %%%"}).status_code == 400
    location = create(ann, 10)
    assert patch(ann, location, 5, b"12345").status_code == 409
    r = ann.patch(location, content=b"x", headers={**TUS, "Upload-Offset": "0", "Content-Type": "text/plain"})
    assert r.status_code == 415
    assert patch(ann, location, 0, b"0123456789abc").status_code == 400  # past Upload-Length
    assert patch(fiona, location, 0, b"0123456789").status_code == 404  # not hers
    assert patch(ann, files + "/000000000000000000000000", 0, b"0").status_code == 404
    control.post("/config", json={"max_upload_size": 100})
    assert ann.post(files, headers={**TUS, "Upload-Length": "101"}).status_code == 413
    control.post("/expire", json={"upload": location.rsplit("/", 1)[-1]})
    assert patch(ann, location, 0, b"0123456789").status_code == 410
    r = ann.request("OPTIONS", files)
    assert r.status_code == 204 and r.headers["tus-version"] == "1.0.0" and r.headers["tus-max-size"] == "100"


def test_ttl_expiry(api: Api) -> None:
    ann = api("ann")
    location = create(ann, 4, ttl="1")
    time.sleep(1.2)
    assert patch(ann, location, 0, b"abcd").status_code == 410
    bad = ann.post(
        "/api/v1/temp-contents/files", headers={**TUS, "Upload-Length": "4", "Upload-Metadata": "ttl OTk5OTk5OQ=="}
    )  # 9999999
    assert bad.status_code == 400


def test_locked_while_a_patch_is_running(api: Api, control: httpx.Client) -> None:
    ann = api("ann")
    location = create(ann, 400_000)
    control.post("/faults", json={"route": "PATCH /api/v1/temp-contents/files/{id}", "bandwidth_bps": 400_000})
    result: dict[str, int] = {}
    worker = threading.Thread(target=lambda: result.update(s=patch(ann, location, 0, b"x" * 400_000).status_code))
    worker.start()
    time.sleep(0.3)
    other = api("ann")
    assert other.head(location, headers=TUS).status_code == 423
    assert patch(other, location, 0, b"y").status_code == 423
    worker.join()
    assert result["s"] == 204 and head_offset(ann, location) == 400_000


def test_checksum_mismatch_discards_the_chunk(api: Api) -> None:
    ann = api("ann")
    location = create(ann, 4)
    bad = ann.patch(
        location,
        content=b"abcd",
        headers={
            **TUS,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
            "Upload-Checksum": "sha1 AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        },
    )
    assert bad.status_code == 460 and head_offset(ann, location) == 0


def test_simple_upload_and_details(api: Api, document: Path) -> None:
    ann = api("ann")
    r = ann.post(
        "/api/v1/temp-contents",
        params={"filename": "Sales.qvw"},
        content=document.read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert r.status_code == 201
    file_id = r.headers["location"].rsplit("/", 1)[-1]
    details = ann.get(f"/api/v1/temp-contents/{file_id}/details").json()
    assert details["Name"] == "Sales.qvw" and details["Size"] == str(document.stat().st_size)
    partial = create(ann, 10).rsplit("/", 1)[-1]
    assert ann.get(f"/api/v1/temp-contents/{partial}/details").status_code == 204
    assert import_app(ann, file_id).json()["attributes"]["_resourcetype"] == "qvapp"
