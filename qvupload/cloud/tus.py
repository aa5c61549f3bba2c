"""Resumable upload of one file to ``/api/v1/temp-contents/files`` (tus 1.0.0).

The file is sent in large PATCH chunks, each streamed from disk in small blocks, so memory stays
flat whatever the size. Progress counts bytes the server acknowledged (``acked``) and bytes sent
in the current PATCH (``in_flight``). After any interruption the server's ``Upload-Offset`` is
read again and sending resumes there; an upload the server forgot (404/410) starts afresh.
The file's size and modification time are checked during the upload and a sha256 of the bytes
is computed as they stream; a file that changes fails instead of uploading a mix.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound, RateLimited, RetryableError, Unreachable
from qvupload.i18n import _
from qvupload.pathnames import os_path

TUS = {"Tus-Resumable": "1.0.0"}
FILES = "/api/v1/temp-contents/files"
DEFAULT_CHUNK = 64 * 1024 * 1024
BLOCK = 4 * 1024 * 1024
LOCKED_WAIT = 3.0
# the upload's time to live: enough for the transfer at 1 MB/s, within the 3-day maximum
MIN_TTL, MAX_TTL = 3600, 259200

ProgressFn = Callable[[int, int], None]  # (acked, in_flight)


class FileChanged(CloudError):
    """The local file changed while it was being uploaded."""


class UploadGone(CloudError):
    """The server no longer knows the upload (expired or unknown): start a new one."""


@dataclass(frozen=True)
class Snapshot:
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        st = os.stat(os_path(path))
        return cls(st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class UploadResult:
    file_id: str
    location: str
    sha256: str
    size: int
    resent_bytes: int  # bytes sent more than once (after interruptions)


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}" for k, v in values.items())


def ttl_for(size: int) -> int:
    return max(MIN_TTL, min(MAX_TTL, size // 1_000_000 * 2 + MIN_TTL))


class Uploader:
    def __init__(self, client: CloudClient, *, chunk_size: int = DEFAULT_CHUNK, max_attempts: int = 10) -> None:
        self.client = client
        self.chunk_size = chunk_size
        self.max_attempts = max_attempts

    async def create(self, size: int, filename: str) -> str:
        response = await self.client.request(
            "POST",
            FILES,
            doing=_("Could not start the upload."),
            tier="special",
            ok=(201,),
            headers={
                **TUS,
                "Upload-Length": str(size),
                "Upload-Metadata": _meta(filename=filename, ttl=str(ttl_for(size))),
            },
        )
        location = response.headers.get("location")
        if not location:
            raise CloudError(_("Could not start the upload: the tenant gave no upload address."))
        return str(response.request.url.join(location))

    async def offset(self, location: str) -> int:
        """The server's offset; waits while the upload is locked (423)."""
        for _attempt in range(self.max_attempts):
            try:
                response = await self.client.request(
                    "HEAD",
                    location,
                    doing=_("Could not check the upload."),
                    tier="special",
                    headers=TUS,
                    ok=(200, 204, 423),
                )
            except NotFound as exc:
                raise UploadGone(_("The tenant no longer knows this upload."), 404) from exc
            except CloudError as exc:
                if exc.status == 410:
                    raise UploadGone(_("The upload expired on the tenant."), 410) from exc
                raise
            if response.status_code != 423:
                return int(response.headers.get("upload-offset", "0"))
            await asyncio.sleep(LOCKED_WAIT)
        raise Unreachable(_("The upload stayed locked on the tenant; try again later."))

    async def upload(
        self,
        path: Path,
        *,
        filename: str,
        location: str | None = None,
        on_location: Callable[[str], None] | None = None,
        on_progress: ProgressFn | None = None,
    ) -> UploadResult:
        snapshot = Snapshot.of(path)
        offset = 0
        if location is not None:
            try:
                offset = await self.offset(location)
            except UploadGone:
                location = None
        if location is None:
            location = await self.create(snapshot.size, filename)
            offset = 0
            if on_location:
                on_location(location)
        hasher = await _hash_prefix(path, offset)
        sent_total = 0
        attempts = 0
        while offset < snapshot.size:
            length = min(self.chunk_size, snapshot.size - offset)
            streamed = _Stream(path, offset, length, hasher, snapshot, on_progress)
            try:
                response = await self.client.request(
                    "PATCH",
                    location,
                    doing=_("Could not upload the document."),
                    tier="special",
                    retry=False,
                    ok=(204,),
                    content=streamed.blocks(),
                    headers={
                        **TUS,
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                        "Content-Length": str(length),
                    },
                )
                new_offset = int(response.headers.get("upload-offset", offset + length))
                sent_total += streamed.sent
            except FileChanged:
                raise
            except CloudError as exc:  # what _resumable accepts is resent from the server's offset
                if not _resumable(exc):
                    raise
                attempts += 1
                sent_total += streamed.sent
                if attempts >= self.max_attempts:
                    raise
                await asyncio.sleep(self.client.retry.backoff(attempts) if isinstance(exc, Unreachable) else 0)
                try:
                    new_offset = await self.offset(location)
                except UploadGone:
                    location = await self.create(snapshot.size, filename)
                    if on_location:
                        on_location(location)
                    new_offset = 0
            if streamed.hashed_to != new_offset:
                hasher = await _hash_prefix(path, new_offset)
            offset = new_offset
            if on_progress:
                on_progress(offset, 0)
        if Snapshot.of(path) != snapshot:
            raise FileChanged(
                _("%(name)s changed while it was uploading; nothing was imported. Upload it again.")
                % {"name": path.name}
            )
        return UploadResult(
            location.rstrip("/").rsplit("/", 1)[-1],
            location,
            hasher.hexdigest(),
            snapshot.size,
            max(0, sent_total - snapshot.size),
        )


def _resumable(exc: CloudError) -> bool:
    if isinstance(exc, (Unreachable, RateLimited, RetryableError)):
        return True
    return exc.status in (404, 409, 410, 423, 460, 500, 502, 503, 504)


async def _hash_prefix(path: Path, upto: int) -> hashlib._Hash:
    """sha256 of the first ``upto`` bytes (used again only after an interruption)."""

    def work() -> hashlib._Hash:
        hasher = hashlib.sha256()
        with open(os_path(path), "rb") as fh:
            left = upto
            while left > 0:
                block = fh.read(min(BLOCK, left))
                if not block:
                    break
                hasher.update(block)
                left -= len(block)
        return hasher

    return await asyncio.to_thread(work)


class _Stream:
    """One PATCH body: ``length`` bytes from ``offset``, read in blocks off the event loop."""

    def __init__(
        self,
        path: Path,
        offset: int,
        length: int,
        hasher: hashlib._Hash,
        snapshot: Snapshot,
        on_progress: ProgressFn | None,
    ) -> None:
        self.path, self.offset, self.length = path, offset, length
        self.hasher, self.snapshot, self.on_progress = hasher, snapshot, on_progress
        self.sent = 0
        self.hashed_to = offset

    def _read_and_hash(self, fh: BinaryIO, size: int) -> bytes:
        block = fh.read(size)
        self.hasher.update(block)
        self.hashed_to += len(block)
        return block

    async def blocks(self) -> AsyncIterator[bytes]:
        """Yield the body; the next block is read and hashed in a worker thread while this one is
        sent (hashlib releases the GIL on large blocks), two blocks in memory at most. One thread
        reads them all: blocks allocated by many pool threads land in as many malloc arenas, each
        keeping freed blocks, and the peak memory then grows with the length of the upload."""
        loop = asyncio.get_running_loop()
        reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qvupload-read")
        with open(os_path(self.path), "rb", buffering=0) as fh, contextlib.ExitStack() as stack:
            stack.callback(reader.shutdown, wait=False)
            fh.seek(self.offset)
            requested = 0

            def read_next() -> asyncio.Future[bytes] | None:
                nonlocal requested
                if requested >= self.length:
                    return None
                size = min(BLOCK, self.length - requested)
                requested += size
                return loop.run_in_executor(reader, self._read_and_hash, fh, size)

            pending = read_next()
            try:
                while pending is not None:
                    block = await pending
                    pending = read_next()
                    if not block:
                        raise FileChanged(
                            _("%(name)s became shorter while it was uploading.") % {"name": self.path.name}
                        )
                    self.sent += len(block)
                    if self.on_progress:
                        self.on_progress(self.offset, self.sent)
                    yield block
            finally:
                if pending is not None:  # let the read in flight finish before the file closes
                    with contextlib.suppress(Exception):
                        await pending
        if Snapshot.of(self.path) != self.snapshot:
            raise FileChanged(
                _("%(name)s changed while it was uploading; nothing was imported.") % {"name": self.path.name}
            )
