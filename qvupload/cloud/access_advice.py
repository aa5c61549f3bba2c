"""What to do about an access-check answer: who can grant or remove what.

Space roles are managed by the space's owner and by members with the facilitator role (the
``manage`` in MORE_ROLES); a user's status is a tenant admin's business; a group's membership
comes from the identity provider (or a tenant admin, for groups made in the tenant).
"""

from __future__ import annotations

from qvupload.cloud.access import MORE_ROLES, VIEW_ROLES, AccessAnswer


def _managers(answer: AccessAnswer) -> str:
    name = (answer.space or {}).get("name") or "the space"
    return f"the owner of {name} or one of its facilitators"


def advice(answer: AccessAnswer) -> list[str]:
    """Plain sentences, most useful first."""
    space = answer.space or {}
    space_type = str(space.get("type") or "")
    sources = {r.source for r in answer.reasons}
    if "user status" in sources:
        return [f"A tenant admin can re-activate {answer.user.get('name')} (Management Console > Users)."]
    if not space:
        if not answer.complete:
            return ["Ask someone who can read the app's space (its owner or a tenant admin) to check again."]
        if answer.verdict == "no-access":
            return [
                "The app is in someone's personal space: only its owner sees it. The owner can move it to a shared "
                "space or publish it to a managed space, then grant roles there."
            ]
        return ["They own the app in their personal space; nothing to grant."]
    managers = _managers(answer)
    if answer.verdict == "more-than-view":
        more = MORE_ROLES.get(space_type, {})
        steps = []
        for reason in answer.reasons:
            if reason.role not in more:
                continue
            if reason.source == "owner":
                steps.append(f"They own {space.get('name')}: only a tenant admin can give the space another owner.")
            elif reason.source == "direct assignment":
                steps.append(
                    f"To make them view-only, {managers} removes the {reason.role} role from their assignment."
                )
            else:
                group = reason.source.removeprefix("group ")
                steps.append(
                    f"The {reason.role} role comes from the group {group}: {managers} removes it from that group's "
                    f"assignment (every member loses it), or the user leaves {group} in your identity provider."
                )
        return list(dict.fromkeys(steps))
    if answer.verdict == "view-only":
        more_roles = ", ".join(sorted(MORE_ROLES.get(space_type, {})))
        return [f"Nothing to do for view-only access. More rights ({more_roles}) come from {managers}."]
    view = " or ".join(sorted(VIEW_ROLES.get(space_type, {"consumer"})))
    return [
        f"To give view access, {managers} assigns them (or one of their groups) the {view} role in {space.get('name')}."
    ]
