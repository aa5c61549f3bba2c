"""A link whose answer is lost after the tenant made it (the connection dropped, or the answer came
after the client's time-out) is found by its address, not made again: one link per document, and
the run reports it as created."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qvupload.cloud import CloudClient, StaticToken
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.links.run import run_links, targets_from_paths
from qvupload.sandbox import Sandbox
from tests.admin.test_links import settings_for
from tests.conftest import persona
from tests.contract import ContractChecker
from tests.transfers.conftest import FAST_RETRY
from tests.transfers.exactly import add_fault, checked, state

CREATE = "POST /api/v1/items"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "share" / "Finance"
    root.mkdir(parents=True)
    for name in ("Budget.qvw", "Forecast.qvw"):
        write_document(root / name, SyntheticDocument(datetime(2026, 11, 1, tzinfo=UTC)))
    return root


AFTERMATH = {"drop": {"then": "drop"}, "late": {"then": "late", "late_ms": 2500}}


@pytest.mark.parametrize("how", ["drop", "late"])
def test_a_link_made_but_not_answered_is_made_once(
    sandbox: Sandbox,
    contract: ContractChecker,
    docs: Path,
    how: str,
) -> None:
    targets = targets_from_paths([docs], "Sales Team", settings_for(docs))
    add_fault(sandbox.url, route=CREATE, count=len(targets), **AFTERMATH[how])  # every create's answer is lost

    async def main() -> list[str]:
        timeout = 1.5 if how == "late" else 60.0
        client = CloudClient(sandbox.url, StaticToken(persona(sandbox, "ann")[1]), retry=FAST_RETRY, timeout=timeout)
        async with checked(client, contract) as signed_in:
            return [r.status for r in await run_links(signed_in, targets, dry_run=False)]

    assert asyncio.run(main()) == ["created"] * len(targets)
    links = [i for i in sandbox.tenant.items.values() if i.external]
    assert sorted(i.resource_link for i in links) == sorted(t.url for t in targets)  # one each, none twice
    assert state(sandbox.url)["request_counts"][CREATE] == len(targets)  # none was sent again
