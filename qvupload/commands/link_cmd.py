"""``qvupload link PATH... --space SPACE [--dry-run]`` (or ``--plan PLAN.csv``): AccessPoint links in
Qlik Cloud for documents that stay on a QlikView Server; ``qvupload link-access --user U --link L``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from qvupload.cloud import access_words as words
from qvupload.cloud.errors import CloudError
from qvupload.cloud.links import LinkError
from qvupload.commands.tenant_args import UsageError, add_tenant_args, check_tenant_url, connect, print_error
from qvupload.i18n import _
from qvupload.links.run import LinkResult, LinkTarget, run_links, targets_from_paths, targets_from_plan
from qvupload.links.settings import LinkSettings, LinkSettingsStore, parse_map
from qvupload.paths import config_dir


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("link", help=_("add AccessPoint links to QlikView documents that stay on a QlikView Server"))
    p.add_argument("paths", nargs="*", metavar="PATH", help=_("documents or folders (searched recursively)"))
    p.add_argument("--plan", type=Path, metavar="PLAN.csv", help=_("CSV with columns document, space, name (optional)"))
    p.add_argument("--space", default="", help=_("the shared or managed space (name or id) for the links"))
    p.add_argument("--accesspoint", metavar="URL", help=_("AccessPoint address, e.g. https://qlikview.example.com"))
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="LOCAL=SERVER",
        help=_("a local or UNC folder and the same folder on the QlikView Server (repeat; saved with --accesspoint)"),
    )
    p.add_argument("--show-settings", action="store_true", help=_("print the saved AccessPoint settings and stop"))
    p.add_argument("--dry-run", action="store_true", help=_("say what would be added; change nothing"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per document"))
    add_tenant_args(p)
    p.set_defaults(run=run)

    a = sub.add_parser("link-access", help=_("who can see a link in the hub, and why"))
    a.add_argument("--user", required=True, help=_("email, name or id"))
    a.add_argument("--link", required=True, help=_("link name or item id"))
    a.add_argument("--json", action="store_true")
    add_tenant_args(a)
    a.set_defaults(run=run_access)


def settings_key(args: argparse.Namespace) -> str:
    """Link settings belong to the profile (or, for --tenant runs, to the tenant address)."""
    url = args.tenant or os.environ.get("QVUPLOAD_TENANT")
    if url:
        return "tenant " + check_tenant_url(url)
    from qvupload.auth.profiles import ProfileError, ProfileStore

    try:
        return ProfileStore(config_dir()).get(args.profile).name
    except ProfileError as exc:
        raise UsageError(str(exc)) from exc


def _settings(args: argparse.Namespace) -> LinkSettings:
    store = LinkSettingsStore(config_dir())
    key = settings_key(args)
    saved = store.get(key)
    if args.accesspoint or args.map:
        changed = LinkSettings(args.accesspoint or saved.accesspoint, [parse_map(m) for m in args.map] or saved.folders)
        changed = LinkSettings(changed.checked().accesspoint, changed.folders)
        store.save(key, changed)
        print((_("Saved the AccessPoint settings for %(key)s.") % {"key": key}), file=sys.stderr)
        return changed
    return saved


def _targets(args: argparse.Namespace, settings: LinkSettings) -> list[LinkTarget]:
    if args.plan:
        try:
            text = args.plan.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise UsageError(
                _("The plan %(plan)s cannot be read (%(strerror)s).") % {"plan": args.plan, "strerror": exc.strerror}
            ) from exc
        return targets_from_plan(text, args.plan.parent, args.space, settings)
    if not args.paths:
        raise UsageError(_("Give documents or folders, or --plan PLAN.csv."))
    return targets_from_paths(args.paths, args.space, settings)


def run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        if args.show_settings:
            print(json.dumps({"accesspoint": settings.accesspoint, "folders": [vars(f) for f in settings.folders]}))
            return 0
        targets = _targets(args, settings)
        client = connect(args)
    except (UsageError, LinkError) as exc:
        print((_("qvupload link: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 2

    def show(result: LinkResult) -> None:
        if args.json:
            row = {
                "path": str(result.target.path),
                "name": result.target.name,
                "url": result.target.url,
                "space": result.space_name or result.target.space,
                "status": result.status,
                "item_id": result.item_id,
                "message": result.message,
            }
            print(json.dumps(row))
        else:
            print(f"{result.status:8} {result.message}")

    async def main() -> int:
        from qvupload.commands.transfer_cmds import open_store

        async with client:
            store = None if args.dry_run else open_store()
            try:
                results = await run_links(client, targets, dry_run=args.dry_run, store=store, on_result=show)
            finally:
                if store is not None:
                    store.close()
        if not args.json:
            counts = {s: sum(1 for r in results if r.status == s) for s in ("create", "created", "exists", "failed")}
            if args.dry_run:
                print(
                    _(
                        "%(create)s to add, %(exists)s already there, %(failed)s with problems (dry run: "
                        "nothing was changed)."
                    )
                    % {"create": counts["create"], "exists": counts["exists"], "failed": counts["failed"]}
                )
            else:
                print(
                    _("%(created)s added, %(exists)s already there, %(failed)s failed.")
                    % {"created": counts["created"], "exists": counts["exists"], "failed": counts["failed"]}
                )
        return 1 if any(r.status == "failed" for r in results) else 0

    try:
        return asyncio.run(main())
    except CloudError as exc:
        print_error(exc)
        return 1


def run_access(args: argparse.Namespace) -> int:
    from qvupload.cloud.link_access import check_link_access

    try:
        client = connect(args)
    except UsageError as exc:
        print((_("qvupload link-access: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 2

    async def main() -> int:
        async with client:
            answer = await check_link_access(client, args.user, args.link)
        if args.json:
            print(json.dumps(answer.to_json(), indent=2))
            return 0
        print(
            _("%(verdict)s  %(name)s <%(email)s> on the link %(link)s in %(where)s")
            % {
                "verdict": words.verdict_label(answer.verdict, answer.complete),
                "name": answer.user["name"],
                "email": answer.user["email"],
                "link": answer.app["name"],
                "where": words.space_label(answer.space, long=True),
            }
        )
        print(answer.summary)
        for reason in answer.reasons:
            line = words.reason_line(reason.role, reason.source, reason.detail, str(answer.user.get("status") or ""))
            print(f"  - {line}")
        for note in answer.notes:
            print(_("Note: %(note)s") % {"note": note})
        return 0

    try:
        return asyncio.run(main())
    except CloudError as exc:
        print_error(exc)
        return 1
