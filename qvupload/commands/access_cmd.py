"""``qvupload access --user USER --app APP [--json]`` and ``qvupload access --space SPACE [--csv]``."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys

from qvupload.cloud.access import audit_space, check_access
from qvupload.cloud.errors import CloudError
from qvupload.commands.tenant_args import UsageError, add_tenant_args, connect, print_error

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
    p = sub.add_parser("access", help="does a user have view-only access to an app, and why? (or audit a space)")
    p.add_argument("--user", help="email, name or id")
    p.add_argument("--app", help="app name, app id or item id")
    p.add_argument("--space", help="audit every member of this space (name or id) instead")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true", help="with --space: the audit as CSV")
    add_tenant_args(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.space and not (args.user and args.app):
        print("qvupload access: give --user and --app, or --space.", file=sys.stderr)
        return 2
    try:
        client = connect(args)
    except UsageError as exc:
        print(f"qvupload access: {exc}", file=sys.stderr)
        return 2

    async def main() -> int:
        async with client:
            if args.space:
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
                        print(f"{r['verdict']:15} {r['user']:24} {r['app']:30} {r['summary']}")
                return 0
            answer = await check_access(client, args.user, args.app)
            if args.json:
                print(json.dumps(answer.to_json(), indent=2))
                return 0
            where = f"{answer.space['name']} ({answer.space['type']} space)" if answer.space else "a personal space"
            print(
                f"{answer.verdict.upper()}  {answer.user['name']} <{answer.user['email']}> on {answer.app['name']} "
                f"in {where}"
            )
            print(answer.summary)
            for reason in answer.reasons:
                print(f"  - {reason.role or '-'}: {reason.source}{' - ' + reason.detail if reason.detail else ''}")
            for note in answer.notes:
                print(f"Note: {note}")
            return 0

    try:
        return asyncio.run(main())
    except CloudError as exc:
        print_error(exc)
        return 1
