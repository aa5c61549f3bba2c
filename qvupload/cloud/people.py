"""Finding people as someone types their name or email (the access check's suggestions)."""

from __future__ import annotations

from typing import Any

from qvupload.cloud.client import CloudClient
from qvupload.i18n import _


async def search_users(client: CloudClient, text: str, limit: int = 10) -> list[dict[str, Any]]:
    """Users whose name or email contains the text (SCIM ``co``), active ones first."""
    text = text.strip().replace('"', "").replace("\\", "")
    if not text:
        return []
    found: list[dict[str, Any]] = []
    async for user in client.paginate(
        "/api/v1/users",
        doing=_("Could not find people."),
        params={"filter": f'name co "{text}" or email co "{text}"', "limit": str(limit)},
    ):
        found.append(user)
        if len(found) >= limit:
            break
    return sorted(found, key=lambda u: (u.get("status", "active") != "active", str(u.get("name", "")).lower()))
