"""The contract checker itself: it must reject what the specs reject."""

from __future__ import annotations

import httpx
import pytest

from tests.contract import ContractChecker


def _response(method: str, path: str, status: int, body: object) -> httpx.Response:
    request = httpx.Request(method, f"http://127.0.0.1:1{path}")
    return httpx.Response(status, json=body, request=request)


def test_a_space_list_missing_required_fields_is_rejected(contract: ContractChecker) -> None:
    with pytest.raises(AssertionError, match="breaks the spec"):
        contract.check(_response("GET", "/api/v1/spaces", 200, {"data": [{"name": "no id"}], "links": {}}))


def test_an_item_with_an_unknown_resource_type_is_rejected(contract: ContractChecker) -> None:
    with pytest.raises(AssertionError, match="breaks the spec"):
        contract.check(_response("GET", "/api/v1/items", 200, {"data": [{"resourceType": "excel"}], "links": {}}))


def test_undeclared_error_needs_the_envelope(contract: ContractChecker) -> None:
    with pytest.raises(AssertionError, match="envelope"):
        contract.check(_response("PUT", "/api/v1/apps/abc/space", 403, {"message": "no"}))
    contract.check(_response("PUT", "/api/v1/apps/abc/space", 403, {"errors": [{"code": "X", "title": "Forbidden"}]}))
    assert ("PUT", "/api/v1/apps/abc/space", 403) in contract.checked


def test_tus_head_is_recorded_as_undocumented(contract: ContractChecker) -> None:
    contract.check(_response("HEAD", "/api/v1/temp-contents/files/x", 200, None))
    assert ("HEAD", "/api/v1/temp-contents/files/x") in contract.undocumented
