"""One way to name a QlikView app everywhere (command line, plans, the window).

An app is named by its app id, its item id, its exact name, or its name in a space:
``"Sales Dashboard" in "Sales Reports"`` (or ``--space`` next to the name). After a publish two
apps carry the same name, the source (personal or shared space) and the published copy (managed
space), so a name alone often matches several apps. ``resolve`` returns every match as a
``Candidate``; commands that act on an app (move, publish) keep the one a name can mean with
``pick_source`` (a source, never a published copy), and otherwise stop with ``AmbiguousApp``,
which lists the candidates with space, owner and id. The access check answers for each match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qvupload.cloud.access_words import space_label
from qvupload.cloud.apps import QVAPP, find_space
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound, PermissionDenied
from qvupload.i18n import _

_ITEM_ID = re.compile(r"^[0-9a-f]{24}$")
_IN_SPACE = re.compile(
    r'^\s*(?:"(?P<qname>[^"]+)"|(?P<name>[^"]+?))\s+in\s+(?:"(?P<qspace>[^"]+)"|(?P<space>[^"\s][^"]*?))\s*$'
)
PERSONAL = "personal"


@dataclass(frozen=True)
class AppRef:
    """What someone typed: a name, id or item id, and the space it is in when they said so."""

    name: str
    space: str | None = None

    @classmethod
    def parse(cls, text: str, space: str | None = None) -> AppRef:
        """``NAME``, ``"NAME"``, ``"NAME" in "SPACE"`` (quotes optional where unambiguous); an
        explicit ``space`` (``--space``) wins over one written in the text."""
        text = text.strip()
        match = _IN_SPACE.match(text) if text.count('"') in (2, 4) or ' in "' in text else None
        if match:
            name = match.group("qname") or match.group("name") or ""
            written = match.group("qspace") or match.group("space")
            return cls(name.strip().strip('"'), (space or written or "").strip() or None)
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1]
        return cls(text, space.strip() if space and space.strip() else None)

    def __str__(self) -> str:
        return f'"{self.name}" in "{self.space}"' if self.space else self.name


@dataclass
class Candidate:
    """One app a reference matches, with what a person needs to tell it from the others."""

    item: dict[str, Any]
    space: dict[str, Any] | None = None  # None: a personal space
    owner: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def app_id(self) -> str:
        return str(self.item.get("resourceId") or "")

    @property
    def item_id(self) -> str:
        return str(self.item.get("id") or "")

    @property
    def name(self) -> str:
        return str(self.item.get("name") or "")

    @property
    def published_copy(self) -> bool:
        """A copy made by publishing: it names its origin (``originAppId``), and a managed space holds
        nothing else. (The ``published`` attribute means "distributed from client-managed" in Qlik
        Cloud, not this; see docs/reference-notes/app-references.md.)"""
        attrs = self.item.get("resourceAttributes") or {}
        return bool(attrs.get("originAppId")) or (self.space or {}).get("type") == "managed"

    @property
    def space_label(self) -> str:
        return space_label(self.space, self.item)

    def describe(self) -> str:
        v = {"name": self.name, "space_label": self.space_label, "owner": self.owner, "app_id": self.app_id}
        if self.published_copy:
            if self.owner:
                return _("%(name)s in %(space_label)s, published copy, owner %(owner)s, app id %(app_id)s") % v
            return _("%(name)s in %(space_label)s, published copy, app id %(app_id)s") % v
        if self.owner:
            return _("%(name)s in %(space_label)s, source, owner %(owner)s, app id %(app_id)s") % v
        return _("%(name)s in %(space_label)s, source, app id %(app_id)s") % v

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "app_id": self.app_id,
            "item_id": self.item_id,
            "space": self.space.get("name") if self.space else None,
            "space_id": self.item.get("spaceId"),
            "space_type": self.space.get("type") if self.space else (None if self.item.get("spaceId") else PERSONAL),
            "owner": self.owner,
            "published_copy": self.published_copy,
        }


class AmbiguousApp(CloudError):
    """A name matches several apps and nothing says which one is meant."""

    def __init__(self, ref: AppRef, candidates: list[Candidate], why: str = "") -> None:
        lines = "\n".join(f"  - {c.describe()}" for c in candidates)
        lead = why or _("%(count)s QlikView apps match %(ref)s.") % {"count": len(candidates), "ref": ref}
        say = _('Say which one with its space ("%(name)s" in "SPACE", or --space) or its app id:') % {"name": ref.name}
        super().__init__(f"{lead} {say}\n{lines}")
        self.ref, self.candidates = ref, candidates


class _Names:
    """Space and owner look-ups, each made once per resolve."""

    def __init__(self, client: CloudClient) -> None:
        self.client = client
        self.spaces: dict[str, dict[str, Any] | None] = {}
        self.users: dict[str, str] = {}

    async def space(self, space_id: str) -> dict[str, Any] | None:
        if space_id not in self.spaces:
            try:
                self.spaces[space_id] = dict(
                    await self.client.json(
                        "GET", f"/api/v1/spaces/{space_id}", doing=_("Could not read the app's space.")
                    )
                )
            except (NotFound, PermissionDenied):
                self.spaces[space_id] = None
        return self.spaces[space_id]

    async def owner(self, user_id: str) -> str:
        if user_id and user_id not in self.users:
            try:
                user = await self.client.json(
                    "GET", f"/api/v1/users/{user_id}", doing=_("Could not read the app's owner.")
                )
                self.users[user_id] = str(user.get("name") or user.get("email") or user_id)
            except (NotFound, PermissionDenied):
                self.users[user_id] = user_id
        return self.users.get(user_id, "")


async def _by_id(client: CloudClient, ref: str) -> list[dict[str, Any]]:
    found = [
        item
        async for item in client.paginate(
            "/api/v1/items", doing=_("Could not find the app."), params={"resourceType": QVAPP, "resourceId": ref}
        )
    ]
    if found or not _ITEM_ID.match(ref):
        return found
    try:
        item = dict(await client.json("GET", f"/api/v1/items/{ref}", doing=_("Could not find the app.")))
    except NotFound:
        return []
    return [item] if item.get("resourceType") == QVAPP else []


async def resolve(client: CloudClient, ref: AppRef | str) -> list[Candidate]:
    """Every QlikView app the reference matches that the signed-in user can see (by id first)."""
    ref = AppRef.parse(ref) if isinstance(ref, str) else ref
    params = {"resourceType": QVAPP, "name": ref.name, "limit": "100"}
    space: dict[str, Any] | None = None
    if ref.space and ref.space.lower() == PERSONAL:
        params["spaceType"] = PERSONAL
    elif ref.space:
        space = await find_space(client, ref.space)
        params["spaceId"] = str(space["id"])
    items = [] if ref.space else await _by_id(client, ref.name)
    if not items:
        items = [
            item
            async for item in client.paginate(
                "/api/v1/items", doing=_("Could not look for %(name)s.") % {"name": ref.name}, params=params
            )
            if item.get("name") == ref.name
        ]
    names = _Names(client)
    if space is not None:
        names.spaces[str(space["id"])] = space
    found = []
    for item in items:
        space_id = str(item.get("spaceId") or "")
        space_of = await names.space(space_id) if space_id else None
        found.append(Candidate(item, space_of, await names.owner(str(item.get("ownerId")))))
    return sorted(found, key=lambda c: (c.published_copy, c.space_label.lower(), c.app_id))


def not_found(ref: AppRef) -> NotFound:
    if ref.space:
        text = _("There is no QlikView app %(name)s in %(space)s that you can see.")
    else:
        text = _("There is no QlikView app %(name)s that you can see.")
    return NotFound(text % {"name": ref.name, "space": ref.space}, 404)


def pick_source(ref: AppRef, candidates: list[Candidate]) -> Candidate:
    """The one app a command that acts (move, publish) can mean: a source, never a published copy."""
    if not candidates:
        raise not_found(ref)
    sources = [c for c in candidates if not c.published_copy]
    if len(sources) == 1:
        return sources[0]
    if not sources:
        raise AmbiguousApp(
            ref,
            candidates,
            _("%(ref)s is only a published copy, which cannot be moved or published again; publish its source instead.")
            % {"ref": ref},
        )
    raise AmbiguousApp(
        ref,
        sources,
        _("%(count)s QlikView apps (not published copies) match %(ref)s.") % {"count": len(sources), "ref": ref},
    )


def only_one(ref: AppRef, candidates: list[Candidate]) -> Candidate:
    if not candidates:
        raise not_found(ref)
    if len(candidates) > 1:
        raise AmbiguousApp(ref, candidates)
    return candidates[0]


async def find_source(client: CloudClient, ref: AppRef | str) -> Candidate:
    ref = AppRef.parse(ref) if isinstance(ref, str) else ref
    return pick_source(ref, await resolve(client, ref))


def app_url(tenant: str, item: dict[str, Any]) -> str:
    """Where the app opens in the tenant's hub, ``https://TENANT/sense/app/APP_ID`` (see
    docs/reference-notes/app-links.md): the same address in the window, its menus and ``--json``."""
    app_id = item.get("resourceId")
    return f"{tenant.rstrip('/')}/sense/app/{app_id}" if app_id and tenant else ""


async def search(client: CloudClient, text: str, limit: int = 10) -> list[Candidate]:
    """QlikView apps whose name contains the text (for suggestions as someone types), each with its
    space and owner so same-named apps can be told apart."""
    text = text.strip()
    if not text:
        return []
    params = {"resourceType": QVAPP, "query": text, "limit": str(limit), "sort": "+name"}
    names = _Names(client)
    found: list[Candidate] = []
    async for item in client.paginate(
        "/api/v1/items", doing=_("Could not look for apps named like %(text)s.") % {"text": text}, params=params
    ):
        space_id = str(item.get("spaceId") or "")
        space_of = await names.space(space_id) if space_id else None
        found.append(Candidate(item, space_of, await names.owner(str(item.get("ownerId")))))
        if len(found) >= limit:
            break
    return found


async def whereabouts(client: CloudClient, app_id: str) -> tuple[Candidate | None, list[Candidate]]:
    """Where an uploaded app is now and its published copies (each with its space), for the window."""
    from qvupload.cloud.apps import published_copies

    found = await resolve(client, AppRef(app_id))
    if not found:
        return None, []
    app = found[0]
    names = _Names(client)
    copies = []
    for item in await published_copies(client, app.item_id):
        space_id = str(item.get("spaceId") or "")
        copies.append(Candidate(item, await names.space(space_id) if space_id else None))
    return app, copies
