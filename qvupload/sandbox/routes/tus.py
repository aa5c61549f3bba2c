"""Temporary contents: the tus 1.0.0 upload routes and the simple upload."""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from qvupload.sandbox.limits import Fault
from qvupload.sandbox.model import TempFile, iso, new_id, now_iso
from qvupload.sandbox.web import ApiError, DropConnection, Request, Response, Router

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

TUS_VERSION = "1.0.0"
DEFAULT_TTL = 3600
MAX_TTL = 259200
BLOCK = 256 * 1024
TUS = {"Tus-Resumable": TUS_VERSION}


def parse_metadata(header: str) -> dict[str, str]:
    """``key base64,key base64`` -> dict. Raises ApiError 400 on a malformed pair."""
    result: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ApiError(400, "Bad request", f"Upload-Metadata value of {key!r} is not base64.") from exc
    return result


def _ttl(raw: str | None) -> int:
    if raw in (None, ""):
        return DEFAULT_TTL
    try:
        ttl = int(str(raw))
    except ValueError as exc:
        raise ApiError(400, "Bad request", "ttl must be a whole number of seconds.") from exc
    if not 0 < ttl <= MAX_TTL:
        raise ApiError(400, "Bad request", f"ttl must be between 1 and {MAX_TTL} seconds.")
    return ttl


class TusRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        self.tenant = sandbox.tenant

    def register(self, r: Router) -> None:
        base = "/api/v1/temp-contents"
        r.add("OPTIONS", f"{base}/files", self.options, tier="", auth=False)
        r.add("POST", f"{base}/files", self.create, tier="special")
        r.add("HEAD", f"{base}/files/{{id}}", self.head, tier="special")
        r.add("PATCH", f"{base}/files/{{id}}", self.patch, tier="special")
        r.add("POST", base, self.simple_upload, tier="2")
        r.add("GET", f"{base}/{{id}}/details", self.details, tier="1")

    # -- helpers ---------------------------------------------------------------------------------
    def _check_version(self, req: Request) -> None:
        if req.header("tus-resumable") != TUS_VERSION:
            raise ApiError(
                412,
                "Precondition failed",
                "Send Tus-Resumable: 1.0.0.",
                headers={"Tus-Version": TUS_VERSION, **TUS},
            )

    def _upload(self, req: Request, file_id: str) -> TempFile:
        temp = self.tenant.temp_files.get(file_id)
        if temp is None or temp.owner_id != req.user_id:
            raise ApiError(404, "Not found", "No such upload.", headers=TUS)
        if req.fault is not None and req.fault.expire_upload:
            temp.expired = True
        if temp.expired or temp.expires_at() <= datetime.now(UTC):
            raise ApiError(410, "Gone", "The upload has expired; start a new one.", headers=TUS)
        return temp

    # -- routes ----------------------------------------------------------------------------------
    def options(self, req: Request) -> Response:
        return Response.empty(
            204,
            {
                **TUS,
                "Tus-Version": TUS_VERSION,
                "Tus-Extension": "creation,expiration,checksum",
                "Tus-Checksum-Algorithm": "sha1",
                "Tus-Max-Size": str(self.sb.config.max_upload_size),
            },
        )

    def create(self, req: Request) -> Response:
        self._check_version(req)
        raw_length = req.header("upload-length")
        if raw_length is None or not raw_length.isdigit():
            raise ApiError(400, "Bad request", "Upload-Length must be a whole number of bytes.", headers=TUS)
        length = int(raw_length)
        if length > self.sb.config.max_upload_size:
            raise ApiError(
                413,
                "Request entity too large",
                f"The tenant accepts uploads up to {self.sb.config.max_upload_size} bytes.",
                headers=TUS,
            )
        meta = parse_metadata(req.header("upload-metadata") or "")
        ttl = _ttl(meta.get("ttl"))
        temp = TempFile(new_id(), req.user_id or "", meta.get("filename", ""), length, ttl=ttl)
        self.tenant.upload_path(temp.id).touch()
        with self.tenant.lock:
            self.tenant.temp_files[temp.id] = temp
            self.tenant.save()
        return Response.empty(
            201,
            {
                **TUS,
                "Location": f"/api/v1/temp-contents/files/{temp.id}",
                "Upload-Expires": iso(temp.expires_at()),
            },
        )

    def head(self, req: Request) -> Response:
        self._check_version(req)
        with self.tenant.lock:
            temp = self._upload(req, req.params["id"])
            if temp.id in self.tenant.locked_uploads:
                raise ApiError(423, "Locked", "The upload is being written; try again shortly.", headers=TUS)
            return Response.empty(
                200,
                {
                    **TUS,
                    "Upload-Offset": str(temp.offset),
                    "Upload-Length": str(temp.length),
                    "Cache-Control": "no-store",
                },
            )

    def patch(self, req: Request) -> Response:
        self._check_version(req)
        if (req.header("content-type") or "").split(";")[0].strip() != "application/offset+octet-stream":
            raise ApiError(
                415,
                "Unsupported media type",
                "Send Content-Type: application/offset+octet-stream.",
                headers=TUS,
            )
        raw_offset = req.header("upload-offset")
        if raw_offset is None or not raw_offset.isdigit():
            raise ApiError(400, "Bad request", "Upload-Offset must be a whole number.", headers=TUS)
        checksum = self._checksum(req.header("upload-checksum"))
        with self.tenant.lock:
            temp = self._upload(req, req.params["id"])
            if temp.id in self.tenant.locked_uploads:
                raise ApiError(423, "Locked", "Another request is writing this upload.", headers=TUS)
            if int(raw_offset) != temp.offset:
                raise ApiError(
                    409,
                    "Conflict",
                    f"The upload is at offset {temp.offset}.",
                    headers={**TUS, "Upload-Offset": str(temp.offset)},
                )
            self.tenant.locked_uploads.add(temp.id)
        try:
            self._receive(req, temp, checksum)
        finally:
            with self.tenant.lock:
                self.tenant.locked_uploads.discard(temp.id)
                temp.updated_at = now_iso()
                self.tenant.save()
        return Response.empty(204, {**TUS, "Upload-Offset": str(temp.offset)})

    @staticmethod
    def _checksum(header: str | None) -> bytes | None:
        if not header:
            return None
        algorithm, _, value = header.partition(" ")
        if algorithm.lower() != "sha1":
            raise ApiError(400, "Bad request", "Only sha1 checksums are supported.", headers=TUS)
        try:
            return base64.b64decode(value.strip(), validate=True)
        except binascii.Error as exc:
            raise ApiError(400, "Bad request", "Upload-Checksum is not base64.", headers=TUS) from exc

    def _receive(self, req: Request, temp: TempFile, checksum: bytes | None) -> None:
        fault: Fault | None = req.fault
        drop_after = fault.drop_after_bytes if fault else None
        bandwidth = fault.bandwidth_bps if fault else None
        digest = hashlib.sha1() if checksum is not None else None
        start = temp.offset
        received = 0
        began = time.monotonic()
        with open(self.tenant.upload_path(temp.id), "r+b") as fh:
            fh.seek(start)
            while True:
                want = BLOCK if drop_after is None else min(BLOCK, drop_after - received)
                if want <= 0:
                    fh.flush()
                    raise DropConnection()
                block = req.body.read(want)  # ConnectionError here: keep what arrived
                if not block:
                    break
                if temp.offset + len(block) > temp.length:
                    raise ApiError(400, "Bad request", "More bytes than Upload-Length.", headers=TUS)
                fh.write(block)
                received += len(block)
                if digest is not None:
                    digest.update(block)
                with self.tenant.lock:
                    temp.offset = start + received
                    temp.received += len(block)
                if bandwidth:
                    ahead = received / bandwidth - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)
        if digest is not None and digest.digest() != checksum:
            with self.tenant.lock:
                temp.offset = start
            raise ApiError(
                460,
                "Checksum mismatch",
                "The chunk did not match Upload-Checksum; send it again.",
                headers=TUS,
            )

    def simple_upload(self, req: Request) -> Response:
        ttl = _ttl(req.q("ttl"))
        temp = TempFile(new_id(), req.user_id or "", req.q("filename") or "", 0, ttl=ttl)
        size = 0
        with open(self.tenant.upload_path(temp.id), "wb") as fh:
            for block in req.body.iter_blocks(BLOCK):
                size += len(block)
                if size > self.sb.config.max_upload_size:
                    raise ApiError(413, "Request entity too large", "The file is larger than the tenant accepts.")
                fh.write(block)
        temp.length = temp.offset = size
        with self.tenant.lock:
            self.tenant.temp_files[temp.id] = temp
            self.tenant.save()
        return Response.empty(201, {"Location": f"/api/v1/temp-contents/{temp.id}"})

    def details(self, req: Request) -> Response:
        with self.tenant.lock:
            temp = self._upload(req, req.params["id"])
            if not temp.complete:
                return Response.empty(204)
            return Response.json(
                {
                    "ID": temp.id,
                    "Name": temp.filename,
                    "Size": str(temp.length),
                    "Expires": iso(temp.expires_at()),
                    "CreatedAt": temp.created_at,
                    "CreatorID": temp.owner_id,
                    "UpdatedAt": temp.updated_at,
                    "TTLSeconds": temp.ttl,
                }
            )
