"""One document's way into the cloud: check, look for duplicates, upload, import, move or publish.

Rights are checked before any byte is sent. Duplicates (a QlikView app of the same name in the
target) follow the job's policy; publishing republishes over an existing published copy, so
running the same batch twice never creates a second app for the same document.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from qvupload.cloud import apps, reconcile
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, PermissionDenied
from qvupload.cloud.tus import Uploader
from qvupload.documents import DEFAULT_STALE_AFTER, DocumentError, assess, gather_evidence, read_document
from qvupload.i18n import _
from qvupload.transfers.model import DuplicatePolicy, Job, JobState, Target, now_iso

AskDuplicate = Callable[[Job, list[dict[str, Any]]], Awaitable[DuplicatePolicy]]


class JobSkipped(Exception):
    """The job ends without uploading (stale document, duplicate skipped)."""


@dataclass
class JobEnv:
    client: CloudClient
    uploader: Uploader
    changed: Callable[[Job], None]  # state changed: persist and tell listeners
    progress: Callable[[Job], None]  # bytes moved
    ask: AskDuplicate | None = None
    stale_after: timedelta = DEFAULT_STALE_AFTER
    # the app ids other jobs of the queue with this name already hold: an import whose answer was lost
    # never takes one of those for its own (two same-named documents kept both in one batch)
    claimed: Callable[[str], Collection[str]] = lambda _name: ()
    _import_locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _spaces: dict[str, dict[str, Any]] = field(default_factory=dict)
    _privileges: list[str] | None = None
    _me: str = ""

    async def me(self) -> str:
        """The signed-in user's id (an import's owner)."""
        if not self._me:
            self._me = await reconcile.my_id(self.client)
        return self._me

    def import_lock(self, name: str) -> asyncio.Lock:
        return self._import_locks.setdefault(name.casefold(), asyncio.Lock())

    async def space(self, target: Target) -> dict[str, Any]:
        if target.space not in self._spaces:
            self._spaces[target.space] = await apps.find_space(self.client, target.space)
        return self._spaces[target.space]

    async def privileges(self) -> list[str]:
        if self._privileges is None:
            self._privileges = await apps.privileges(self.client)
        return self._privileges


def _set(job: Job, env: JobEnv, state: JobState) -> None:
    job.state = state.value
    env.changed(job)


def preflight(job: Job, env: JobEnv) -> None:
    """Read the document; refuse stale or unknown data unless the job allows it."""
    path = Path(job.path)
    try:
        facts = read_document(path)
    except DocumentError as exc:
        raise CloudError(str(exc)) from exc
    job.name = job.name or facts.display_name
    job.size = facts.size
    fresh = assess(facts, gather_evidence(facts), stale_after=env.stale_after)
    if fresh.verdict != "fresh" and not job.allow_stale:
        raise JobSkipped(
            _("Not uploaded: %(verdict)s data. %(reason)s Allow stale documents to upload it.")
            % {"verdict": fresh.verdict, "reason": fresh.reason}
        )


async def check_rights(job: Job, env: JobEnv, target: Target) -> None:
    if "can_import_app" not in await env.privileges():
        raise PermissionDenied(
            _(
                "You cannot import QlikView documents into your personal space: your user needs "
                "a Professional licence with QlikView enabled."
            ),
            403,
        )
    if target.kind == "personal":
        return
    space = await env.space(target)
    job.space_id = str(space["id"])
    actions = (space.get("meta") or {}).get("actions") or []
    if space.get("type") != target.kind:
        raise CloudError(
            _("%(space)s is a %(type)s space, not a %(kind)s one.")
            % {"space": space.get("name"), "type": space.get("type"), "kind": target.kind}
        )
    if target.kind == "shared" and "create" not in actions:
        raise PermissionDenied(
            (_("You cannot add apps to %(space)s: that needs the producer role there.") % {"space": space.get("name")}),
            403,
        )
    if target.kind == "managed" and "publish" not in actions:
        raise PermissionDenied(
            (_("You cannot publish to %(space)s: that needs the publisher role there.") % {"space": space.get("name")}),
            403,
        )


async def _duplicate_policy(job: Job, env: JobEnv, existing: list[dict[str, Any]]) -> DuplicatePolicy:
    policy = DuplicatePolicy(job.policy)
    if not existing:
        return DuplicatePolicy.KEEP_BOTH  # nothing to clash with: a new app
    if policy is DuplicatePolicy.ASK:
        policy = await env.ask(job, existing) if env.ask else DuplicatePolicy.SKIP
    return policy


async def _existing(job: Job, env: JobEnv, target: Target) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Same-named QlikView apps in the target space (shared only), and where a source can be taken
    from: the personal space, and for publishing also shared spaces (an app moved there before)."""
    in_target = await apps.qvapps_named(env.client, job.name, job.space_id) if target.kind == "shared" else []
    if target.kind == "managed":
        mine = await apps.qvapps_named(env.client, job.name, space_type="personal,shared")
        sources = sorted(mine, key=lambda i: "spaceId" in i)  # personal first
    else:
        sources = await apps.qvapps_named(env.client, job.name, "personal")
    return in_target, sources


async def _upload_and_import(job: Job, env: JobEnv, replace_id: str | None, known: list[str]) -> None:
    _set(job, env, JobState.UPLOADING)

    def located(location: str) -> None:
        job.upload_location = location
        env.changed(job)

    def moved(acked: int, in_flight: int) -> None:
        job.bytes_acked, job.bytes_in_flight = acked, in_flight
        env.progress(job)

    result = await env.uploader.upload(
        Path(job.path),
        filename=Path(job.path).name,
        location=job.upload_location or None,
        on_location=located,
        on_progress=moved,
    )
    job.sha256, job.resent_bytes = result.sha256, result.resent_bytes
    job.bytes_acked, job.bytes_in_flight = job.size, 0
    if replace_id:  # into a given app: sending it again replaces the same app again
        _set(job, env, JobState.IMPORTING)
        job.app_id = str((await apps.import_qvapp(env.client, result.file_id, job.name, app_id=replace_id))["id"])
    else:
        owner = await env.me()
        # same-named documents import one after the other, each taking its app before the next goes
        # out: a look after a lost answer then never meets a sibling's app whose answer is on its way
        async with env.import_lock(job.name):
            # the apps that cannot be this one's: there before the job, or taken by a sibling since
            known = [*known, *(set(env.claimed(job.name)) - set(known))]
            job.pending_write, job.pending_since, job.pending_known = "import", reconcile.since_now(), " ".join(known)
            _set(job, env, JobState.IMPORTING)  # saved before the import goes out (a resume needs the list too)
            attrs = await reconcile.import_once(
                env.client, result.file_id, job.name, owner_id=owner, since=job.pending_since, known=known
            )
            job.app_id = str(attrs["id"])  # held before the next same-named import goes out
    job.pending_write = job.pending_since = job.pending_known = ""
    env.changed(job)


async def _reconcile_import(job: Job, env: JobEnv) -> None:
    """Resumed after a crash while an import was out: take the app it made, if it made one."""
    owner, known = await env.me(), [*job.pending_known.split(), *env.claimed(job.name)]
    found = await reconcile.look(
        lambda: reconcile.imported_app(
            env.client, job.name, owner_id=owner, since=job.pending_since, space_id=None, known=known
        )
    )
    if found is not None:
        job.app_id = str(found["id"])
    job.pending_write = job.pending_since = job.pending_known = ""
    env.changed(job)


async def _publish(job: Job, env: JobEnv, copies: list[dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """Republish over the copy already in the space, or publish a new one exactly once."""
    known = [str(c.get("resourceId")) for c in copies]
    if job.pending_write == "publish":  # resumed after a crash while a publish was out
        pending = job.pending_known.split()
        found = await reconcile.look(lambda: reconcile.published_copy(env.client, job.item_id, job.space_id, pending))
        if found is not None:
            return found, False
    if copies:
        return await apps.republish(env.client, job.app_id, known[0], job.name), True
    job.pending_write, job.pending_since, job.pending_known = "publish", reconcile.since_now(), " ".join(known)
    _set(job, env, JobState.PUBLISHING)  # saved before the publish goes out
    attrs = await reconcile.publish_new(env.client, job.app_id, job.item_id, job.space_id, job.name, known=known)
    return attrs, False


async def run_job(job: Job, env: JobEnv) -> None:
    """Carry ``job`` to its target (or raise). Safe to call again on a job that was interrupted.

    Duplicates: with ``skip``, a same-named app in the target ends the job, and a same-named app
    in the personal space is used instead of uploading again (then moved or published); with
    ``replace`` the document is imported into that app; with ``keep-both`` a new app is made.
    """
    target = Target.parse(job.target)
    job.started_at = job.started_at or now_iso()
    outcome = "uploaded"
    if job.pending_write == "import" and not job.app_id:
        await _reconcile_import(job, env)
    if job.app_id:  # resumed after the import: only the last step is left
        await check_rights(job, env, target)
    else:
        preflight(job, env)
        await check_rights(job, env, target)
        in_target, in_personal = await _existing(job, env, target)
        policy = await _duplicate_policy(job, env, in_target or in_personal)
        if policy is DuplicatePolicy.SKIP and (in_target or target.kind == "personal"):
            found = (in_target or in_personal)[0]
            job.app_id, job.item_id = str(found.get("resourceId", "")), str(found.get("id", ""))
            raise JobSkipped(_("Skipped: a QlikView app named %(name)s is already there.") % {"name": job.name})
        if policy is DuplicatePolicy.SKIP:
            job.app_id = str(in_personal[0]["resourceId"])  # already uploaded: take it from the personal space
            outcome = "reused"
        else:
            existing = in_target or in_personal
            replace_id = str(existing[0]["resourceId"]) if policy is DuplicatePolicy.REPLACE else None
            outcome = {DuplicatePolicy.REPLACE: "replaced", DuplicatePolicy.KEEP_BOTH: "uploaded"}[policy]
            if existing and policy is DuplicatePolicy.KEEP_BOTH:
                outcome = "kept-both"
            await _upload_and_import(job, env, replace_id, [str(i.get("resourceId")) for i in in_personal])
    item = await apps.item_for_app(env.client, job.app_id)
    job.item_id = str(item["id"]) if item else ""
    if target.kind == "shared":
        app = await apps.get_app(env.client, job.app_id)
        if (app.get("attributes") or {}).get("spaceId") != job.space_id:
            _set(job, env, JobState.MOVING)
            await apps.move_to_space(env.client, job.app_id, job.space_id, job.name)
    elif target.kind == "managed":
        copies = await apps.published_copies(env.client, job.item_id, job.space_id) if job.item_id else []
        if copies and outcome == "reused" and DuplicatePolicy(job.policy) is DuplicatePolicy.SKIP:
            job.published_app_id = str(copies[0]["resourceId"])
            raise JobSkipped(_("Skipped: %(name)s is already published to that space.") % {"name": job.name})
        _set(job, env, JobState.PUBLISHING)
        attrs, again = await _publish(job, env, copies)
        job.pending_write = job.pending_since = job.pending_known = ""
        if outcome == "reused":
            outcome = "republished" if again else "published"
        job.published_app_id = str(attrs.get("id", ""))
    job.outcome = outcome if outcome != "reused" else "moved"
