"""OAuth 2.0 for native clients: authorization code with PKCE (S256), refresh with rotation, revoke.

As in Qlik Cloud, a refresh token is issued only when ``offline_access`` was requested: "The
offline_access scope is an exception, it won't be granted implicitly, and it must be requested to
get a refresh token" (https://qlik.dev/authenticate/oauth/scopes). The other scopes default to
``user_default`` when none is asked for. Access tokens are JWT-shaped and of realistic length
(:mod:`qvupload.sandbox.token_shapes`); they expire after ``access_token_ttl`` seconds.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from qvupload.sandbox import token_shapes
from qvupload.sandbox.model import OAuthClient, Token
from qvupload.sandbox.web import OAuthError, Request, Response, Router

if TYPE_CHECKING:
    from qvupload.sandbox.server import Sandbox

CODE_TTL = 300
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
OFFLINE = "offline_access"
DEFAULT_SCOPE = "user_default"


def granted_scope(requested: str) -> str:
    """The scopes granted for ``requested`` (space-delimited): as asked, ``user_default`` when no
    other scope is asked for; ``offline_access`` only when asked for."""
    asked = list(dict.fromkeys(requested.split()))
    if not [s for s in asked if s != OFFLINE]:
        asked.insert(0, DEFAULT_SCOPE)
    return " ".join(asked)


@dataclass
class _Code:
    client_id: str
    user_id: str
    redirect_uri: str
    challenge: str
    scope: str
    expires: float


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _redirect_allowed(client: OAuthClient, uri: str) -> bool:
    """Registered URIs match exactly; a loopback URI matches whatever its port (RFC 8252 7.3)."""
    if uri in client.redirect_uris:
        return True
    asked = urlsplit(uri)
    for registered in client.redirect_uris:
        known = urlsplit(registered)
        if (asked.scheme, asked.hostname, asked.path) == (known.scheme, known.hostname, known.path) and (
            asked.hostname in LOOPBACK_HOSTS
        ):
            return True
    return False


class OAuthRoutes:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        self.tenant = sandbox.tenant
        self.codes: dict[str, _Code] = {}
        self.signing_key = secrets.token_bytes(32)

    def register(self, r: Router) -> None:
        r.add("GET", "/.well-known/oauth-authorization-server", self.metadata, tier="", auth=False)
        r.add("GET", "/oauth/authorize", self.authorize, tier="", auth=False)
        r.add("GET", "/oauth/login", self.login_page, tier="", auth=False)  # the sandbox's "identity provider"
        r.add("POST", "/oauth/login", self.approve, tier="", auth=False)
        r.add("POST", "/oauth/token", self.token, tier="", auth=False)
        r.add("POST", "/oauth/revoke", self.revoke, tier="", auth=False)

    def metadata(self, req: Request) -> Response:
        base = req.base_url
        return Response.json(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/oauth/authorize",
                "token_endpoint": f"{base}/oauth/token",
                "revocation_endpoint": f"{base}/oauth/revoke",
                "jwks_uri": f"{base}/oauth/keys",
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    # -- authorize -------------------------------------------------------------------------------
    def _check_authorize(self, params: dict[str, str]) -> OAuthClient:
        client = self.tenant.clients.get(params.get("client_id", ""))
        if client is None:
            raise OAuthError(400, "Bad request", "Unknown client_id.", code="OAUTH-1")
        if not _redirect_allowed(client, params.get("redirect_uri", "")):
            raise OAuthError(400, "Bad request", "redirect_uri is not registered for this client.", code="OAUTH-2")
        if params.get("response_type") != "code":
            raise OAuthError(400, "Bad request", "response_type must be code.", code="OAUTH-3")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            raise OAuthError(400, "Bad request", "PKCE with code_challenge_method S256 is required.", code="OAUTH-4")
        if not params.get("state"):
            raise OAuthError(400, "Bad request", "state is required.", code="OAUTH-5")
        return client

    def _issue_code(self, params: dict[str, str], user_id: str) -> Response:
        code = secrets.token_urlsafe(24)
        self.codes[code] = _Code(
            params["client_id"],
            user_id,
            params["redirect_uri"],
            params["code_challenge"],
            granted_scope(params.get("scope") or ""),
            time.time() + CODE_TTL,
        )
        target = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"
        return Response(
            302, b"<html><body>Redirecting</body></html>", {"Location": target, "Content-Type": "text/html"}
        )

    def authorize(self, req: Request) -> Response:
        params = {k: v[0] for k, v in req.query.items()}
        self._check_authorize(params)
        auto = self.sb.config.auto_approve_user
        hint = params.get("login_hint", "").lower()
        hinted = next((u for u in self.tenant.users.values() if u.email.lower() == hint), None) if hint else None
        if auto:
            return self._issue_code(params, hinted.id if hinted else auto)
        # like the real tenant, send the browser to the identity provider's sign-in page
        return Response(
            302,
            b"<html><body>Sign in</body></html>",
            {"Location": f"/oauth/login?{urlencode(params)}", "Content-Type": "text/html"},
        )

    def login_page(self, req: Request) -> Response:
        params = {k: v[0] for k, v in req.query.items()}
        self._check_authorize(params)
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params.items()
        )
        buttons = "".join(
            f'<p><button type="submit" name="user_id" value="{html.escape(u.id)}">Approve as '
            f"{html.escape(u.name)} ({html.escape(u.email)})</button></p>"
            for u in self.tenant.users.values()
            if u.status == "active"
        )
        page = (
            "<!doctype html><html><head><meta charset='utf-8'><title>Sandbox sign-in</title></head><body>"
            "<h1>qvupload sandbox tenant</h1><p>An application asks to act on your behalf in this local "
            "sandbox. Nothing leaves this machine.</p>"
            f'<form method="post" action="/oauth/login">{hidden}{buttons}</form></body></html>'
        )
        return Response(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    def approve(self, req: Request) -> Response:
        params = req.form_or_json()
        self._check_authorize(params)
        user_id = params.get("user_id", "")
        if user_id not in self.tenant.users:
            raise OAuthError(400, "Bad request", "Choose a user to approve as.")
        return self._issue_code(params, user_id)

    # -- token -----------------------------------------------------------------------------------
    def _tokens_for(self, base: str, user_id: str, client_id: str, scope: str) -> dict[str, Any]:
        config = self.sb.config
        now = time.time()
        value = token_shapes.access_token(
            issuer="qlik.api",
            audience=base,
            user_id=user_id,
            tenant_id=self.tenant.tenant_id,
            client_id=client_id,
            scope=scope,
            issued_at=int(now),
            expires_at=int(now + config.access_token_ttl),
            key=self.signing_key,
        )
        access = Token(value, user_id, "access", client_id, now + config.access_token_ttl, scope)
        refresh = None
        if OFFLINE in scope.split():
            refresh = Token(
                token_shapes.refresh_token(), user_id, "refresh", client_id, now + config.refresh_token_ttl, scope
            )
        with self.tenant.lock:
            self.tenant.tokens[access.value] = access
            if refresh is not None:
                self.tenant.tokens[refresh.value] = refresh
            self.tenant.save()
        expires_at = datetime.fromtimestamp(access.expires_at or now, UTC)
        answer: dict[str, Any] = {
            "access_token": access.value,
            "token_type": "bearer",
            "expires_at": expires_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{expires_at.microsecond // 1000:03d}Z",
            "expires_in": config.access_token_ttl,
            "scope": scope,
        }
        if refresh is not None:
            answer["refresh_token"] = refresh.value
        return answer

    def token(self, req: Request) -> Response:
        body = req.form_or_json()
        grant = body.get("grant_type")
        if grant == "authorization_code":
            return self._code_grant(req.base_url, body)
        if grant == "refresh_token":
            return self._refresh_grant(req.base_url, body)
        raise OAuthError(400, "Bad request", f"Unsupported grant_type {grant!r}.", code="OAUTH-10")

    def _code_grant(self, base: str, body: dict[str, Any]) -> Response:
        code = self.codes.pop(str(body.get("code") or ""), None)
        if code is None or code.expires < time.time():
            raise OAuthError(401, "Unauthorized", "The authorization code is not valid.", code="OAUTH-11")
        if body.get("client_id") != code.client_id or body.get("redirect_uri") != code.redirect_uri:
            raise OAuthError(400, "Bad request", "client_id or redirect_uri does not match the code.", code="OAUTH-12")
        if s256(str(body.get("code_verifier") or "")) != code.challenge:
            raise OAuthError(
                400, "Bad request", "The code_verifier does not match the code_challenge.", code="OAUTH-13"
            )
        return Response.json(self._tokens_for(base, code.user_id, code.client_id, code.scope))

    def _refresh_grant(self, base: str, body: dict[str, Any]) -> Response:
        value = str(body.get("refresh_token") or "")
        with self.tenant.lock:
            old = self.tenant.tokens.get(value)
            if old is None or old.kind != "refresh" or (old.expires_at or 0) < time.time():
                raise OAuthError(401, "Unauthorized", "The refresh token is not valid.", code="OAUTH-14")
            del self.tenant.tokens[value]  # rotation: a refresh token works once
            user = self.tenant.users.get(old.user_id)
            if user is None or user.status != "active":
                raise OAuthError(403, "Forbidden", "The user is disabled.", code="OAUTH-15")
        return Response.json(self._tokens_for(base, old.user_id, old.client_id, old.scope))

    def revoke(self, req: Request) -> Response:
        body = req.form_or_json()
        value = str(body.get("token") or "")
        if not value:
            raise OAuthError(400, "Bad request", "token is required.", code="OAUTH-20")
        with self.tenant.lock:
            token = self.tenant.tokens.get(value)
            if token is not None and token.kind != "api-key":
                del self.tenant.tokens[value]
                self.tenant.save()
        return Response.json({})
