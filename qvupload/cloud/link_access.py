"""The access check for a link (a ``qlikview`` item): who can see it in the hub, and why.

Kept apart from the app check in :mod:`qvupload.cloud.access` (it reuses its user look-up, role
sources and verdict rules). Seeing a link is all Qlik Cloud decides: opening it goes to the
QlikView AccessPoint, where the QlikView Server's own document rights and section access apply.
"""

from __future__ import annotations

import re
from typing import Any

from qvupload.cloud import access_words as words
from qvupload.cloud.access import PROPAGATION_NOTE, AccessAnswer, Reason, decide_case, find_user, roles_in_space
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound, PermissionDenied
from qvupload.cloud.links import LINK_TYPE
from qvupload.i18n import N_, _

_ID = re.compile(r"^[0-9a-f]{24}$")
SERVER_NOTE = N_(
    "A link only shows the document in the hub: opening it goes to the QlikView AccessPoint, where the "
    "QlikView Server's own document rights (and any section access) decide whether the document opens."
)


async def find_link_item(client: CloudClient, ref: str) -> dict[str, Any]:
    """A link by item id or exact name."""
    if _ID.match(ref):
        try:
            item = dict(await client.json("GET", f"/api/v1/items/{ref}", doing=_("Could not find the link.")))
            if item.get("resourceType") == LINK_TYPE:
                return item
        except NotFound:
            pass
    found = [
        i
        async for i in client.paginate(
            "/api/v1/items",
            doing=_("Could not find the link."),
            params={"resourceType": LINK_TYPE, "name": ref, "limit": "100"},
        )
        if str(i.get("name", "")).lower() == ref.lower()
    ]
    if not found:
        raise NotFound(
            _("You cannot see a link named %(ref)s: it does not exist, or it is in a space you cannot read.")
            % {"ref": ref}
        )
    if len(found) > 1:
        ids = ", ".join(
            _("%(id)s (space %(space)s)") % {"id": i.get("id"), "space": i["spaceId"]}
            if i.get("spaceId")
            else _("%(id)s (a personal space)") % {"id": i.get("id")}
            for i in found
        )
        raise CloudError(
            _("More than one link is named %(ref)s: give its item id, one of %(ids)s.") % {"ref": ref, "ids": ids}
        )
    return found[0]


async def check_link_access(client: CloudClient, who: str, link_ref: str) -> AccessAnswer:
    user = await find_user(client, who)
    item = await find_link_item(client, link_ref)
    link = {"id": item.get("id"), "name": item.get("name"), "item_id": item.get("id"), "url": item.get("resourceLink")}
    answer = AccessAnswer("no-access", {k: user.get(k) for k in ("id", "name", "email", "status")}, link, None)
    answer.notes = [_(SERVER_NOTE), _(PROPAGATION_NOTE)]
    status = str(user.get("status", "active"))
    if status != "active":
        answer.reasons.append(Reason("", "user status", f"the user is {status}"))
        answer.summary = words.status_sentence(status, link=True)
        return answer
    space_id = item.get("spaceId")
    if not space_id:
        if item.get("ownerId") == user.get("id"):
            answer.verdict, answer.roles = "view-only", ["owner"]
            answer.summary = _("Sees the link: it is in their own personal space.")
        else:
            answer.summary = _("Cannot see the link: it is in someone else's personal space.")
        return answer
    try:
        space = dict(
            await client.json("GET", f"/api/v1/spaces/{space_id}", doing=_("Could not read the link's space."))
        )
    except (NotFound, PermissionDenied):
        answer.complete = False
        answer.summary = _("Incomplete: you cannot read the link's space, so who sees it is unknown.")
        return answer
    answer.space = {"id": space.get("id"), "name": space.get("name"), "type": space.get("type")}
    answer.reasons, gaps = await roles_in_space(client, user, space)
    answer.roles = sorted({r.role for r in answer.reasons})
    space_type = str(space.get("type"))
    answer.verdict, case, roles = decide_case(space_type, answer.reasons)
    if answer.verdict == "no-access":
        answer.summary = words.link_no_access(case, roles)
    else:
        answer.summary = words.link_sees(str(space.get("name")), roles)
    if gaps:
        answer.complete = False
        answer.notes = [*gaps, *answer.notes]
        answer.summary = words.incomplete(answer.summary)
    return answer
