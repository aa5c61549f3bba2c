"""The help-desk question: does this user have view-only access to this app, and why?

Worked out from what the person asking may read (no impersonation): the user and their groups
(Everyone included), the app's space and its type, the assignments of the user and of each group
there, and ownership. Where an assignment or a space cannot be read, the answer says the verdict
is incomplete instead of guessing. Role changes take about two minutes to reach open sessions.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from qvupload.cloud import access_words as words
from qvupload.cloud import apps
from qvupload.cloud.appref import AmbiguousApp, AppRef, Candidate, app_url, resolve
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound, PermissionDenied
from qvupload.i18n import N_, _

EVERYONE = ("000000000000000000000001", "Everyone")
_ID = re.compile(r"^[0-9a-f]{24}$")
VIEW_ROLES = {"shared": {"consumer"}, "managed": {"consumer", "basicconsumer", "contributor"}}
MORE_ROLES = {
    "shared": {"producer": "edit", "facilitator": "manage", "codeveloper": "edit"},
    "managed": {"publisher": "publish", "facilitator": "manage"},
}
DATA_ONLY = {"dataconsumer", "datapreview", "operator"}
PROPAGATION_NOTE = N_("Role changes take about two minutes to reach sessions that are already open.")


@dataclass
class Reason:
    role: str
    source: str  # "direct assignment", "group Sales", "owner", "user status", ...
    detail: str = ""


@dataclass
class AccessAnswer:
    verdict: str  # view-only | more-than-view | no-access
    user: dict[str, Any]
    app: dict[str, Any]
    space: dict[str, Any] | None
    roles: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    complete: bool = True
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    candidate: Candidate | None = field(default=None, repr=False, compare=False)  # the app as resolved

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "candidate"}
        data["reasons"] = [asdict(r) for r in self.reasons]
        return data


async def find_user(client: CloudClient, who: str) -> dict[str, Any]:
    """A user by id, email or exact name."""
    if _ID.match(who):
        try:
            return dict(await client.json("GET", f"/api/v1/users/{who}", doing=_("Could not find the user.")))
        except NotFound:
            pass
    field_name = "email" if "@" in who else "name"
    quoted = who.replace('"', '\\"')
    found = [
        u
        async for u in client.paginate(
            "/api/v1/users", doing=_("Could not find the user."), params={"filter": f'{field_name} eq "{quoted}"'}
        )
    ]
    if not found:
        raise NotFound((_("There is no user %(who)s.") % {"who": who}), 404)
    if len(found) > 1:
        raise CloudError(_("More than one user matches %(who)s; give the email or the id.") % {"who": who})
    return found[0]


def _user_summary(user: dict[str, Any]) -> dict[str, Any]:
    return {k: user.get(k) for k in ("id", "name", "email", "status")}


async def _assignments(client: CloudClient, space_id: str, assignee: str) -> list[dict[str, Any]]:
    return [
        a
        async for a in client.paginate(
            f"/api/v1/spaces/{space_id}/assignments",
            doing=_("Could not read the assignments."),
            params={"assigneeId": assignee, "limit": "100"},
        )
    ]


async def roles_in_space(
    client: CloudClient, user: dict[str, Any], space: dict[str, Any]
) -> tuple[list[Reason], list[str]]:
    """Every role the user holds in the space, each with where it comes from, and what could not be read."""
    reasons: list[Reason] = []
    gaps: list[str] = []
    if space.get("ownerId") == user.get("id"):
        for role in (space.get("meta") or {}).get("assignableRoles") or []:
            reasons.append(Reason(str(role), "owner", "the space owner holds every role"))
    sources = [(str(user["id"]), "direct assignment")]
    sources += [(str(g["id"]), f"group {g.get('name', g['id'])}") for g in user.get("assignedGroups") or []]
    sources.append((EVERYONE[0], "group Everyone"))
    for assignee, source in sources:
        try:
            for assignment in await _assignments(client, str(space["id"]), assignee):
                reasons += [Reason(str(role), source) for role in assignment.get("roles") or []]
        except (PermissionDenied, NotFound):
            gaps.append(
                _("the assignments of %(source)s in %(space)s could not be read with your rights")
                % {"source": source, "space": space.get("name")}
            )
    return reasons, gaps


def decide_case(space_type: str, reasons: list[Reason]) -> tuple[str, str, set[str]]:
    """(verdict, which case: ``more:<role>``, ``view``, ``data-only``, ``roles``, ``none``; the roles it rests on)."""
    roles = {r.role for r in reasons}
    more = sorted(r for r in MORE_ROLES.get(space_type, {}) if r in roles)
    if more:
        return "more-than-view", f"more:{more[0]}", roles
    view = roles & VIEW_ROLES.get(space_type, set())
    if view:
        return "view-only", "view", view
    if roles and roles <= DATA_ONLY:
        return "no-access", "data-only", roles
    if roles:
        return "no-access", "roles", roles
    return "no-access", "none", roles


def decide(space_type: str, reasons: list[Reason]) -> tuple[str, str]:
    """(verdict, one-line summary) from the roles a user holds in a space of that type."""
    verdict, case, roles = decide_case(space_type, reasons)
    if case.startswith("more:"):
        return verdict, words.more_than_view(case[5:])
    if case == "view":
        return verdict, words.view_only(roles)
    if case == "data-only":
        return verdict, _("No access: only a data role (%(roles)s), which does not open apps.") % {
            "roles": words.role_names(roles)
        }
    if case == "roles":
        return verdict, words.roles_do_not_open(space_type, roles)
    return verdict, _("No access: neither the user nor any of their groups is a member of this space.")


async def check_access(client: CloudClient, who: str, app_ref: str, space: str | None = None) -> AccessAnswer:
    """The answer for the one app the reference names; ``AmbiguousApp`` lists them where several match."""
    answers = await check_access_all(client, who, app_ref, space)
    if len(answers) > 1:
        raise AmbiguousApp(AppRef.parse(app_ref, space), [a.candidate for a in answers if a.candidate])
    return answers[0]


async def check_access_all(client: CloudClient, who: str, app_ref: str, space: str | None = None) -> list[AccessAnswer]:
    """One answer per app the reference matches (a name often matches a source and its published
    copy), or for the one in the space given."""
    user = await find_user(client, who)
    ref = AppRef.parse(app_ref, space)
    candidates = await resolve(client, ref)
    if not candidates:
        raise NotFound(
            (
                _(
                    "You cannot see the app %(ref)s: it does not exist, or it is in a space (or "
                    "someone's personal space) you cannot read, so its access cannot be checked with "
                    "your rights."
                )
                % {"ref": ref}
            ),
            404,
        )
    return [await answer_for_app(client, user, candidate) for candidate in candidates]


# -- one resource kind per function: the user's access to it, from what the asker may read ------------
async def answer_for_app(client: CloudClient, user: dict[str, Any], candidate: Candidate) -> AccessAnswer:
    """A QlikView app: access comes from its space's assignments, or ownership in a personal space."""
    item = candidate.item
    app = {
        "id": candidate.app_id,
        "name": candidate.name,
        "item_id": candidate.item_id,
        "published_copy": candidate.published_copy,
        "owner": candidate.owner,
        "url": app_url(client.base_url, item),
    }
    answer = AccessAnswer("no-access", _user_summary(user), app, None, notes=[_(PROPAGATION_NOTE)])
    answer.candidate = candidate
    status = str(user.get("status", "active"))
    if status != "active":
        answer.reasons.append(Reason("", "user status", f"the user is {status}"))
        answer.summary = words.status_sentence(status)
        return answer
    if not item.get("spaceId"):
        if item.get("ownerId") == user.get("id"):
            answer.verdict, answer.roles = "more-than-view", ["owner"]
            answer.reasons.append(Reason("owner", "owner", "the app is in the user's own personal space"))
            answer.summary = _("More than view: the app is in their own personal space; they own it.")
        else:
            answer.reasons.append(Reason("", "personal space", "the app is in someone else's personal space"))
            answer.summary = _("No access: the app is in someone else's personal space.")
        return answer
    space = candidate.space
    if space is None:
        answer.complete = False
        answer.summary = _("Incomplete: you cannot read the app's space, so the verdict is unknown.")
        return answer
    answer.space = {"id": space.get("id"), "name": space.get("name"), "type": space.get("type")}
    reasons, gaps = await roles_in_space(client, user, space)
    answer.reasons = reasons
    answer.roles = sorted({r.role for r in reasons})
    answer.verdict, answer.summary = decide(str(space.get("type")), reasons)
    if gaps:
        answer.complete = False
        answer.notes = [*gaps, _(PROPAGATION_NOTE)]
        answer.summary = words.incomplete(answer.summary)
    return answer


async def audit_space(client: CloudClient, space_ref: str) -> list[dict[str, Any]]:
    """Every member (users, and each group with its members) with a verdict for each app in the space."""
    space = await apps.find_space(client, space_ref)
    space_type = str(space.get("type"))
    assignments = [
        a
        async for a in client.paginate(
            f"/api/v1/spaces/{space['id']}/assignments",
            doing=_("Could not read the assignments."),
            params={"limit": "100"},
        )
    ]
    items = [
        i
        async for i in client.paginate(
            "/api/v1/items",
            doing=_("Could not list the space's apps."),
            params={"spaceId": str(space["id"]), "resourceType": apps.QVAPP, "limit": "100"},
        )
    ]
    users: dict[str, dict[str, Any]] = {}
    for a in assignments:
        if a.get("type") == "user":
            users[str(a["assigneeId"])] = await find_user(client, str(a["assigneeId"]))
        elif a.get("type") == "group":
            async for member in client.paginate(
                "/api/v1/users",
                doing=_("Could not list the group's members."),
                params={"filter": f'assignedGroups.id eq "{a["assigneeId"]}"'},
            ):
                users[str(member["id"])] = member
    if space.get("ownerId") and str(space["ownerId"]) not in users:
        users[str(space["ownerId"])] = await find_user(client, str(space["ownerId"]))
    rows: list[dict[str, Any]] = []
    for user in users.values():
        reasons: list[Reason] = []
        if user.get("status", "active") != "active":
            verdict, summary = "no-access", words.status_sentence(str(user.get("status")))
        else:
            reasons, _roles = await roles_in_space(client, user, space)
            verdict, summary = decide(space_type, reasons)
        for item in items or [{"name": "", "resourceId": ""}]:
            rows.append(
                {
                    "space": space.get("name"),
                    "space_type": space_type,
                    "app": item.get("name"),
                    "app_id": item.get("resourceId"),
                    "user": user.get("name"),
                    "email": user.get("email"),
                    "user_id": user.get("id"),
                    "status": user.get("status"),
                    "verdict": verdict,
                    "roles": ";".join(sorted({r.role for r in reasons})),
                    "sources": ";".join(sorted({f"{r.role} ({r.source})" for r in reasons})),
                    "summary": summary,
                }
            )
    return rows
