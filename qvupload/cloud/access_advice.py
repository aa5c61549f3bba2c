"""What to do about an access-check answer: who can grant or remove what.

Space roles are managed by the space's owner and by members with the facilitator role (the
``manage`` in MORE_ROLES); a user's status is a tenant admin's business; a group's membership
comes from the identity provider (or a tenant admin, for groups made in the tenant).
"""

from __future__ import annotations

from qvupload.cloud.access import MORE_ROLES, VIEW_ROLES, AccessAnswer
from qvupload.cloud.access_words import role_name, role_names
from qvupload.i18n import _, ngettext


def _managers(answer: AccessAnswer) -> str:
    name = (answer.space or {}).get("name")
    if not name:
        return _("the space's owner or one of its facilitators")
    return _("the owner of %(name)s or one of its facilitators") % {"name": name}


def advice(answer: AccessAnswer) -> list[str]:
    """Plain sentences, most useful first."""
    space = answer.space or {}
    space_type = str(space.get("type") or "")
    sources = {r.source for r in answer.reasons}
    if "user status" in sources:
        return [
            (
                _("A tenant admin can re-activate %(user)s (Management Console > Users).")
                % {"user": answer.user.get("name")}
            )
        ]
    if not space:
        if not answer.complete:
            return [_("Ask someone who can read the app's space (its owner or a tenant admin) to check again.")]
        if answer.verdict == "no-access":
            return [
                _(
                    "The app is in someone's personal space: only its owner sees it. The owner can "
                    "move it to a shared space or publish it to a managed space, then grant roles "
                    "there."
                )
            ]
        return [_("They own the app in their personal space; nothing to grant.")]
    managers = _managers(answer)
    if answer.verdict == "more-than-view":
        more = MORE_ROLES.get(space_type, {})
        steps = []
        for reason in answer.reasons:
            if reason.role not in more:
                continue
            if reason.source == "owner":
                steps.append(
                    _("They own %(space)s: only a tenant admin can give the space another owner.")
                    % {"space": space.get("name")}
                )
            elif reason.source == "direct assignment":
                steps.append(
                    _("To make them view-only, %(managers)s removes the %(role)s role from their assignment.")
                    % {"managers": managers, "role": role_name(reason.role)}
                )
            else:
                group = reason.source.removeprefix("group ")
                steps.append(
                    _(
                        "The %(role)s role comes from the group %(group)s: %(managers)s removes it from "
                        "that group's assignment (every member loses it), or the user leaves %(group)s "
                        "in your identity provider."
                    )
                    % {"role": role_name(reason.role), "group": group, "managers": managers}
                )
        return list(dict.fromkeys(steps))
    if answer.verdict == "view-only":
        more_roles = role_names(set(MORE_ROLES.get(space_type, {})))
        return [
            (
                _("Nothing to do for view-only access. More rights (%(more_roles)s) come from %(managers)s.")
                % {"more_roles": more_roles, "managers": managers}
            )
        ]
    view = VIEW_ROLES.get(space_type, {"consumer"})
    return [
        (
            ngettext(
                "To give view access, %(managers)s assigns them (or one of their groups) the %(roles)s role in "
                "%(space)s.",
                "To give view access, %(managers)s assigns them (or one of their groups) one of the roles "
                "%(roles)s in %(space)s.",
                len(view),
            )
            % {"managers": managers, "roles": role_names(view), "space": space.get("name")}
        )
    ]
