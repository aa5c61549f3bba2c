"""Browser sign-in for a native client (OAuth 2.0 authorization code + PKCE S256) and the
credentials provider that keeps its access token fresh.

The flow: a one-shot listener on 127.0.0.1 at a random port; a random ``state`` checked when the
browser comes back; the system browser opened on ``/oauth/authorize``; the code exchanged at
``/oauth/token`` with the PKCE verifier. The scope asked for includes ``offline_access``, without
which Qlik Cloud gives no refresh token. Access tokens are refreshed a minute before they expire
(at half-life when they live under two minutes) and once after a 401; a rotated refresh token
replaces the old one in the credential store. Tokens are opaque: never decoded.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import secrets
import time
import webbrowser
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from qvupload.auth.secrets import Secret
from qvupload.cloud.errors import CloudError, SignInError, failed
from qvupload.i18n import _

REFRESH_MARGIN = 60.0
# offline_access is never granted implicitly: without it there is no refresh token and the sign-in
# ends with its first access token (https://qlik.dev/authenticate/oauth/scopes)
SCOPE = "user_default offline_access"
DONE_PAGE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>qvupload</title></head><body style='font-family:"
    b"sans-serif'><h1>Signed in</h1><p>qvupload has your sign-in. You may close this tab.</p></body></html>"
)


class OAuthError(CloudError):
    """The browser sign-in did not complete; ``str()`` says why and what to do."""


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode().rstrip("=")
    return verifier, challenge


class LoopbackListener:
    """Waits for one ``GET /callback?...`` on 127.0.0.1 and answers it with a small page."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()
        self.port = 0

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{self.port}/callback"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await asyncio.wait_for(reader.readline(), 10)).decode("latin-1")
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.split(" ")
            target = urlsplit(parts[1]) if len(parts) >= 2 else urlsplit("/")
            if parts[0] == "GET" and target.path == "/callback" and not self._result.done():
                self._result.set_result({k: v[0] for k, v in parse_qs(target.query).items()})
                body, status = DONE_PAGE, "200 OK"
            else:
                body, status = b"Not found", "404 Not Found"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                f"{len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    async def wait(self, timeout: float) -> dict[str, str]:
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except TimeoutError as exc:
            raise OAuthError(_("The browser sign-in was not finished in time. Try again.")) from exc

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def _endpoints(http: httpx.AsyncClient, tenant: str) -> dict[str, str]:
    defaults = {
        "authorization_endpoint": f"{tenant}/oauth/authorize",
        "token_endpoint": f"{tenant}/oauth/token",
        "revocation_endpoint": f"{tenant}/oauth/revoke",
    }
    try:
        response = await http.get(f"{tenant}/.well-known/oauth-authorization-server")
        if response.status_code == 200:
            data = response.json()
            return {k: str(data.get(k) or v) for k, v in defaults.items()}
    except (httpx.HTTPError, ValueError):
        pass
    return defaults


def _secret_from(body: dict[str, Any], previous_refresh: str = "") -> Secret:
    access = str(body.get("access_token") or "")
    if not access:
        raise OAuthError(_("The tenant did not return an access token. Sign in again."))
    now = time.time()
    expires = now + float(body.get("expires_in") or 3600)
    if body.get("expires_at"):
        with contextlib.suppress(ValueError):
            expires = datetime.fromisoformat(str(body["expires_at"]).replace("Z", "+00:00")).timestamp()
    return Secret(
        "oauth",
        access_token=access,
        refresh_token=str(body.get("refresh_token") or previous_refresh),
        expires_at=expires,
        issued_at=now,
    )


async def _token_call(http: httpx.AsyncClient, url: str, form: dict[str, str], doing: str) -> dict[str, Any]:
    try:
        response = await http.post(url, data=form)
    except httpx.HTTPError as exc:
        raise OAuthError(
            failed(doing, _("The tenant could not be reached (%(name)s).") % {"name": type(exc).__name__})
        ) from exc
    if response.status_code != 200:
        try:
            detail = response.json()["errors"][0].get("detail", "")
        except (ValueError, KeyError, IndexError, TypeError):
            detail = ""
        raise OAuthError(
            (
                failed(
                    doing,
                    _("The tenant refused (HTTP %(status_code)s%(value)s). Sign in again.")
                    % {"status_code": response.status_code, "value": ": " + detail if detail else ""},
                )
            ),
            response.status_code,
        )
    body: dict[str, Any] = response.json()
    return body


async def browser_sign_in(
    tenant: str,
    client_id: str,
    *,
    open_browser: Callable[[str], Any] = webbrowser.open,
    on_url: Callable[[str], None] | None = None,
    timeout: float = 300.0,
    http: httpx.AsyncClient | None = None,
) -> Secret:
    """Run the whole browser sign-in and return the tokens."""
    own = http is None
    client = http or httpx.AsyncClient(timeout=30)
    listener = LoopbackListener()
    try:
        redirect = await listener.start()
        endpoints = await _endpoints(client, tenant)
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(24)
        url = (
            endpoints["authorization_endpoint"]
            + "?"
            + urlencode(
                {
                    "response_type": "code",
                    "client_id": client_id,
                    "redirect_uri": redirect,
                    "scope": SCOPE,
                    "state": state,
                    "code_challenge": challenge,
                    "code_challenge_method": "S256",
                }
            )
        )
        if on_url:
            on_url(url)
        opener = asyncio.ensure_future(asyncio.to_thread(open_browser, url))  # a browser command may block
        answer = await listener.wait(timeout)
        await asyncio.wait([opener], timeout=5)
        if answer.get("state") != state:
            raise OAuthError(_("The sign-in answer did not match this request (state mismatch). Sign in again."))
        if "error" in answer or "code" not in answer:
            raise OAuthError(
                _("The tenant did not sign you in (%(error)s). Sign in again.")
                % {"error": answer.get("error", "no code")}
            )
        body = await _token_call(
            client,
            endpoints["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": answer["code"],
                "code_verifier": verifier,
                "client_id": client_id,
                "redirect_uri": redirect,
            },
            _("Could not finish signing in."),
        )
        return _secret_from(body)
    finally:
        await listener.close()
        if own:
            await client.aclose()


class OAuthCredentials:
    """A credentials provider (see ``qvupload.cloud.client.Credentials``) for OAuth tokens."""

    def __init__(
        self,
        tenant: str,
        client_id: str,
        secret: Secret,
        save: Callable[[Secret], Any],
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.tenant, self.client_id, self.secret, self._save = tenant, client_id, secret, save
        self._http = http
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        if self.secret.expires_at - time.time() < self._margin() and self.secret.refresh_token:
            await self.refresh()
        return self.secret.access_token

    def _margin(self) -> float:
        """Refresh a minute before expiry, or at half-life for tokens that live less than two minutes."""
        lifetime = self.secret.expires_at - self.secret.issued_at
        return min(REFRESH_MARGIN, lifetime / 2) if self.secret.issued_at and lifetime > 0 else REFRESH_MARGIN

    async def refresh(self) -> str | None:
        async with self._lock:
            used = self.secret.refresh_token
            if not used:
                return None
            client = self._http or httpx.AsyncClient(timeout=30)
            try:
                endpoints = await _endpoints(client, self.tenant)
                body = await _token_call(
                    client,
                    endpoints["token_endpoint"],
                    {"grant_type": "refresh_token", "refresh_token": used, "client_id": self.client_id},
                    _("Could not refresh your sign-in."),
                )
            except OAuthError:
                return None
            finally:
                if self._http is None:
                    await client.aclose()
            self.secret = _secret_from(body, used)
            await asyncio.to_thread(self._save, self.secret)  # keyring calls block
            return self.secret.access_token

    async def revoke(self) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            endpoints = await _endpoints(client, self.tenant)
            for token, hint in (
                (self.secret.refresh_token, "refresh_token"),
                (self.secret.access_token, "access_token"),
            ):
                if token:  # a failed revoke does not stop signing out locally
                    with contextlib.suppress(httpx.HTTPError):
                        await client.post(
                            endpoints["revocation_endpoint"], data={"token": token, "token_type_hint": hint}
                        )


def require_signed_in(secret: Secret | None, profile: str) -> Secret:
    if secret is None:
        raise SignInError(
            _("You are not signed in to %(profile)s. Sign in with `qvupload login`.") % {"profile": profile}
        )
    return secret
