"""Bulk sharing plans: documents or apps to publish (or move), and roles to grant, per space.

A plan is read from CSV (one row per action) or built from a selection, then validated against the
tenant before anything runs (every problem with its row number), turned into a list of actions
that says what would be created, changed or left as is (the dry run), and carried out with writes
paced to the tenant's write rate. Running the same plan again changes nothing and says so.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qvupload.cloud import apps
from qvupload.cloud.access import find_user
from qvupload.cloud.appref import find_source
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound
from qvupload.documents import DocumentError, read_document
from qvupload.i18n import _

COLUMNS = ("document", "app", "space", "users", "groups", "roles")
_SPLIT = re.compile(r"[;|]")


class PlanError(ValueError):
    """The plan cannot be read at all; ``str()`` says why."""


@dataclass
class PlanRow:
    number: int  # the CSV line number (the header is line 1)
    space: str
    document: str = ""
    app: str = ""
    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


@dataclass
class Action:
    row: int
    kind: str  # publish-document, move-document, publish-app, move-app, assign
    space: str
    subject: str  # the document path, app name or assignee
    status: str  # create, change, unchanged
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def writes(self) -> int:
        """Rough number of write calls this action costs (for the duration shown up front)."""
        if self.status == "unchanged":
            return 0
        return {"publish-document": 3, "move-document": 3, "assign": 1 if self.status == "create" else 2}.get(
            self.kind, 1
        )


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in _SPLIT.split(cell or "") if part.strip()]


def read_plan_csv(text: str, base: Path | None = None) -> list[PlanRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {h.strip().lower() for h in reader.fieldnames or []}
    if "space" not in headers:
        raise PlanError(_("The plan needs a 'space' column (columns: %(columns)s).") % {"columns": ", ".join(COLUMNS)})
    unknown = headers - set(COLUMNS)
    if unknown:
        raise PlanError(
            _("The plan has unknown columns: %(join)s (known: %(columns)s).")
            % {"join": ", ".join(sorted(unknown)), "columns": ", ".join(COLUMNS)}
        )
    rows = []
    for number, raw in enumerate(reader, start=2):
        cells = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        document = cells.get("document", "")
        if document and base is not None and not Path(document).is_absolute():
            document = str(base / document)
        rows.append(
            PlanRow(
                number,
                cells.get("space", ""),
                document,
                cells.get("app", ""),
                _split(cells.get("users")),
                _split(cells.get("groups")),
                _split(cells.get("roles")),
            )
        )
    return rows


class _Lookups:
    """Caches of what validation looks up, so a plan of many rows costs few reads."""

    def __init__(self, client: CloudClient) -> None:
        self.client = client
        self.spaces: dict[str, dict[str, Any] | None] = {}
        self.users: dict[str, dict[str, Any] | None] = {}
        self.groups: dict[str, dict[str, Any] | None] = {}

    async def space(self, ref: str) -> dict[str, Any] | None:
        if ref not in self.spaces:
            try:
                self.spaces[ref] = await apps.find_space(self.client, ref)
            except NotFound:
                self.spaces[ref] = None
        return self.spaces[ref]

    async def user(self, ref: str) -> dict[str, Any] | None:
        if ref not in self.users:
            try:
                self.users[ref] = await find_user(self.client, ref)
            except CloudError:
                self.users[ref] = None
        return self.users[ref]

    async def group(self, name: str) -> dict[str, Any] | None:
        if name not in self.groups:
            quoted = name.replace('"', '\\"')
            found = [
                g
                async for g in self.client.paginate(
                    "/api/v1/groups", doing=_("Could not find the group."), params={"filter": f'name eq "{quoted}"'}
                )
            ]
            self.groups[name] = found[0] if len(found) == 1 else None
        return self.groups[name]


async def plan_actions(client: CloudClient, rows: list[PlanRow]) -> tuple[list[Action], list[str]]:
    """Validate every row (reads only) and work out each action's status. Returns (actions, problems)."""
    look = _Lookups(client)
    actions: list[Action] = []
    problems: list[str] = []
    for row in rows:
        space = await look.space(row.space) if row.space else None
        if space is None:
            problems.append(
                _("Row %(row)s: there is no space %(space)s that you can see.")
                % {"row": row.number, "space": row.space or _("(empty)")}
            )
            continue
        kind, name = str(space.get("type")), str(space.get("name"))
        meta = space.get("meta") or {}
        actions_allowed = set(meta.get("actions") or [])
        wrong = [r for r in row.roles if r not in (meta.get("assignableRoles") or [])]
        if wrong:
            problems.append(
                _("Row %(row)s: %(roles)s is not a role of the %(kind)s space %(space)s.")
                % {"row": row.number, "roles": ", ".join(wrong), "kind": kind, "space": name}
            )
        if (row.users or row.groups) and not row.roles:
            problems.append(
                _("Row %(row)s: say which roles to grant in %(space)s.") % {"row": row.number, "space": name}
            )
        if row.document or row.app:
            problems += await _content_action(client, row, space, actions_allowed, actions)
        if row.users or row.groups:
            if "update" not in actions_allowed:
                problems.append(
                    _(
                        "Row %(row)s: you cannot manage the members of %(space)s (that needs the facilitator role "
                        "or ownership)."
                    )
                    % {"row": row.number, "space": name}
                )
                continue
            problems += await _assignment_actions(client, look, row, space, actions)
    return actions, problems


async def _content_action(
    client: CloudClient, row: PlanRow, space: dict[str, Any], allowed: set[str], actions: list[Action]
) -> list[str]:
    kind, name = str(space.get("type")), str(space.get("name"))
    v = {"row": row.number, "space": name, "kind": kind}
    if kind == "managed" and "publish" not in allowed:
        return [
            _(
                "Row %(row)s: managed spaces receive published copies, and you cannot publish to %(space)s "
                "(that needs the publisher role)."
            )
            % v
        ]
    if kind == "shared" and "create" not in allowed:
        return [_("Row %(row)s: you cannot add apps to %(space)s (that needs the producer role).") % v]
    if kind not in ("managed", "shared"):
        return [_("Row %(row)s: %(space)s is a %(kind)s space; apps go to shared or managed spaces.") % v]
    verb = "publish" if kind == "managed" else "move"
    if row.document:
        try:
            title = read_document(Path(row.document)).display_name
        except DocumentError as exc:
            return [_("Row %(row)s: %(problem)s") % {"row": row.number, "problem": exc}]
        sources = await apps.qvapps_named(client, title, space_type="personal,shared")
        d = {"file": Path(row.document).name, "title": title, "space": name}
        status = "create"
        if verb == "publish":
            detail = _("upload %(file)s and publish it to %(space)s") % d
        else:
            detail = _("upload %(file)s and move it to %(space)s") % d
        if sources:
            there = await _already_there(client, sources, space)
            if there:
                status, detail = "unchanged", _("%(title)s is already in %(space)s") % d
            elif verb == "publish":
                detail = _("publish the existing %(title)s to %(space)s") % d
            else:
                detail = _("move the existing %(title)s to %(space)s") % d
        actions.append(
            Action(
                row.number,
                f"{verb}-document",
                name,
                row.document,
                status,
                detail,
                {"space_id": space["id"], "target": f"{kind}:{space['id']}"},
            )
        )
        return []
    try:
        item = (await find_source(client, row.app)).item  # a name means its source, never a published copy
    except CloudError as exc:
        return [_("Row %(row)s: %(problem)s") % {"row": row.number, "problem": exc}]
    there = await _already_there(client, [item], space)
    status = "unchanged" if there else "create"
    d = {"title": item["name"], "space": name}
    if there:
        detail = _("%(title)s is already in %(space)s") % d
    elif verb == "publish":
        detail = _("publish %(title)s to %(space)s") % d
    else:
        detail = _("move %(title)s to %(space)s") % d
    actions.append(
        Action(
            row.number,
            f"{verb}-app",
            name,
            str(item["name"]),
            status,
            detail,
            {"space_id": space["id"], "app_id": item["resourceId"], "item_id": item["id"]},
        )
    )
    return []


async def _already_there(client: CloudClient, items: list[dict[str, Any]], space: dict[str, Any]) -> bool:
    for item in items:
        if item.get("spaceId") == space["id"]:
            return True
        if space.get("type") == "managed" and await apps.published_copies(client, str(item["id"]), str(space["id"])):
            return True
    return False


async def _assignment_actions(
    client: CloudClient, look: _Lookups, row: PlanRow, space: dict[str, Any], actions: list[Action]
) -> list[str]:
    problems = []
    assignees: list[tuple[str, str, str]] = []  # (type, id, label)
    for ref in row.users:
        user = await look.user(ref)
        if user is None:
            problems.append(_("Row %(row)s: there is no user %(ref)s.") % {"row": row.number, "ref": ref})
        else:
            assignees.append(("user", str(user["id"]), f"{user.get('name')} <{user.get('email')}>"))
    for ref in row.groups:
        group = await look.group(ref)
        if group is None:
            problems.append(_("Row %(row)s: there is no group named %(ref)s.") % {"row": row.number, "ref": ref})
        else:
            assignees.append(("group", str(group["id"]), f"group {group.get('name')}"))  # the ledger's subject
    for kind, assignee, label in assignees:
        existing = [
            a
            async for a in client.paginate(
                f"/api/v1/spaces/{space['id']}/assignments",
                doing=_("Could not read the assignments."),
                params={"assigneeId": assignee, "type": kind},
            )
        ]
        have = set(existing[0].get("roles") or []) if existing else set()
        want = have | set(row.roles)
        d = {
            "who": label,
            "roles": ", ".join(sorted(row.roles)),
            "have": ", ".join(sorted(have)),
            "want": ", ".join(sorted(want)),
            "space": space["name"],
        }
        if existing and want == have:
            status, detail = "unchanged", _("%(who)s already has %(roles)s in %(space)s") % d
        elif existing:
            status, detail = "change", _("%(who)s: %(have)s -> %(want)s") % d
        else:
            status, detail = "create", _("grant %(who)s %(want)s in %(space)s") % d
        actions.append(
            Action(
                row.number,
                "assign",
                str(space["name"]),
                label,
                status,
                detail,
                {
                    "space_id": space["id"],
                    "type": kind,
                    "assignee": assignee,
                    "roles": sorted(want),
                    "assignment_id": existing[0]["id"] if existing else "",
                },
            )
        )
    return problems
