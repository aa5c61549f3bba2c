"""Bulk links: which documents get which link in which space, what a run would do, and doing it.

Targets come from files and folders (the scan's document finder) or from a CSV plan with the
columns ``document, space`` (and optionally ``name``). Every target is checked first (an
AccessPoint address, a folder mapping, a space you can add links to); then each link is looked up
by its resourceLink and created only when missing, so a second run changes nothing. Each result
is written to the ledger like an upload.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qvupload.cloud import apps
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, NotFound
from qvupload.cloud.links import LinkError, accesspoint_url, create_link, find_link
from qvupload.documents.scan import find_documents
from qvupload.i18n import _
from qvupload.links.settings import LinkSettings
from qvupload.transfers.store import TransferStore

PLAN_COLUMNS = ("document", "space", "name")


@dataclass
class LinkTarget:
    path: Path
    space: str  # name or id, as given
    name: str
    url: str = ""
    problem: str = ""


@dataclass
class LinkResult:
    target: LinkTarget
    status: str  # create | created | exists | failed   (create = what a dry run would do)
    message: str
    item_id: str = ""
    space_name: str = ""


def targets_from_paths(
    paths: Iterable[Path | str], space: str, settings: LinkSettings, name_from: Callable[[Path], str] | None = None
) -> list[LinkTarget]:
    documents, problems = find_documents(paths)
    targets = [_target(doc, space, (name_from or _stem)(doc), settings) for doc in documents]
    for bad in problems:
        targets.append(LinkTarget(bad.path, space, bad.path.stem, problem=bad.error or _("It cannot be read.")))
    return targets


def targets_from_plan(text: str, base: Path, default_space: str, settings: LinkSettings) -> list[LinkTarget]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"document"} - set(reader.fieldnames or [])
    if missing:
        raise LinkError(_("A link plan is a CSV with the columns document, space and (optionally) name."))
    targets = []
    for row in reader:
        raw = (row.get("document") or "").strip()
        if not raw:
            continue
        path = Path(raw) if Path(raw).is_absolute() or raw.startswith("\\\\") else base / raw
        space = (row.get("space") or "").strip() or default_space
        targets.append(_target(path, space, (row.get("name") or "").strip() or _stem(path), settings))
    return targets


def _stem(path: Path) -> str:
    return Path(str(path).replace("\\", "/")).stem


def _target(path: Path, space: str, name: str, settings: LinkSettings) -> LinkTarget:
    target = LinkTarget(path, space, name)
    if not space:
        target.problem = _("No space is given (use --space, or a space column in the plan).")
        return target
    try:
        target.url = accesspoint_url(settings.checked().accesspoint, settings.server_path(path))
    except LinkError as exc:
        target.problem = str(exc)
    return target


async def run_links(
    client: CloudClient,
    targets: list[LinkTarget],
    *,
    dry_run: bool,
    store: TransferStore | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
) -> list[LinkResult]:
    """Look up (and unless ``dry_run`` create) each link. Never raises for one target."""
    spaces: dict[str, dict[str, Any] | str] = {}
    results = []
    for target in targets:
        result = await _one(client, target, spaces, dry_run)
        if store is not None and not dry_run:
            store.record_action(
                path=str(target.path),
                space=result.space_name or target.space,
                action="link",
                outcome={"created": "done", "exists": "unchanged"}.get(result.status, "failed"),
                message=result.message,
                item_id=result.item_id,
            )
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results


async def _space(client: CloudClient, ref: str, cache: dict[str, dict[str, Any] | str]) -> dict[str, Any] | str:
    """The space, or a sentence saying why links cannot go there."""
    if ref not in cache:
        try:
            space = await apps.find_space(client, ref)
        except NotFound:
            cache[ref] = _("There is no space %(space)s that you can see.") % {"space": ref}
        else:
            actions = set((space.get("meta") or {}).get("actions") or [])
            kind = space.get("type")
            if kind not in ("shared", "managed"):
                cache[ref] = _("%(space)s is a %(kind)s space; links go into shared or managed spaces.") % {
                    "space": space.get("name"),
                    "kind": kind,
                }
            elif not actions & {"create", "publish"} and "update" not in actions:
                name = {"space": space.get("name")}
                cache[ref] = (
                    _("You cannot add links to the shared space %(space)s (that needs Can edit or Can manage).") % name
                    if kind == "shared"
                    else _(
                        "You cannot add links to the managed space %(space)s (that needs Can publish or Can manage)."
                    )
                    % name
                )
            else:
                cache[ref] = space
    return cache[ref]


async def _one(
    client: CloudClient, target: LinkTarget, spaces: dict[str, dict[str, Any] | str], dry_run: bool
) -> LinkResult:
    if target.problem:
        return LinkResult(
            target, "failed", _("%(path)s: %(problem)s") % {"path": target.path, "problem": target.problem}
        )
    try:
        space = await _space(client, target.space, spaces)
        if isinstance(space, str):
            return LinkResult(target, "failed", _("%(name)s: %(problem)s") % {"name": target.name, "problem": space})
        space_name = str(space.get("name"))
        existing = await find_link(client, target.url)
        if existing is not None:
            where = existing.get("spaceId")
            text = (
                _("%(name)s: the link is already there.")
                if where == space.get("id")
                else _("%(name)s: the link is already there (in another space; it is left there).")
            )
            return LinkResult(target, "exists", text % {"name": target.name}, str(existing["id"]), space_name)
        if dry_run:
            text = _("%(name)s: would add a link in %(space)s.") % {"name": target.name, "space": space_name}
            return LinkResult(target, "create", text, "", space_name)
        item, created = await create_link(client, target.name, target.url, str(space["id"]))
        if not created:
            text = _("%(name)s: the link is already there.") % {"name": target.name}
            return LinkResult(target, "exists", text, str(item["id"]), space_name)
        text = _("%(name)s: link added in %(space)s.") % {"name": target.name, "space": space_name}
        return LinkResult(target, "created", text, str(item["id"]), space_name)
    except CloudError as exc:
        return LinkResult(target, "failed", _("%(name)s: %(problem)s") % {"name": target.name, "problem": exc})
