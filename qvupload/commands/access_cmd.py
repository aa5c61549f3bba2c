"""``qvupload access --user USER --app APP [--json]`` and ``qvupload access --space SPACE [--csv]``."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys

from qvupload.cloud import access_words as words
from qvupload.cloud.access import AccessAnswer, audit_space, check_access_all
from qvupload.cloud.errors import CloudError
from qvupload.commands.tenant_args import UsageError, add_tenant_args, connect, print_error
from qvupload.i18n import _

AUDIT_COLUMNS = (
    "space",
    "space_type",
    "app",
    "app_id",
    "user",
    "email",
    "user_id",
    "status",
    "verdict",
    "roles",
    "sources",
    "summary",
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("access", help=_("does a user have view-only access to an app, and why? (or audit a space)"))
    p.add_argument("--user", help=_("email, name or id"))
    p.add_argument(
        "--app", help=_('app name, "name" in "space", app id or item id (each app a name matches gets a verdict)')
    )
    p.add_argument(
        "--space", help=_("with --user and --app: the app in this space (name or id); alone: audit every member of it")
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true", help=_("with --space: the audit as CSV"))
    add_tenant_args(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if bool(args.user) != bool(args.app) or not (args.space or args.app):
        print(_("qvupload access: give --user and --app, or --space."), file=sys.stderr)
        return 2
    try:
        client = connect(args)
    except UsageError as exc:
        print((_("qvupload access: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 2

    async def main() -> int:
        async with client:
            if not args.app:
                rows = await audit_space(client, args.space)
                if args.json:
                    print(json.dumps(rows, indent=2))
                elif args.csv:
                    buffer = io.StringIO()
                    writer = csv.DictWriter(buffer, fieldnames=AUDIT_COLUMNS, lineterminator="\n")
                    writer.writeheader()
                    writer.writerows(rows)
                    sys.stdout.write(buffer.getvalue())
                else:
                    for r in rows:
                        print(f"{words.verdict_label(r['verdict']):15} {r['user']:24} {r['app']:30} {r['summary']}")
                return 0
            answers = await check_access_all(client, args.user, args.app, args.space)
            if args.json:  # one object for one app; a list where the name matches several
                data = [a.to_json() for a in answers]
                print(json.dumps(data[0] if len(data) == 1 else data, indent=2))
                return 0
            if len(answers) > 1:
                print(
                    _("%(answers)s QlikView apps match %(app)s; a verdict for each:\n")
                    % {"answers": len(answers), "app": args.app}
                )
            for n, answer in enumerate(answers):
                if n:
                    print()
                print_answer(answer)
            return 0

    try:
        return asyncio.run(main())
    except CloudError as exc:
        print_error(exc)
        return 1


def print_answer(answer: AccessAnswer) -> None:
    where = words.space_label(answer.space, (answer.candidate.item if answer.candidate else None), long=True)
    v = {
        "verdict": words.verdict_label(answer.verdict),
        "name": answer.user["name"],
        "email": answer.user["email"],
        "app": answer.app["name"],
        "where": where,
    }
    if answer.app.get("published_copy"):
        print(_("%(verdict)s  %(name)s <%(email)s> on %(app)s (published copy) in %(where)s") % v)
    else:
        print(_("%(verdict)s  %(name)s <%(email)s> on %(app)s in %(where)s") % v)
    print(answer.summary)
    for reason in answer.reasons:
        line = words.reason_line(reason.role, reason.source, reason.detail, str(answer.user.get("status") or ""))
        print(f"  - {line}")
    for note in answer.notes:
        print(_("Note: %(note)s") % {"note": note})
