"""A failed call says what happened in a sentence, and keeps what a support case needs."""

from __future__ import annotations

import asyncio
import re

import pytest

from qvupload.cloud.errors import CloudError, NotFound
from tests.transfers.conftest import Engine


def test_errors_carry_what_support_needs(engine: Engine) -> None:
    async def main() -> CloudError:
        async with engine.client() as client:
            with pytest.raises(NotFound) as caught:
                await client.json("GET", f"/api/v1/spaces/{'0' * 24}?limit=5", doing="Could not read the space.")
            return caught.value

    error = asyncio.run(main())
    assert str(error).startswith("Could not read the space. It was not found")
    lines = error.details().splitlines()
    assert lines[:2] == ["HTTP status: 404", f"Request: GET /api/v1/spaces/{'0' * 24}"]  # the path only
    assert any(re.fullmatch(r"Error code: \S+", line) for line in lines)
    assert re.fullmatch(r"Trace id: [0-9a-f]{32}", lines[-1])


def test_an_error_made_here_has_no_details_to_offer() -> None:
    assert CloudError("Orders.qvw changed while it was uploading.").details() == ""
