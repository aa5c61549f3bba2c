"""What the sandbox's OAuth tokens look like: the size and shape of Qlik Cloud's, never their meaning.

Qlik Cloud's access tokens are JWTs (``header.payload.signature``, base64url without padding) that
clients must treat as opaque (https://qlik.dev/changelog/67-oauth-token-contents). The sandbox
issues tokens of the same shape and of realistic length: a header with ``alg``/``kid``/``typ``, a
payload with ``iss``, ``sub``, ``subType``, ``aud``, ``exp``, ``iat``, ``jti``, ``scope`` (and the
other claims of Qlik's longer, older format) and a 512-byte signature, about 1,300-1,500
characters in all. The signature is not a real RS512 signature (the sandbox has no key pair): it
is 512 bytes derived from the sandbox's secret and the signed part, and the sandbox recognises its
tokens by looking them up, never by decoding them. Refresh tokens are opaque random strings.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets

SIGNATURE_BYTES = 512  # an RS512 signature with a 4096-bit key
REFRESH_TOKEN_BYTES = 96  # 128 base64url characters


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def access_token(
    *,
    issuer: str,
    audience: str,
    user_id: str,
    tenant_id: str,
    client_id: str,
    scope: str,
    issued_at: int,
    expires_at: int,
    key: bytes,
) -> str:
    """A JWT-shaped access token (see the module's docstring)."""
    header = {"alg": "RS512", "kid": hashlib.sha256(key).hexdigest()[:43], "typ": "JWT"}
    payload = {
        "sub": user_id,
        "subType": "user",
        "tenantId": tenant_id,
        "userId": user_id,
        "clientId": client_id,
        "origin": audience,
        "grantId": secrets.token_hex(12),
        "scope": scope,
        "allowedLocations": ["header"],
        "purpose": "accessToken",
        "jti": secrets.token_urlsafe(24),
        "iat": issued_at,
        "exp": expires_at,
        "aud": audience,
        "iss": issuer,
    }
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
    signing_input += b64url(json.dumps(payload, separators=(",", ":")).encode())
    signature = hashlib.shake_256(key + signing_input.encode("ascii")).digest(SIGNATURE_BYTES)
    return signing_input + "." + b64url(signature)


def refresh_token() -> str:
    """An opaque refresh token."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)
