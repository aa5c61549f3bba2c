"""Qlik Cloud over REST: one httpx.AsyncClient per tenant, retries, errors, tus, apps, spaces.

The names below load on first use, so importing ``qvupload.cloud.errors`` does not pull in httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qvupload.cloud.client import CloudClient, Credentials, RetryPolicy, StaticToken
    from qvupload.cloud.errors import CloudError

_WHERE = {
    "CloudClient": "qvupload.cloud.client",
    "Credentials": "qvupload.cloud.client",
    "RetryPolicy": "qvupload.cloud.client",
    "StaticToken": "qvupload.cloud.client",
    "CloudError": "qvupload.cloud.errors",
}

__all__ = ["CloudClient", "CloudError", "Credentials", "RetryPolicy", "StaticToken"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'qvupload.cloud' has no attribute {name!r}")
