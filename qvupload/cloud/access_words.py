"""The access check in words: role names, verdicts, where an app is, each reason, and the one-line
summaries, as whole translatable sentences (one per case, named placeholders, never a fragment glued in).

The answer's data stays in Qlik's own vocabulary (``consumer``, ``direct assignment``, ``group Sales``,
``view-only``) so ``--json``/``--csv`` read the same in every language; what a person reads comes from here.
Role names are the ones Qlik Cloud's space-members dialog shows ("Can view", "Kann anzeigen",
"Peut afficher"), followed by the role's API name, which is what the admin console and scripts use.
"""

from __future__ import annotations

from typing import Any

from qvupload.i18n import N_, _, ngettext

ROLE_NAMES = {
    "consumer": N_("Can view"),
    "basicconsumer": N_("Has restricted view"),
    "contributor": N_("Can contribute"),
    "publisher": N_("Can publish"),
    "facilitator": N_("Can manage"),
    "producer": N_("Can edit"),
    "codeveloper": N_("Can edit data in apps"),
    "dataconsumer": N_("Can consume data"),
    "datapreview": N_("Can view data"),
    "operator": N_("Can operate"),
    "owner": N_("Owner"),
}
VERDICTS = {
    "view-only": N_("VIEW-ONLY"),
    "more-than-view": N_("MORE-THAN-VIEW"),
    "no-access": N_("NO-ACCESS"),
}


def role_name(role: str) -> str:
    """``producer`` -> ``Can edit (producer)`` (in the language in use); an unknown role as it is."""
    label = ROLE_NAMES.get(role)
    return _("%(label)s (%(role)s)") % {"label": _(label), "role": role} if label else role


def role_names(roles: set[str] | list[str]) -> str:
    return ", ".join(role_name(r) for r in sorted(roles))


def verdict_label(verdict: str, complete: bool = True) -> str:
    label = _(VERDICTS[verdict]) if verdict in VERDICTS else verdict
    return label if complete else _("%(verdict)s (incomplete)") % {"verdict": label}


def space_label(space: dict[str, Any] | None, item: dict[str, Any] | None = None, long: bool = False) -> str:
    """``Sales (shared)`` (``long``: ``Sales (shared space)``), ``a personal space`` or ``a space you cannot read``."""
    if space is None:
        if item is not None and item.get("spaceId"):
            return _("a space you cannot read")
        return _("a personal space")
    kind = str(space.get("type"))
    name = {"name": space.get("name")}
    if kind == "shared":
        return (_("%(name)s (shared space)") if long else _("%(name)s (shared)")) % name
    if kind == "managed":
        return (_("%(name)s (managed space)") if long else _("%(name)s (managed)")) % name
    if kind == "data":
        return (_("%(name)s (data space)") if long else _("%(name)s (data)")) % name
    return f"{space.get('name')} ({kind})"  # a space type Qlik adds later: its own word


# -- the summary of a verdict: one sentence per case ----------------------------------------------------


def more_than_view(role: str) -> str:
    v = {"role": role_name(role)}
    if role == "producer":
        return _("More than view: the %(role)s role lets them edit the apps in this space.") % v
    if role == "codeveloper":
        return _("More than view: the %(role)s role lets them edit the data of the apps in this space.") % v
    if role == "facilitator":
        return _("More than view: the %(role)s role lets them manage this space and its members.") % v
    if role == "publisher":
        return _("More than view: the %(role)s role lets them publish apps to this space.") % v
    return _("More than view: the %(role)s role gives them more than view in this space.") % v


def view_only(view: set[str]) -> str:
    if view == {"basicconsumer"}:
        return _("View only, through the %(role)s role (a restricted view).") % {"role": role_name("basicconsumer")}
    return ngettext("View only, through the %(roles)s role.", "View only, through the %(roles)s roles.", len(view)) % {
        "roles": role_names(view)
    }


def roles_do_not_open(space_type: str, roles: set[str]) -> str:
    v = {"roles": role_names(roles)}
    if space_type == "shared":
        return _("No access: the roles %(roles)s do not open apps in a shared space.") % v
    if space_type == "managed":
        return _("No access: the roles %(roles)s do not open apps in a managed space.") % v
    return _("No access: the roles %(roles)s do not open apps in this space.") % v


def status_sentence(status: str, link: bool = False) -> str:
    """Why a user who is not active has no access (or does not see a link)."""
    if status == "disabled":
        return _("Cannot see the link: the user is disabled.") if link else _("No access: the user is disabled.")
    if status == "deleted":
        return _("Cannot see the link: the user is deleted.") if link else _("No access: the user is deleted.")
    if status == "invited":
        return (
            _("Cannot see the link: the user was invited and has not signed in yet.")
            if link
            else _("No access: the user was invited and has not signed in yet.")
        )
    v = {"status": status}
    return (
        _("Cannot see the link: the user's status is %(status)s.") % v
        if link
        else _("No access: the user's status is %(status)s.") % v
    )


def link_no_access(case: str, roles: set[str]) -> str:
    v = {"roles": role_names(roles)}
    if case == "data-only":
        return _("Cannot see the link: only a data role (%(roles)s), which does not show it.") % v
    if case == "roles":
        return _("Cannot see the link: the roles %(roles)s do not show items in this space.") % v
    return _("Cannot see the link: neither the user nor any of their groups is a member of its space.")


def link_sees(space: str, roles: set[str]) -> str:
    return ngettext(
        "Sees the link in %(space)s, through the %(roles)s role.",
        "Sees the link in %(space)s, through the %(roles)s roles.",
        len(roles),
    ) % {"space": space, "roles": role_names(roles)}


def incomplete(summary: str) -> str:
    return _("%(summary)s Incomplete: some assignments could not be read with your rights.") % {"summary": summary}


# -- each reason, as a line under the verdict -------------------------------------------------------------


def reason_line(role: str, source: str, detail: str = "", status: str = "") -> str:
    """One role and where it comes from (``source`` is the answer's own vocabulary, see access.Reason;
    ``status`` the user's status, for the reason that is their status)."""
    v = {"role": role_name(role) if role else "", "group": source.removeprefix("group ")}
    if source == "direct assignment":
        return _("%(role)s: assigned to the user directly") % v
    if source.startswith("group "):
        return _("%(role)s: through the group %(group)s") % v
    if source == "owner" and role == "owner":
        return _("Owner: the app is in the user's own personal space")
    if source == "owner":
        return _("%(role)s: the space owner holds every role") % v
    if source == "personal space":
        return _("The app is in someone else's personal space.")
    if source == "user status":
        return _("The user's status in the tenant is %(status)s, not active.") % {"status": status or detail}
    return f"{v['role'] or '-'}: {source}" + (f" - {detail}" if detail else "")
