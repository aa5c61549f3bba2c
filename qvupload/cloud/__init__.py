"""Qlik Cloud over REST: one httpx.AsyncClient per tenant, retries, errors, tus, apps, spaces."""

from qvupload.cloud.client import CloudClient, Credentials, RetryPolicy, StaticToken
from qvupload.cloud.errors import CloudError

__all__ = ["CloudClient", "CloudError", "Credentials", "RetryPolicy", "StaticToken"]
