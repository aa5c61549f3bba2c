"""Signing in and out of a profile, and the credentials a signed-in profile gives the cloud client."""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qvupload.auth.oauth import OAuthCredentials, browser_sign_in, require_signed_in
from qvupload.auth.profiles import Profile, ProfileStore
from qvupload.auth.secrets import CredentialStore, Secret
from qvupload.auth.urls import normalize_tenant_url
from qvupload.cloud import CloudClient, Credentials, StaticToken
from qvupload.i18n import _
from qvupload.paths import config_dir


@dataclass(frozen=True)
class Identity:
    id: str
    name: str
    email: str


@dataclass
class Stores:
    profiles: ProfileStore
    secrets: CredentialStore


def open_stores() -> Stores:
    folder = config_dir()
    profiles = ProfileStore(folder)
    plaintext = folder / "secrets-plaintext.json" if profiles.settings().allow_plaintext_secrets else None
    return Stores(profiles, CredentialStore(plaintext_file=plaintext))


async def whoami(client: CloudClient) -> Identity:
    data = await client.json("GET", "/api/v1/users/me", doing=_("Could not check who you are."))
    return Identity(str(data.get("id", "")), str(data.get("name", "")), str(data.get("email", "")))


async def _remember(stores: Stores, profile: Profile, secret: Secret, who: Identity) -> Profile:
    profile.user_id, profile.user_name, profile.user_email = who.id, who.name, who.email
    await asyncio.to_thread(stores.secrets.set, profile.name, secret)
    return await asyncio.to_thread(stores.profiles.save, profile, make_default=True)


async def sign_in_with_api_key(stores: Stores, name: str, tenant: str, api_key: str) -> Profile:
    """Check the key against ``/api/v1/users/me`` first; store it only when it works."""
    tenant = normalize_tenant_url(tenant)
    async with CloudClient(tenant, StaticToken(api_key.strip())) as client:
        who = await whoami(client)
    return await _remember(stores, Profile(name, tenant, "api-key"), Secret("api-key", api_key=api_key.strip()), who)


async def sign_in_with_browser(
    stores: Stores,
    name: str,
    tenant: str,
    client_id: str,
    *,
    open_browser: Callable[[str], Any] = webbrowser.open,
    on_url: Callable[[str], None] | None = None,
) -> Profile:
    tenant = normalize_tenant_url(tenant)
    secret = await browser_sign_in(tenant, client_id, open_browser=open_browser, on_url=on_url)
    async with CloudClient(tenant, StaticToken(secret.access_token)) as client:
        who = await whoami(client)
    return await _remember(stores, Profile(name, tenant, "oauth", client_id=client_id), secret, who)


async def credentials_for(stores: Stores, profile: Profile) -> Credentials:
    secret = require_signed_in(await asyncio.to_thread(stores.secrets.get, profile.name), profile.name)
    if profile.kind == "api-key":
        return StaticToken(secret.api_key)

    def save(new: Secret) -> None:
        stores.secrets.set(profile.name, new)

    return OAuthCredentials(profile.tenant, profile.client_id, secret, save)


async def sign_out(stores: Stores, profile: Profile) -> None:
    """Revoke OAuth tokens at the tenant, then forget the secret (the profile itself stays)."""
    secret = await asyncio.to_thread(stores.secrets.get, profile.name)
    if secret is not None and profile.kind == "oauth":
        await OAuthCredentials(profile.tenant, profile.client_id, secret, lambda s: None).revoke()
    await asyncio.to_thread(stores.secrets.delete, profile.name)
