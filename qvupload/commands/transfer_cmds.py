"""``qvupload upload``, ``queue``, ``ledger``, ``move`` and ``publish``: the transfer engine on the
command line. Exit status 0 when all succeeded, 1 when any document failed, 2 for usage errors."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TextIO

from qvupload.cloud import apps
from qvupload.cloud.appref import app_url
from qvupload.cloud.errors import CloudError
from qvupload.cloud.tus import DEFAULT_CHUNK
from qvupload.commands.scan_cmd import duration_arg
from qvupload.commands.tenant_args import UsageError, add_tenant_args, connect, print_error, warn_if_sign_in_ends
from qvupload.documents import DEFAULT_STALE_AFTER
from qvupload.documents.scan import find_documents
from qvupload.i18n import _
from qvupload.paths import data_dir
from qvupload.timefmt import format_left
from qvupload.transfers import DuplicatePolicy, Event, Job, JobState, Target, TransferQueue, TransferStore


def open_store() -> TransferStore:
    return TransferStore(data_dir() / "transfers.sqlite3")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    up = sub.add_parser("upload", help=_("upload documents (files or folders) to Qlik Cloud"))
    up.add_argument("paths", nargs="+", metavar="PATH")
    up.add_argument(
        "--to",
        default="personal",
        metavar="TARGET",
        help=_("personal (default), shared:SPACE or managed:SPACE (a name or an id)"),
    )
    up.add_argument("--allow-stale", action="store_true", help=_("upload documents whose data is stale or unknown too"))
    up.add_argument("--stale-after", type=duration_arg, default=DEFAULT_STALE_AFTER, metavar="DURATION")
    up.add_argument(
        "--on-duplicate",
        choices=[p.value for p in DuplicatePolicy if p is not DuplicatePolicy.ASK],
        default="skip",
        help=_("when an app of that name is already there (default: skip)"),
    )
    up.add_argument("--concurrency", type=int, default=2, metavar="N", help=_("documents at a time (default 2)"))
    up.add_argument("--json", action="store_true", help=_("print one JSON object per document at the end"))
    up.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK // 2**20,
        metavar="MIB",
        help=(
            _("MiB sent per request; smaller resumes sooner on poor links (default %(value)s)")
            % {"value": DEFAULT_CHUNK // 2**20}
        ),
    )
    add_tenant_args(up)
    up.set_defaults(run=run_upload)

    queue = sub.add_parser("queue", help=_("the transfer queue: list, resume, retry-failed, clear"))
    queue.add_argument("action", nargs="?", default="list", choices=["list", "resume", "retry-failed", "clear"])
    queue.add_argument("--json", action="store_true")
    queue.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK // 2**20, metavar="MIB")
    add_tenant_args(queue)
    queue.set_defaults(run=run_queue)

    ledger = sub.add_parser("ledger", help=_("what was transferred, with outcomes"))
    fmt = ledger.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true")
    fmt.add_argument("--json", action="store_true")
    ledger.set_defaults(run=run_ledger)

    for name, helptext in (
        ("move", _("move an app into a shared space")),
        ("publish", _("publish an app to a managed space (republishes over an existing copy)")),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("app", metavar="APP", help=_('app id, item id, exact name or "name" in "space"'))
        p.add_argument("--space", metavar="SPACE", help=_("the space the app is in now (where its name is not unique)"))
        p.add_argument("--to", required=True, metavar="SPACE", help=_("space name or id"))
        add_tenant_args(p)
        p.set_defaults(run=run_move if name == "move" else run_publish)


# -- output ----------------------------------------------------------------------------------------
class Printer:
    """Per-document and total progress on a terminal; one plain line per state change otherwise."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream, self.quiet = stream, quiet
        self.tty = stream.isatty()
        self.shown: dict[str, str] = {}

    def __call__(self, event: Event) -> None:
        if self.quiet:
            return
        job, totals = event.job, event.totals
        name = Path(job.path).name
        if event.kind == "progress":
            if not self.tty:
                return
            pct = 100 * job.bytes_done / job.size if job.size else 0
            total_pct = 100 * totals.bytes_done / totals.bytes_total if totals.bytes_total else 0
            own = f" {event.speed / 1e6:6.1f} MB/s" if event.speed else ""
            eta = f", ETA {format_left(totals.eta)}" if totals.eta is not None else ""
            self.stream.write(
                f"\r{name[:40]}: {pct:5.1f}%{own}  |  all: {total_pct:5.1f}% {totals.speed / 1e6:6.1f} MB/s{eta}\033[K"
            )
        else:
            if self.shown.get(job.id) == job.state:
                return
            self.shown[job.id] = job.state
            if self.tty:
                self.stream.write("\r\033[K")
            message = f" - {job.message}" if job.message and job.job_state.terminal else ""
            self.stream.write(f"{name}: {job.state}{(' (' + job.outcome + ')') if job.outcome else ''}{message}\n")
        self.stream.flush()


def job_row(job: Job, tenant: str = "") -> dict[str, object]:
    # "uploaded" means the document reached its target (uploaded, replaced, published or moved)
    status = {"done": "skipped" if job.outcome == "skipped" else "uploaded"}.get(job.state, "failed")
    return {
        "path": job.path,
        "status": status,
        "app_id": job.app_id or None,
        "item_id": job.item_id or None,
        "space_id": job.space_id or None,
        "published_app_id": job.published_app_id or None,
        "app_url": app_url(tenant, {"resourceId": job.app_id}) if tenant and job.app_id else None,
        "published_app_url": (
            app_url(tenant, {"resourceId": job.published_app_id}) if tenant and job.published_app_id else None
        ),
        "outcome": job.outcome,
        "message": job.message,
        "sha256": job.sha256 or None,
        "size": job.size,
    }


def _report(jobs: list[Job], problems: list[tuple[str, str, str]], as_json: bool, tenant: str = "") -> int:
    rows = [job_row(j, tenant) for j in jobs] + [
        {"path": p, "status": status, "app_id": None, "item_id": None, "space_id": None, "message": m}
        for p, m, status in problems
    ]
    if as_json:
        for row in rows:
            print(json.dumps(row))
    else:
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("uploaded", "skipped", "failed")}
        print(
            _("%(uploaded)s uploaded, %(skipped)s skipped, %(failed)s failed.")
            % {"uploaded": counts["uploaded"], "skipped": counts["skipped"], "failed": counts["failed"]}
        )
    return 1 if any(r["status"] == "failed" for r in rows) else 0


# -- commands --------------------------------------------------------------------------------------
def run_upload(args: argparse.Namespace) -> int:
    try:
        target = Target.parse(args.to)
        if args.concurrency < 1:
            raise UsageError(_("--concurrency must be 1 or more."))
        client = connect(args)
    except (ValueError, UsageError) as exc:
        print((_("qvupload upload: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 2
    paths, bad = find_documents(args.paths)
    problems = [(str(r.path), r.error or "", "skipped" if r.skipped else "failed") for r in bad]
    if not args.json:
        for path, message, _status in problems:  # paths the walk passed over: never silently
            print(f"{path}: {message}", file=sys.stderr)
    warn_if_sign_in_ends(client)

    async def main() -> list[Job]:
        store = open_store()
        try:
            async with client:
                queue = TransferQueue(
                    client,
                    store,
                    concurrency=args.concurrency,
                    stale_after=args.stale_after,
                    chunk_size=max(1, args.chunk_size) * 2**20,
                )
                queue.listeners.append(Printer(sys.stderr, quiet=False))
                jobs = queue.add(paths, str(target), policy=args.on_duplicate, allow_stale=args.allow_stale)
                await queue.run()
                return jobs
        finally:
            store.close()

    return _report(asyncio.run(main()), problems, args.json, client.base_url)


def run_queue(args: argparse.Namespace) -> int:
    store = open_store()
    try:
        if args.action == "list":
            jobs = store.jobs()
            if args.json:
                for job in jobs:
                    print(json.dumps(job_row(job) | {"state": job.state, "pending": job.pending_write or None}))
            else:
                for job in jobs:
                    print(f"{job.state:10} {job.outcome:9} {job.target:24} {job.path}")
                print(f"{len(jobs)} jobs.")
            return 0
        if args.action == "clear":
            print(
                _("Cleared %(delete_finished)s finished jobs (the ledger keeps them).")
                % {"delete_finished": store.delete_finished()}
            )
            return 0
        client = connect(args)
    except UsageError as exc:
        store.close()
        print((_("qvupload queue: %(exc)s") % {"exc": exc}), file=sys.stderr)
        return 2

    async def main() -> list[Job]:
        async with client:
            queue = TransferQueue(client, store, chunk_size=max(1, args.chunk_size) * 2**20)
            queue.listeners.append(Printer(sys.stderr, quiet=False))
            if args.action == "resume":
                jobs = queue.load_unfinished()
            else:
                jobs = [j for j in store.jobs() if j.state == JobState.FAILED.value]
                for job in jobs:
                    queue.jobs[job.id] = job
                queue.retry_failed()
            await queue.run()
            return jobs

    try:
        return _report(asyncio.run(main()), [], args.json, client.base_url)
    finally:
        store.close()


def run_ledger(args: argparse.Namespace) -> int:
    store = open_store()
    try:
        if args.csv:
            sys.stdout.write(store.ledger_csv())
        elif args.json:
            print(store.ledger_json())
        else:
            for row in store.ledger():
                print(f"{row['end']:20} {row['outcome']:9} {row['space']:24} {row['path']}")
    finally:
        store.close()
    return 0


def _app_command(args: argparse.Namespace, publish: bool) -> int:
    from qvupload.cloud.appref import AmbiguousApp, AppRef, find_source

    try:
        client = connect(args)
    except UsageError as exc:
        print(f"qvupload: {exc}", file=sys.stderr)
        return 2

    async def main() -> str:
        async with client:
            source = await find_source(client, AppRef.parse(args.app, args.space))
            space = await apps.find_space(client, args.to)
            name, app_id = source.name, source.app_id
            if not publish:
                await apps.move_to_space(client, app_id, str(space["id"]), name)
                return f"Moved {name} to {space['name']}."
            _, again = await apps.publish_once(client, app_id, source.item_id, str(space["id"]), name)
            return f"{'Republished' if again else 'Published'} {name} to {space['name']}."

    try:
        print(asyncio.run(main()))
    except AmbiguousApp as exc:  # the name needs a space or an id: the command line must say more
        print(f"qvupload: {exc}", file=sys.stderr)
        return 2
    except CloudError as exc:
        print_error(exc)
        return 1
    return 0


def run_move(args: argparse.Namespace) -> int:
    return _app_command(args, publish=False)


def run_publish(args: argparse.Namespace) -> int:
    return _app_command(args, publish=True)
