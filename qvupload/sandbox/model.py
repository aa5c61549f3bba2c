"""The sandbox tenant's records: people, spaces, assignments, apps, items, uploads, tokens.

Plain dataclasses that serialise to JSON, so a tenant with ``--data-dir`` survives a restart.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypeVar

EVERYONE_GROUP_ID = "000000000000000000000001"
EVERYONE_GROUP_NAME = "com.qlik.Everyone"
TENANT_ADMIN = "TenantAdmin"

SPACE_ROLES: dict[str, tuple[str, ...]] = {
    "shared": ("codeveloper", "consumer", "dataconsumer", "facilitator", "producer"),
    "managed": ("basicconsumer", "consumer", "contributor", "dataconsumer", "facilitator", "publisher"),
    "data": ("consumer", "dataconsumer", "datapreview", "facilitator", "operator", "producer", "publisher"),
}


def new_id() -> str:
    """24 hex digits, like Qlik Cloud's ids for users, spaces, items and temp files."""
    return secrets.token_hex(12)


def new_app_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class User:
    id: str
    name: str
    email: str
    status: str = "active"  # active | invited | disabled | deleted
    roles: list[str] = field(default_factory=list)  # tenant roles, e.g. TenantAdmin
    license: str = "professional"  # professional | analyzer
    qv_enabled: bool = True
    group_ids: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=now_iso)

    @property
    def subject(self) -> str:
        return f"auth0|{self.id}"

    @property
    def is_admin(self) -> bool:
        return TENANT_ADMIN in self.roles


@dataclass
class Group:
    id: str
    name: str
    status: str = "active"
    provider_type: str = "idp"
    created_at: str = field(default_factory=now_iso)


@dataclass
class Space:
    id: str
    name: str
    type: str  # shared | managed | data
    owner_id: str
    description: str = ""
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class Assignment:
    id: str
    space_id: str
    type: str  # user | group
    assignee_id: str
    roles: list[str]
    created_by: str
    updated_by: str
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class App:
    id: str
    name: str
    owner_id: str
    space_id: str | None  # None: the owner's personal space
    resource_type: str = "qvapp"
    description: str = ""
    sha256: str = ""
    size: int = 0
    file_name: str = ""  # under the tenant's apps folder
    last_reload_time: str | None = None
    has_section_access: bool = False
    published: bool = False
    publish_time: str | None = None
    origin_app_id: str | None = None
    created_at: str = field(default_factory=now_iso)
    modified_at: str = field(default_factory=now_iso)


@dataclass
class Item:
    id: str
    resource_id: str  # the app id; empty for an external item (a link)
    resource_type: str
    owner_id: str
    creator_id: str
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    # external items (``POST /api/v1/items`` with a resourceLink) carry their own name and space
    resource_link: str = ""
    name: str = ""
    description: str = ""
    space_id: str | None = None

    @property
    def external(self) -> bool:
        return bool(self.resource_link)


@dataclass
class TempFile:
    id: str
    owner_id: str
    filename: str
    length: int
    offset: int = 0
    ttl: int = 3600
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    expired: bool = False  # set by fault injection
    received: int = 0  # every body byte that arrived, re-sent ones included

    @property
    def complete(self) -> bool:
        return self.offset == self.length

    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(parse_iso(self.created_at).timestamp() + self.ttl, UTC)


@dataclass
class Token:
    value: str
    user_id: str
    kind: str  # api-key | access | refresh
    client_id: str = ""
    expires_at: float | None = None  # epoch seconds
    scope: str = "user_default"


@dataclass
class OAuthClient:
    client_id: str
    name: str
    app_type: str = "native"  # native | spa | web
    redirect_uris: list[str] = field(default_factory=list)
    client_secret: str = ""


T = TypeVar("T")


def to_json(record: Any) -> dict[str, Any]:
    return asdict(record)


def from_json(cls: type[T], data: dict[str, Any]) -> T:
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in known})
