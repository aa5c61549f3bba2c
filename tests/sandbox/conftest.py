"""A demo-seeded sandbox per test, and httpx clients whose every response is checked against
Qlik's OpenAPI files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from qvupload.sandbox import Sandbox
from tests.conftest import persona
from tests.contract import ContractChecker, load_specs


@pytest.fixture(scope="session")
def contract(shared: Path) -> ContractChecker:
    return ContractChecker(load_specs(shared / "qlik-cloud-specs"))


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
