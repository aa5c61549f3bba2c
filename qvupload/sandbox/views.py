"""JSON shapes of sandbox records, as Qlik's OpenAPI files describe them, computed for a caller."""

from __future__ import annotations

import hashlib
from typing import Any

from qvupload.sandbox import rules
from qvupload.sandbox.model import SPACE_ROLES, App, Assignment, Group, Item, Space, User
from qvupload.sandbox.tenant import Tenant


def _stable_id(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:24]


def app_attributes(tenant: Tenant, app: App) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "id": app.id,
        "name": app.name,
        "description": app.description,
        "owner": tenant.users[app.owner_id].subject if app.owner_id in tenant.users else "",
        "ownerId": app.owner_id,
        "createdDate": app.created_at,
        "modifiedDate": app.modified_at,
        "published": app.published,
        "hasSectionAccess": app.has_section_access,
        "encrypted": True,
        "thumbnail": "",
        "custom": {},
        "usage": "ANALYTICS",
        "_resourcetype": app.resource_type,
    }
    if app.last_reload_time:
        attrs["lastReloadTime"] = app.last_reload_time
    if app.publish_time:  # an empty publishTime is not a date-time: leave it out
        attrs["publishTime"] = app.publish_time
    if app.origin_app_id:
        attrs["originAppId"] = app.origin_app_id
    if app.space_id:
        attrs["spaceId"] = app.space_id
    return attrs


def app_json(tenant: Tenant, user: User, app: App) -> dict[str, Any]:
    return {
        "attributes": app_attributes(tenant, app),
        "privileges": rules.app_privileges(tenant, user, app),
        "create": [],
    }


def item_actions(tenant: Tenant, user: User, app: App) -> list[str]:
    privileges = rules.app_privileges(tenant, user, app)
    mapping = {"read": "read", "update": "update", "delete": "delete", "publish": "publish"}
    return [mapping[p] for p in privileges if p in mapping]


def item_json(tenant: Tenant, user: User, item: Item, base_url: str) -> dict[str, Any]:
    if item.external:
        return external_item_json(tenant, user, item, base_url)
    app = tenant.apps[item.resource_id]
    actions = item_actions(tenant, user, app)
    data: dict[str, Any] = {
        "id": item.id,
        "name": app.name,
        "description": app.description,
        "resourceId": app.id,
        "resourceType": item.resource_type,
        "resourceAttributes": app_attributes(tenant, app),
        "resourceCustomAttributes": {},
        "resourceCreatedAt": app.created_at,
        "resourceUpdatedAt": app.modified_at,
        "ownerId": app.owner_id,
        "creatorId": item.creator_id,
        "updaterId": item.creator_id,
        "tenantId": tenant.tenant_id,
        "createdAt": item.created_at,
        "updatedAt": item.updated_at,
        "actions": actions,
        "collectionIds": [],
        "isFavorited": False,
        "meta": {"actions": actions, "tags": [], "collections": [], "isFavorited": False},
        "links": {
            "self": {"href": f"{base_url}/api/v1/items/{item.id}"},
            "open": {"href": f"{base_url}/qv/opendoc/{app.id}"},
        },
    }
    if app.space_id:
        data["spaceId"] = app.space_id
    return data


def external_item_json(tenant: Tenant, user: User, item: Item, base_url: str) -> dict[str, Any]:
    """An item that points outside the tenant (``resourceLink``), e.g. a QlikView AccessPoint link."""
    space = tenant.spaces.get(item.space_id or "")
    actions = ["read"]
    if space is not None and (user.is_admin or rules.can_add_link(tenant, user, space)):
        actions += ["update", "delete"]
    data: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "resourceLink": item.resource_link,
        "resourceType": item.resource_type,
        "resourceAttributes": {"linkType": item.resource_type, "url": item.resource_link},
        "resourceCustomAttributes": {},
        "resourceCreatedAt": item.created_at,
        "resourceUpdatedAt": item.updated_at,
        "ownerId": item.owner_id,
        "creatorId": item.creator_id,
        "updaterId": item.creator_id,
        "tenantId": tenant.tenant_id,
        "createdAt": item.created_at,
        "updatedAt": item.updated_at,
        "actions": actions,
        "collectionIds": [],
        "isFavorited": False,
        "meta": {"actions": actions, "tags": [], "collections": [], "isFavorited": False},
        "links": {"self": {"href": f"{base_url}/api/v1/items/{item.id}"}, "open": {"href": item.resource_link}},
    }
    if item.space_id:
        data["spaceId"] = item.space_id
    return data


def space_json(tenant: Tenant, user: User, space: Space, base_url: str) -> dict[str, Any]:
    return {
        "id": space.id,
        "name": space.name,
        "type": space.type,
        "description": space.description,
        "ownerId": space.owner_id,
        "tenantId": tenant.tenant_id,
        "createdAt": space.created_at,
        "createdBy": space.owner_id,
        "updatedAt": space.updated_at,
        "meta": {
            "actions": rules.space_actions(tenant, user, space),
            "roles": sorted(rules.space_roles(tenant, user, space)),
            "assignableRoles": list(SPACE_ROLES[space.type]),
        },
        "links": {
            "self": {"href": f"{base_url}/api/v1/spaces/{space.id}"},
            "assignments": {"href": f"{base_url}/api/v1/spaces/{space.id}/assignments"},
        },
    }


def assignment_json(tenant: Tenant, a: Assignment, base_url: str) -> dict[str, Any]:
    return {
        "id": a.id,
        "type": a.type,
        "assigneeId": a.assignee_id,
        "roles": list(a.roles),
        "spaceId": a.space_id,
        "tenantId": tenant.tenant_id,
        "createdAt": a.created_at,
        "createdBy": a.created_by,
        "updatedAt": a.updated_at,
        "updatedBy": a.updated_by,
        "links": {
            "self": {"href": f"{base_url}/api/v1/spaces/{a.space_id}/assignments/{a.id}"},
            "space": {"href": f"{base_url}/api/v1/spaces/{a.space_id}"},
        },
    }


def user_json(tenant: Tenant, user: User, base_url: str) -> dict[str, Any]:
    return {
        "id": user.id,
        "tenantId": tenant.tenant_id,
        "name": user.name,
        "email": user.email,
        "subject": user.subject,
        "status": user.status,
        "createdAt": user.created_at,
        "lastUpdatedAt": user.created_at,
        "locale": "en",
        "assignedRoles": [{"id": _stable_id(r), "name": r, "type": "default", "level": "admin"} for r in user.roles]
        + [
            {
                "id": _stable_id(user.license),
                "name": user.license.capitalize(),
                "type": "default",
                "level": "user",
            }
        ],
        "assignedGroups": [
            {"id": g, "name": tenant.groups[g].name, "providerType": tenant.groups[g].provider_type}
            for g in user.group_ids
            if g in tenant.groups
        ],
        "assignedScopes": [],
        "links": {"self": {"href": f"{base_url}/api/v1/users/{user.id}"}},
    }


def group_json(tenant: Tenant, group: Group, base_url: str) -> dict[str, Any]:
    return {
        "id": group.id,
        "tenantId": tenant.tenant_id,
        "name": group.name,
        "status": group.status,
        "providerType": group.provider_type,
        "createdAt": group.created_at,
        "lastUpdatedAt": group.created_at,
        "assignedRoles": [],
        "links": {"self": {"href": f"{base_url}/api/v1/groups/{group.id}"}},
    }
