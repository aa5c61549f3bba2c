"""People, spaces and apps a sandbox tenant starts with.

``seed_minimal`` gives one admin and one business user. ``seed_demo`` gives the tenant the demo
and the tests rely on: a business user, an admin, a help-desk user and consumers; groups; shared
and managed spaces with user and group assignments of every role, including the tricky cases the
access check must explain; and existing apps in personal, shared and managed spaces.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox.model import (
    EVERYONE_GROUP_ID,
    TENANT_ADMIN,
    App,
    Assignment,
    Group,
    Item,
    OAuthClient,
    Space,
    Token,
    User,
    new_app_id,
    new_id,
)
from qvupload.sandbox.tenant import Tenant

NATIVE_CLIENT_ID = "qvupload-desktop"
NATIVE_REDIRECT = "http://127.0.0.1/callback"


def _user(tenant: Tenant, persona: str, name: str, email: str, **kw: Any) -> User:
    user = User(new_id(), name, email, **kw)
    tenant.users[user.id] = user
    key = Token("qvk_" + secrets.token_urlsafe(32), user.id, "api-key")
    tenant.tokens[key.value] = key
    tenant.personas[user.id] = persona
    return user


def _client(tenant: Tenant) -> None:
    tenant.clients[NATIVE_CLIENT_ID] = OAuthClient(NATIVE_CLIENT_ID, "qvupload desktop", "native", [NATIVE_REDIRECT])


def _assign(tenant: Tenant, space: Space, kind: str, who: str, *roles: str) -> None:
    a = Assignment(new_id(), space.id, kind, who, list(roles), created_by=space.owner_id, updated_by=space.owner_id)
    tenant.assignments[a.id] = a


def _space(tenant: Tenant, name: str, kind: str, owner: User, description: str = "") -> Space:
    space = Space(new_id(), name, kind, owner.id, description)
    tenant.spaces[space.id] = space
    return space


def _app(
    tenant: Tenant, name: str, owner: User, space: Space | None, reloaded: datetime, origin: App | None = None
) -> App:
    app = App(new_app_id(), name, owner.id, space.id if space else None)
    app.file_name = f"{app.id}-seed.qvw"
    with tempfile.TemporaryDirectory() as tmp:
        source = write_document(Path(tmp) / "seed.qvw", SyntheticDocument(reloaded, window_title=name))
        data = source.read_bytes()
    tenant.app_path(app).write_bytes(data)
    app.sha256, app.size = hashlib.sha256(data).hexdigest(), len(data)
    app.last_reload_time = reloaded.strftime("%Y-%m-%dT%H:%M:%SZ")
    if origin is not None:
        app.origin_app_id, app.published = origin.id, True
        app.publish_time = app.created_at
    tenant.apps[app.id] = app
    item = Item(new_id(), app.id, "qvapp", owner.id, owner.id)
    tenant.items[item.id] = item
    return app


def seed_minimal(tenant: Tenant) -> None:
    _client(tenant)
    _user(tenant, "admin", "Sandbox Admin", "admin@sandbox.example", roles=[TENANT_ADMIN])
    _user(tenant, "business", "Sandbox User", "user@sandbox.example")
    tenant.save()


def seed_demo(tenant: Tenant) -> None:
    _client(tenant)
    now = datetime.now(UTC).replace(microsecond=0)
    ann = _user(tenant, "business", "Ann Baker", "ann@sandbox.example")
    adam = _user(tenant, "admin", "Adam Admin", "adam@sandbox.example", roles=[TENANT_ADMIN])
    hana = _user(tenant, "helpdesk", "Hana Help", "hana@sandbox.example", qv_enabled=False)
    carl = _user(tenant, "consumer", "Carl Consumer", "carl@sandbox.example", license="analyzer")
    fiona = _user(tenant, "producer", "Fiona Producer", "fiona@sandbox.example")
    erik = _user(tenant, "consumer", "Erik Data", "erik@sandbox.example", license="analyzer")
    dora = _user(tenant, "consumer", "Dora Disabled", "dora@sandbox.example", status="disabled", license="analyzer")
    groups = {}
    for name, members in (
        ("Sales", [carl, fiona]),
        ("Sales Leads", [carl]),
        ("Finance", [erik]),
        ("Help Desk", [hana]),
    ):
        group = Group(new_id(), name)
        tenant.groups[group.id] = group
        groups[name] = group
        for member in members:
            member.group_ids.append(group.id)

    sales_team = _space(tenant, "Sales Team", "shared", ann, "Working space of the sales analysts")
    _assign(tenant, sales_team, "user", fiona.id, "producer")
    _assign(tenant, sales_team, "user", carl.id, "consumer")  # direct consumer ...
    _assign(tenant, sales_team, "group", groups["Sales Leads"].id, "producer")  # ... and producer via a group
    _assign(tenant, sales_team, "group", groups["Help Desk"].id, "consumer")
    _assign(tenant, sales_team, "user", erik.id, "dataconsumer")
    _assign(tenant, sales_team, "user", adam.id, "facilitator", "codeveloper")

    hr = _space(tenant, "HR Confidential", "shared", adam, "Not visible to the help desk")
    _assign(tenant, hr, "user", ann.id, "consumer")

    sales_reports = _space(tenant, "Sales Reports", "managed", adam, "Published sales documents")
    _assign(tenant, sales_reports, "user", ann.id, "publisher", "consumer")
    _assign(tenant, sales_reports, "group", groups["Sales"].id, "consumer")
    _assign(tenant, sales_reports, "group", groups["Help Desk"].id, "consumer")
    _assign(tenant, sales_reports, "user", fiona.id, "contributor")

    finance = _space(tenant, "Finance Reports", "managed", adam, "Published finance documents")
    _assign(tenant, finance, "user", ann.id, "publisher")
    _assign(tenant, finance, "group", groups["Finance"].id, "dataconsumer")
    _assign(tenant, finance, "user", carl.id, "basicconsumer")
    _assign(tenant, finance, "user", dora.id, "consumer")
    _assign(tenant, finance, "group", groups["Help Desk"].id, "consumer")
    _assign(tenant, finance, "user", hana.id, "facilitator")

    _assign(tenant, _space(tenant, "Everyone's Reports", "managed", adam), "group", EVERYONE_GROUP_ID, "consumer")

    _app(tenant, "Pipeline (personal)", ann, None, now - timedelta(days=2))
    dashboard = _app(tenant, "Sales Dashboard", ann, sales_team, now - timedelta(days=1))
    _app(tenant, "Sales Dashboard", adam, sales_reports, now - timedelta(days=1), origin=dashboard)
    _app(tenant, "Budget 2026", adam, finance, now - timedelta(days=45))
    _app(tenant, "Admin Scratchpad", adam, None, now - timedelta(days=10))
    tenant.save()


def users_summary(tenant: Tenant) -> list[dict[str, str]]:
    """``[{id, name, email, api_key, role}]`` for the start-up line."""
    keys = {t.user_id: t.value for t in tenant.tokens.values() if t.kind == "api-key"}
    return [
        {
            "id": u.id,
            "name": u.name,
            "email": u.email,
            "api_key": keys.get(u.id, ""),
            "role": tenant.personas.get(u.id, "user"),
        }
        for u in tenant.users.values()
    ]
