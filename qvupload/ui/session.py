"""What the window is connected to: a tenant client, who is signed in, the queue and its store.

No widgets here; the window asks this object and listens to the queue through a Qt bridge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from qvupload.i18n import _

if TYPE_CHECKING:  # the heavy parts (asyncio, httpx, keyring) load after the window is shown
    import asyncio

    from qvupload.auth.profiles import Profile
    from qvupload.auth.session import Stores
    from qvupload.cloud import CloudClient, Credentials
    from qvupload.transfers import Event, TransferQueue
    from qvupload.transfers.pipeline import AskDuplicate
    from qvupload.transfers.store import TransferStore

log = logging.getLogger("qvupload.ui")
OnError = Callable[[Exception], None]


class QueueBridge(QObject):
    """Turns the core's plain callbacks into a Qt signal (the only Qt adapter of the core)."""

    changed = Signal(object)

    def __call__(self, event: Event) -> None:
        self.changed.emit(event)


@dataclass
class Session:
    store: TransferStore | None = None  # opened on first use (after the window shows)
    store_folder: Path | None = None
    client: CloudClient | None = None
    user_label: str = ""
    tenant: str = ""
    profile: str = ""
    queue: TransferQueue | None = None
    bridge: QueueBridge = field(default_factory=QueueBridge)
    stores: Stores | None = None
    concurrency: int = 2
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)  # strong references (see spawn)

    # -- background work -------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any], *, on_error: OnError | None = None) -> asyncio.Task[Any]:
        """Run ``coro`` as background work of this session (a target list, a search, an access check).

        The session keeps a strong reference until it ends, and cancels and awaits it before its
        client closes (``aclose``, signing in elsewhere), so nothing sends on a closed client. An
        exception other than cancellation goes to ``on_error`` (to show as a sentence in place); it
        never reaches the event loop's handler or the crash dialog."""
        import asyncio

        task = asyncio.ensure_future(_guarded(coro, on_error))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def cancel_tasks(self) -> None:
        """Cancel the session's background work and wait until it has stopped (not the caller)."""
        import asyncio

        current = asyncio.current_task()
        while pending := [t for t in self.tasks if t is not current and not t.done()]:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def aclose(self) -> None:
        """Stop the session's background work and transfers (they stay paused, resumable), then
        close its client."""
        if self.queue is not None:
            await self.queue.halt()
        await self.cancel_tasks()
        if self.client is not None:
            await self.client.aclose()
        self.client, self.queue = None, None

    close_client = aclose

    @property
    def signed_in(self) -> bool:
        return self.client is not None

    @property
    def busy(self) -> bool:
        """Transfers are queued, running or paused: they belong to the signed-in profile."""
        return self.queue is not None and any(not job.job_state.terminal for job in self.queue.jobs.values())

    def saved_profiles(self) -> list[Profile]:
        """The profiles in the config folder (a small JSON file; no keyring involved)."""
        from qvupload.auth.profiles import ProfileStore
        from qvupload.paths import config_dir

        return (self.stores.profiles if self.stores else ProfileStore(config_dir())).all()

    async def connect(self, tenant: str, credentials: Credentials, ask: AskDuplicate | None, profile: str = "") -> None:
        from qvupload.auth.session import whoami
        from qvupload.cloud import CloudClient
        from qvupload.transfers import TransferQueue

        client = CloudClient(tenant, credentials)
        try:
            who = await whoami(client)
        except BaseException:
            await client.aclose()
            raise
        same_tenant = self.queue is not None and tenant == self.tenant
        # the old client's work ends before it closes; transfers first, so that the ids of those that were
        # running are known (cancelling the queue's own run would pause them too, without saying which)
        halted = await self.queue.halt() if self.queue is not None else []
        await self.cancel_tasks()
        if self.client is not None:
            await self.client.aclose()
        self.client, self.tenant, self.profile = client, tenant, profile
        self.user_label = f"{who.name} <{who.email}>"
        if same_tenant and self.queue is not None:
            queue = self.queue
            queue.use_client(client)  # signed in again: the queue carries on
            for job_id in halted:
                queue.resume(job_id)
            if halted:
                self.spawn(queue.run())
            return
        self.queue = TransferQueue(client, self.open_store(), concurrency=self.concurrency, ask=ask)
        self.queue.listeners.append(self.bridge)

    async def connect_profile(self, ask: AskDuplicate | None, name: str | None = None) -> bool:
        """Use the saved default profile (keyring read off the GUI thread); False when there is none."""
        import asyncio

        from qvupload.auth.session import credentials_for, open_stores

        stores = self.stores
        if stores is None:
            stores = self.stores = await asyncio.to_thread(open_stores)
        profiles = await asyncio.to_thread(stores.profiles.all)
        if not profiles:
            return False
        profile = await asyncio.to_thread(stores.profiles.get, name)
        await self.connect(profile.tenant, await credentials_for(stores, profile), ask, profile.name)
        return True

    async def sign_in(
        self,
        ask: AskDuplicate | None,
        name: str,
        tenant: str,
        api_key: str = "",
        client_id: str = "",
        open_browser: Callable[[str], Any] | None = None,
    ) -> None:
        import asyncio

        from qvupload.auth.session import credentials_for, open_stores, sign_in_with_api_key, sign_in_with_browser

        stores = self.stores
        if stores is None:
            stores = self.stores = await asyncio.to_thread(open_stores)
        if api_key:
            profile = await sign_in_with_api_key(stores, name, tenant, api_key)
        else:
            kwargs: dict[str, Any] = {"open_browser": open_browser} if open_browser else {}
            profile = await sign_in_with_browser(stores, name, tenant, client_id, **kwargs)
        await self.connect(profile.tenant, await credentials_for(stores, profile), ask, profile.name)

    async def spaces(self, kind: str) -> list[dict[str, Any]]:
        """Spaces the user can add to (shared) or publish to (managed)."""
        if self.client is None:
            return []
        action = "publish" if kind == "managed" else "create"
        found = [
            s
            async for s in self.client.paginate(
                "/api/v1/spaces",
                doing=_("Could not list the spaces."),
                params={"type": kind, "action": action, "limit": "100"},
            )
        ]
        return sorted(found, key=lambda s: str(s.get("name", "")).lower())

    async def space(self, ref: str) -> dict[str, Any]:
        from qvupload.cloud.apps import find_space

        assert self.client is not None
        return await find_space(self.client, ref)

    def open_store(self) -> TransferStore:
        if self.store is None:
            assert self.store_folder is not None, "a session needs a store or a folder for one"
            self.store = default_store(self.store_folder)
        return self.store


async def _guarded(coro: Coroutine[Any, Any, Any], on_error: OnError | None) -> Any:
    import asyncio

    try:
        return await coro
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.warning("background work failed: %s: %s", type(exc).__name__, exc)
        if on_error is not None:
            try:
                on_error(exc)
            except Exception:  # the widget that would show it is gone (window closed)
                log.debug("could not show the failure", exc_info=True)
        return None


def default_store(folder: Path) -> TransferStore:
    from qvupload.transfers.store import TransferStore

    folder.mkdir(parents=True, exist_ok=True)
    return TransferStore(folder / "transfers.sqlite3")
