"""How commands that talk to a tenant get its address and credentials.

For automation: ``--tenant URL`` (or ``QVUPLOAD_TENANT``) with the API key in the environment
variable ``QVUPLOAD_API_KEY``. The key is never accepted as an argument and never printed.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from urllib.parse import urlsplit

from qvupload.cloud import CloudClient, StaticToken


class UsageError(Exception):
    """Exit status 2 with this sentence."""


def add_tenant_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tenant",
        metavar="URL",
        help="tenant address, e.g. https://acme.eu.qlikcloud.com (or set QVUPLOAD_TENANT); the API "
        "key is read from the environment variable QVUPLOAD_API_KEY",
    )


def check_tenant_url(url: str) -> str:
    """https, or http on a loopback address (the sandbox). Returns the normalised base URL."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise UsageError(f"'{url}' is not a tenant address such as https://acme.eu.qlikcloud.com.")
    if parts.scheme == "http":
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise UsageError("Tenant addresses must use https (plain http is allowed only for a local sandbox).")
    return f"{parts.scheme}://{parts.netloc}".rstrip("/")


def connect(args: argparse.Namespace) -> CloudClient:
    url = args.tenant or os.environ.get("QVUPLOAD_TENANT")
    if not url:
        raise UsageError("Say which tenant: --tenant URL (or set QVUPLOAD_TENANT).")
    base = check_tenant_url(url)
    key = os.environ.get("QVUPLOAD_API_KEY", "").strip()
    if not key:
        raise UsageError("Set the environment variable QVUPLOAD_API_KEY to your API key (it is never an argument).")
    return CloudClient(base, StaticToken(key))
