"""A demo-seeded sandbox per test, and httpx clients whose every response is checked against
Qlik's OpenAPI files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from qvupload.sandbox import Sandbox, SandboxConfig
from qvupload.sandbox.seed import seed_demo
from tests.contract import ContractChecker, load_specs


@pytest.fixture(scope="session")
def contract(shared: Path) -> ContractChecker:
    return ContractChecker(load_specs(shared / "qlik-cloud-specs"))


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sb = Sandbox(SandboxConfig(), tmp_path / "tenant")
    seed_demo(sb.tenant)
    sb.start()
    yield sb
    sb.stop()


def persona(sb: Sandbox, role: str) -> tuple[str, str]:
    """(user id, API key) of the first seeded user with that persona, or of the user with that email."""
    tenant = sb.tenant
    for uid, p in tenant.personas.items():
        if p == role or tenant.users[uid].email.startswith(role + "@"):
            key = next(t.value for t in tenant.tokens.values() if t.user_id == uid and t.kind == "api-key")
            return uid, key
    raise KeyError(role)


@pytest.fixture
def api(sandbox: Sandbox, contract: ContractChecker) -> Iterator[Callable[[str], httpx.Client]]:
    """``api("ann")`` or ``api("helpdesk")``: a client signed in as that user, contract-checked."""
    clients: list[httpx.Client] = []

    def make(who: str) -> httpx.Client:
        headers = {}
        if who != "anonymous":
            headers["Authorization"] = f"Bearer {persona(sandbox, who)[1]}"
        client = httpx.Client(base_url=sandbox.url, headers=headers, event_hooks={"response": [contract.check]})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def control(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url + "/__sandbox") as client:
        yield client
