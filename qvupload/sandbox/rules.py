"""Who may do what in the sandbox, after the roles in the shared Qlik Cloud reference.

- A space's roles for a user are the union of the user's own assignment and those of the user's
  groups (Everyone included); the space owner holds every assignable role of the space type.
- Apps in a personal space are seen by their owner (and tenant admins); in a shared or managed
  space by anyone whose roles there allow opening apps (``dataconsumer`` alone does not).
- Importing a QlikView document needs a professional licence with QlikView enabled; moving into a
  shared space needs producer (or facilitator, or ownership) there; managed spaces receive apps
  only by publishing, which needs publisher (or ownership) in the target space.
- Managing members needs ownership, facilitator or tenant admin.
"""

from __future__ import annotations

from qvupload.sandbox.model import SPACE_ROLES, App, Space, User
from qvupload.sandbox.tenant import Tenant

OPEN_APP_ROLES = {
    "shared": {"consumer", "producer", "facilitator", "codeveloper"},
    "managed": {"consumer", "contributor", "facilitator", "publisher", "basicconsumer"},
    "data": {"consumer", "producer", "facilitator", "publisher", "operator"},
}
ADD_CONTENT_ROLES = {"shared": {"producer", "facilitator"}, "data": {"producer", "facilitator"}}
MANAGE_ROLES = {"facilitator"}


def space_roles(tenant: Tenant, user: User, space: Space) -> set[str]:
    if space.owner_id == user.id:
        return set(SPACE_ROLES[space.type])
    groups = set(tenant.group_ids_of(user))
    roles: set[str] = set()
    for a in tenant.space_assignments(space.id):
        if (a.type == "user" and a.assignee_id == user.id) or (a.type == "group" and a.assignee_id in groups):
            roles.update(a.roles)
    return roles


def can_see_space(tenant: Tenant, user: User, space: Space) -> bool:
    return user.is_admin or space.owner_id == user.id or bool(space_roles(tenant, user, space))


def can_manage_members(tenant: Tenant, user: User, space: Space) -> bool:
    return user.is_admin or space.owner_id == user.id or bool(space_roles(tenant, user, space) & MANAGE_ROLES)


def can_add_content(tenant: Tenant, user: User, space: Space) -> bool:
    roles = space_roles(tenant, user, space)
    return space.owner_id == user.id or bool(roles & ADD_CONTENT_ROLES.get(space.type, set()))


def can_publish_to(tenant: Tenant, user: User, space: Space) -> bool:
    return space.type == "managed" and (space.owner_id == user.id or "publisher" in space_roles(tenant, user, space))


def space_actions(tenant: Tenant, user: User, space: Space) -> list[str]:
    actions = ["read"]
    if can_add_content(tenant, user, space):
        actions.append("create")
    if can_publish_to(tenant, user, space):
        actions.append("publish")
    if user.is_admin or space.owner_id == user.id:
        actions += ["update", "delete", "change_owner"]
    elif can_manage_members(tenant, user, space):
        actions.append("update")
    return actions


def can_see_app(tenant: Tenant, user: User, app: App) -> bool:
    if app.space_id is None:
        return app.owner_id == user.id or user.is_admin
    space = tenant.spaces.get(app.space_id)
    if space is None:
        return False
    if user.is_admin or space.owner_id == user.id:
        return True
    return bool(space_roles(tenant, user, space) & OPEN_APP_ROLES[space.type])


def app_privileges(tenant: Tenant, user: User, app: App) -> list[str]:
    """What the caller may do with an app (the ``privileges`` of an NxApp)."""
    if not can_see_app(tenant, user, app):
        return []
    privileges = ["read"]
    if app.space_id is None:
        if app.owner_id == user.id or user.is_admin:
            privileges += ["update", "delete", "change_space", "change_owner", "publish", "exportdata"]
        return privileges
    space = tenant.spaces[app.space_id]
    roles = space_roles(tenant, user, space)
    if space.type == "shared" and (roles & {"producer", "facilitator"} or user.is_admin):
        privileges += ["update", "delete", "change_space", "publish", "exportdata"]
    elif space.type == "managed":
        privileges.append("exportdata")
        if roles & {"publisher", "facilitator"} or user.is_admin:
            privileges.append("delete")
    return privileges


def can_import_qlikview(user: User) -> bool:
    return user.status == "active" and user.license == "professional" and user.qv_enabled


# -- external items (links to QlikView documents on a QlikView Server) ---------------------------
# Adding a link is adding content to the space: in a shared space "Can edit" (producer) or "Can
# manage" (facilitator); a managed space receives content only from those who may publish there
# ("Can publish") or manage it. Who sees a link: whoever may see the space's apps.
# Sources: docs/reference-notes/items-create.md.
LINK_ROLES = {"shared": {"producer", "facilitator"}, "managed": {"publisher", "facilitator"}}


def can_add_link(tenant: Tenant, user: User, space: Space) -> bool:
    if user.status != "active" or user.license != "professional":  # analyzers do not create content
        return False
    if space.owner_id == user.id:
        return True
    return bool(space_roles(tenant, user, space) & LINK_ROLES.get(space.type, set()))


def can_see_in_space(tenant: Tenant, user: User, space: Space) -> bool:
    """Whether content of the space (apps, links) is visible to the user."""
    if user.is_admin or space.owner_id == user.id:
        return True
    return bool(space_roles(tenant, user, space) & OPEN_APP_ROLES.get(space.type, set()))
