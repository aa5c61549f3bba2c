"""Links to QlikView documents that stay on a QlikView Server: hub items of type ``qlikview``.

An item points at the document's AccessPoint address
(``https://ACCESSPOINT/QvAJAXZfc/opendoc.htm?document=PATH``); opening it in Qlik Cloud redirects
there. Items are created with ``POST /api/v1/items`` (experimental in Qlik Cloud, see
docs/reference-notes/items-create.md). A resourceLink is unique in a tenant, so creating a link
that exists answers 409 and the existing item is used: running the same links again changes nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from qvupload.cloud import reconcile
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, Conflict
from qvupload.i18n import _

LINK_TYPE = "qlikview"
OPENDOC = "/QvAJAXZfc/opendoc.htm"


class LinkError(ValueError):
    """A link cannot be made from these settings; ``str()`` says why."""


def normalize_accesspoint(base: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash; https only."""
    text = base.strip().rstrip("/")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme != "https":
        raise LinkError(
            _("The AccessPoint address %(base)s must use https (links open in people's browsers).") % {"base": base}
        )
    if not parts.hostname or parts.query or parts.fragment:
        raise LinkError(
            _("%(base)s is not an AccessPoint address such as https://qlikview.example.com.") % {"base": base}
        )
    path = parts.path.removesuffix(OPENDOC).removesuffix("/QvAJAXZfc").rstrip("/")
    return f"https://{parts.netloc}{path}"


def accesspoint_url(base: str, document: str) -> str:
    """The opendoc address of a document given by its path on the QlikView Server (``Finance/Budget.qvw``)."""
    doc = document.replace("\\", "/").strip("/")
    if not doc:
        raise LinkError(_("The document's server path is empty."))
    return f"{normalize_accesspoint(base)}{OPENDOC}?document={quote(doc, safe='')}"


async def find_link(client: CloudClient, url: str) -> dict[str, Any] | None:
    """The link item with exactly this resourceLink, if you can see it."""
    async for item in client.paginate(
        "/api/v1/items",
        doing=_("Could not look for the link."),
        params={"resourceType": LINK_TYPE, "resourceLink": url, "limit": "10"},
    ):
        if item.get("resourceLink") == url:
            return item
    return None


async def create_link(
    client: CloudClient, name: str, url: str, space_id: str, description: str = ""
) -> tuple[dict[str, Any], bool]:
    """Create the link item, or find it when it exists; returns (item, created)."""
    body = {
        "name": name,
        "resourceType": LINK_TYPE,
        "resourceLink": url,
        "spaceId": space_id,
        "description": description,
    }

    async def send() -> dict[str, Any]:
        doing = _("Could not add the link %(name)s.") % {"name": name}
        return dict(await client.json("POST", "/api/v1/items", doing=doing, tier="2", json=body))

    try:
        # an answer lost after the tenant made the link: it is found by its address (unique in a
        # tenant), never made twice
        return await reconcile.exactly_once(client, send, lambda: find_link(client, url)), True
    except Conflict:
        existing = await find_link(client, url)
        if existing is None:
            raise CloudError(
                (
                    _(
                        "A link to %(url)s already exists in the tenant, in a space you cannot see; ask "
                        "a tenant admin where it is."
                    )
                    % {"url": url}
                ),
                409,
            ) from None
        return existing, False
