"""``qvupload share --plan PLAN.csv [--dry-run] [--json]`` and
``qvupload share --space SPACE (--user EMAIL | --group NAME)... --role ROLE... [--dry-run]``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from qvupload.cloud.errors import CloudError
from qvupload.commands.tenant_args import UsageError, add_tenant_args, connect, print_error, warn_if_sign_in_ends
from qvupload.commands.transfer_cmds import open_store
from qvupload.i18n import _
from qvupload.timefmt import format_age
from qvupload.transfers.plans import PlanError, PlanRow, plan_actions, read_plan_csv
from qvupload.transfers.share import DEFAULT_WRITES_PER_MINUTE, Outcome, expected_seconds, run_plan


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("share", help=_("publish documents to managed spaces and grant roles in bulk (plan or options)"))
    p.add_argument(
        "--plan",
        type=Path,
        metavar="PLAN.csv",
        help=_("CSV with columns document, app, space, users, groups, roles (lists split by ;)"),
    )
    p.add_argument("--space", help=_("with --user/--group/--role: the space to grant roles in"))
    p.add_argument("--user", action="append", default=[], metavar="EMAIL", help=_("a user (email, name or id)"))
    p.add_argument("--group", action="append", default=[], metavar="NAME", help=_("a group by name"))
    p.add_argument("--role", action="append", default=[], metavar="ROLE", help=_("a space role to grant"))
    p.add_argument(
        "--dry-run", action="store_true", help=_("show what would be created, changed or left; change nothing")
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--write-rate",
        type=float,
        default=DEFAULT_WRITES_PER_MINUTE,
        metavar="N",
        help=(
            _("writes per minute to stay under (default %(default_writes_per_minute)s, the tenant's limit)")
            % {"default_writes_per_minute": DEFAULT_WRITES_PER_MINUTE}
        ),
    )
    add_tenant_args(p)
    p.set_defaults(run=run)


def _rows(args: argparse.Namespace) -> list[PlanRow]:
    if args.plan:
        try:
            text = args.plan.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(
                _("The plan %(plan)s cannot be read (%(strerror)s).") % {"plan": args.plan, "strerror": exc.strerror}
            ) from exc
        return read_plan_csv(text, base=args.plan.parent)
    if not args.space or not (args.user or args.group) or not args.role:
        raise UsageError(_("Give --plan PLAN.csv, or --space with --user/--group and --role."))
    return [PlanRow(1, args.space, users=args.user, groups=args.group, roles=args.role)]


def run(args: argparse.Namespace) -> int:
    try:
        rows = _rows(args)
        client = connect(args)
    except (UsageError, PlanError) as exc:
        print((_("qvupload share: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 2
    warn_if_sign_in_ends(client)

    async def main() -> int:
        async with client:
            actions, problems = await plan_actions(client, rows)
            if problems:
                for problem in problems:
                    print(problem, file=sys.stderr)
                print(
                    (_("The plan has %(problems)s problem(s); nothing was changed.") % {"problems": len(problems)}),
                    file=sys.stderr,
                )
                return 1
            todo = [a for a in actions if a.status != "unchanged"]
            if args.dry_run or not todo:
                if args.json:
                    for a in actions:
                        print(json.dumps({k: v for k, v in asdict(a).items() if k != "data"}))
                else:
                    for a in actions:
                        print(
                            _("row %(row)s  %(status)s  %(detail)s")
                            % {"row": f"{a.row:>3}", "status": f"{a.status:9}", "detail": a.detail}
                        )
                    v = {"todo": len(todo), "value": len(actions) - len(todo)}
                    if args.dry_run:
                        print(
                            _(
                                "%(todo)s to create or change, %(value)s already as planned "
                                "(dry run: nothing was changed)."
                            )
                            % v
                        )
                    else:
                        print(_("%(todo)s to create or change, %(value)s already as planned.") % v)
                    if not todo:
                        print(_("Nothing new to do."))
                return 0
            eta = format_age(timedelta(seconds=expected_seconds(actions, args.write_rate)))
            print(
                (
                    _("%(todo)s actions; at %(write_rate).0f writes a minute this takes about %(eta)s.")
                    % {"todo": len(todo), "write_rate": args.write_rate, "eta": eta}
                ),
                file=sys.stderr,
            )
            store = open_store()

            def show(outcome: Outcome) -> None:
                if args.json:
                    print(
                        json.dumps(
                            {
                                "row": outcome.action.row,
                                "kind": outcome.action.kind,
                                "subject": outcome.action.subject,
                                "space": outcome.action.space,
                                "result": outcome.result,
                                "message": outcome.message,
                            }
                        )
                    )
                else:
                    print(f"row {outcome.action.row:>3}  {outcome.result:9}  {outcome.message}")

            try:
                outcomes = await run_plan(client, actions, store, per_minute=args.write_rate, on_outcome=show)
            finally:
                store.close()
            return 1 if any(o.result == "failed" for o in outcomes) else 0

    try:
        return asyncio.run(main())
    except CloudError as exc:
        print_error(exc)
        return 1
