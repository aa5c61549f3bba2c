"""Carrying out a sharing plan: writes paced to the tenant's write rate, 429s honoured by the
client, documents through the transfer queue, roles granted once per assignee (the union of
roles after a 409), and every action in the ledger."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qvupload.cloud import apps, reconcile
from qvupload.cloud.client import CloudClient
from qvupload.cloud.errors import CloudError, Conflict
from qvupload.i18n import _
from qvupload.transfers.model import JobState
from qvupload.transfers.plans import Action
from qvupload.transfers.queue import TransferQueue
from qvupload.transfers.store import TransferStore

DEFAULT_WRITES_PER_MINUTE = 100  # Qlik Cloud's tier 2, per user


class WritePacer:
    """Spaces write calls evenly so a long plan stays under the tenant's per-user write rate."""

    def __init__(self, per_minute: float = DEFAULT_WRITES_PER_MINUTE) -> None:
        self.interval = 60.0 / per_minute
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


def expected_seconds(actions: list[Action], per_minute: float = DEFAULT_WRITES_PER_MINUTE) -> float:
    return sum(a.writes for a in actions) * 60.0 / per_minute


@dataclass
class Outcome:
    action: Action
    result: str  # created, changed, unchanged, failed
    message: str = ""


async def run_plan(
    client: CloudClient,
    actions: list[Action],
    store: TransferStore,
    *,
    per_minute: float = DEFAULT_WRITES_PER_MINUTE,
    concurrency: int = 2,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    pacer = WritePacer(per_minute)
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        action = outcome.action
        store.record_action(
            path=action.subject,
            space=action.space,
            action=action.kind,
            outcome=outcome.result,
            message=outcome.message or action.detail,
            app_id=str(action.data.get("app_id", "")),
        )
        if on_outcome:
            on_outcome(outcome)

    documents = [a for a in actions if a.kind.endswith("-document")]
    for action in documents:
        if action.status == "unchanged":
            done(Outcome(action, "unchanged", action.detail))
    await _run_documents(client, [a for a in documents if a.status != "unchanged"], store, concurrency, done)
    for action in actions:
        if action.kind.endswith("-document"):
            continue
        if action.status == "unchanged":
            done(Outcome(action, "unchanged", action.detail))
            continue
        try:
            result = await _run_one(client, action, pacer)
            done(Outcome(action, result, action.detail))
        except CloudError as exc:
            done(Outcome(action, "failed", str(exc)))
    return outcomes


async def _run_documents(
    client: CloudClient, actions: list[Action], store: TransferStore, concurrency: int, done: Callable[[Outcome], None]
) -> None:
    if not actions:
        return
    queue = TransferQueue(client, store, concurrency=concurrency)
    by_job: dict[str, Action] = {}
    for action in actions:
        (job,) = queue.add([Path(action.subject)], action.data["target"], policy="skip", allow_stale=True)
        by_job[job.id] = action
    await queue.run()
    for job_id, action in by_job.items():
        job = queue.jobs[job_id]
        if job.job_state is JobState.DONE:
            action.data["app_id"] = job.published_app_id or job.app_id
            done(Outcome(action, "unchanged" if job.outcome == "skipped" else "created", job.message or action.detail))
        else:
            done(Outcome(action, "failed", job.message))


async def _run_one(client: CloudClient, action: Action, pacer: WritePacer) -> str:
    data: dict[str, Any] = action.data
    if action.kind == "publish-app":
        app_id, space_id = str(data["app_id"]), str(data["space_id"])
        item = await apps.item_for_app(client, app_id, wait=False)
        item_id = str(item["id"]) if item else ""
        known = [str(c.get("resourceId")) for c in await apps.published_copies(client, item_id)] if item_id else []
        await pacer.wait()
        await reconcile.publish_new(client, app_id, item_id, space_id, action.subject, known=known)
        return "created"
    if action.kind == "move-app":
        await pacer.wait()
        await apps.move_to_space(client, str(data["app_id"]), str(data["space_id"]), action.subject)
        return "created"
    url = f"/api/v1/spaces/{data['space_id']}/assignments"
    if not data.get("assignment_id"):
        await pacer.wait()
        try:
            await client.request(
                "POST",
                url,
                doing=_("Could not grant %(subject)s a role.") % {"subject": action.subject},
                tier="2",
                ok=(201,),
                json={"type": data["type"], "assigneeId": data["assignee"], "roles": data["roles"]},
            )
            return "created"
        except Conflict:  # created meanwhile: merge with what is there
            existing = [
                a
                async for a in client.paginate(
                    url, doing=_("Could not read the assignments."), params={"assigneeId": str(data["assignee"])}
                )
            ]
            data["assignment_id"] = existing[0]["id"]
            data["roles"] = sorted(set(data["roles"]) | set(existing[0].get("roles") or []))
    await pacer.wait()
    await client.request(
        "PUT",
        f"{url}/{data['assignment_id']}",
        doing=_("Could not change the roles of %(subject)s.") % {"subject": action.subject},
        tier="2",
        json={"roles": data["roles"]},
    )
    return "changed"
