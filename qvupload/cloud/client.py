"""One ``httpx.AsyncClient`` per tenant, with the retry rules every call shares.

- connection errors, time-outs and 500/502/503/504: exponential back-off with jitter;
- 429: wait exactly ``Retry-After``, and hold back every call of the same tier until then;
- 401: ask the credentials provider for a fresh token once, then retry once;
- redirects: followed only to the same origin (so ``/users/me`` works with the bearer token).
Calls that send a body that cannot be sent twice (tus PATCH) pass ``retry=False``: the upload
code re-reads the server's offset instead. Calls that are not safe to repeat (``writes.WRITES``)
are never sent again once they may have reached the tenant (a dropped connection after sending, a
read time-out, a 5xx): they raise ``OutcomeUnknown`` and the caller finds out what the tenant did.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from qvupload.cloud.errors import (
    CloudError,
    OutcomeUnknown,
    RetryableError,
    SignInError,
    Unreachable,
    error_for,
    failed,
)
from qvupload.cloud.writes import safe_to_repeat
from qvupload.i18n import _

RETRY_STATUSES = {500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
# transport errors that mean the request never reached the tenant: any call may be sent again
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Credentials(Protocol):
    """Gives bearer tokens; ``refresh`` is called once after a 401 (return None when it cannot)."""

    async def token(self) -> str: ...

    async def refresh(self) -> str | None: ...


class StaticToken:
    """An API key: never refreshed."""

    def __init__(self, value: str) -> None:
        self._value = value

    async def token(self) -> str:
        return self._value

    async def refresh(self) -> str | None:
        return None


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 300.0

    def backoff(self, attempt: int) -> float:
        """Full jitter: a random wait up to base * 2**attempt, capped."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


Sleep = Callable[[float], Awaitable[None]]


class CloudClient:
    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 60.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._tier_open_at: dict[str, float] = {}
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=15.0),
            follow_redirects=False,
            headers={"User-Agent": "qvupload"},
        )
        self.waited_for_rate_limit = 0.0  # seconds spent honouring Retry-After (for callers to show)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> CloudClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _wait_for_tier(self, tier: str) -> None:
        open_at = self._tier_open_at.get(tier, 0.0)
        delay = open_at - time.monotonic()
        if delay > 0:
            self.waited_for_rate_limit += delay
            await self._sleep(delay)

    async def request(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        tier: str = "1",
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 204),
        retry: bool = True,
    ) -> httpx.Response:
        """Send a call; return the response when its status is in ``ok``, else raise a CloudError."""
        refreshed = False
        attempt = 0
        url = path
        repeatable = safe_to_repeat(method, path, params)
        while True:
            await self._wait_for_tier(tier)
            token = await self.credentials.token()
            all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
            try:
                response = await self.http.request(
                    method, url, params=params, json=json, content=content, headers=all_headers
                )
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if retry and not repeatable and not isinstance(exc, NOT_SENT):
                    unknown = OutcomeUnknown(
                        failed(
                            doing,
                            _(
                                "The connection was lost after the call went out (%(name)s), so the tenant may or "
                                "may not have done it."
                            )
                            % {"name": type(exc).__name__},
                        )
                    )
                    unknown.timed_out = isinstance(exc, httpx.TimeoutException)
                    raise unknown from exc
                if not retry or attempt + 1 >= self.retry.attempts:
                    raise Unreachable(
                        failed(doing, _("The tenant could not be reached (%(name)s).") % {"name": type(exc).__name__})
                    ) from exc
                await self._sleep(self.retry.backoff(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status in REDIRECTS and method in ("GET", "HEAD"):
                url = self._same_origin(response)
                params = None
                continue
            if status in ok:
                return response
            if status == 401 and not refreshed:
                refreshed = True
                if await self.credentials.refresh() is not None:
                    if not retry:  # the body cannot be sent again from here: let the caller resume
                        raise RetryableError(failed(doing, _("The sign-in was refreshed; send again.")), 401)
                    continue
                raise error_for(response, doing)
            if status == 429:
                self._tier_open_at[tier] = time.monotonic() + _retry_after(response, self.retry)
                if retry and attempt + 1 < self.retry.attempts:
                    attempt += 1
                    continue
            if status in RETRY_STATUSES and retry and not repeatable:
                raise _unknown(error_for(response, doing))
            if status in RETRY_STATUSES and retry and attempt + 1 < self.retry.attempts:
                await self._sleep(self.retry.backoff(attempt))
                attempt += 1
                continue
            raise error_for(response, doing)

    def _same_origin(self, response: httpx.Response) -> str:
        location = response.headers.get("location", "")
        target: str = urljoin(str(response.request.url), str(location))
        here, there = urlsplit(self.base_url), urlsplit(target)
        if (here.scheme, here.netloc) != (there.scheme, there.netloc):
            raise CloudError(
                _("The tenant redirected to another site (%(netloc)s); not following it.") % {"netloc": there.netloc}
            )
        return target

    async def json(self, method: str, path: str, **kw: Any) -> Any:
        response = await self.request(method, path, **kw)
        try:
            return response.json()
        except ValueError as exc:
            raise CloudError(
                failed(kw.get("doing") or _("Could not talk to the tenant."), _("Its answer was not JSON."))
            ) from exc

    async def paginate(
        self, path: str, *, doing: str, params: Mapping[str, str] | None = None, limit: int | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Every record of a list, following ``links.next.href`` verbatim."""
        url: str | None = path
        query: Mapping[str, str] | None = params
        count = 0
        while url:
            page = await self.json("GET", url, doing=doing, params=query)
            query = None
            for record in page.get("data") or []:
                yield record
                count += 1
                if limit is not None and count >= limit:
                    return
            url = ((page.get("links") or {}).get("next") or {}).get("href")


def _unknown(error: CloudError) -> OutcomeUnknown:
    unknown = OutcomeUnknown(
        _("%(error)s The tenant may or may not have done it.") % {"error": error}, error.status, error.detail
    )
    unknown.request, unknown.code, unknown.trace_id = error.request, error.code, error.trace_id
    return unknown


def _retry_after(response: httpx.Response, policy: RetryPolicy) -> float:
    raw = response.headers.get("retry-after", "1")
    try:
        return min(max(float(raw), 0.0), policy.max_retry_after)
    except ValueError:
        return 1.0


__all__ = ["CloudClient", "CloudError", "Credentials", "RetryPolicy", "SignInError", "StaticToken"]
