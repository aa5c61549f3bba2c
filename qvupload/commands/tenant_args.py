"""How commands that talk to a tenant get its address and credentials.

For automation: ``--tenant URL`` (or ``QVUPLOAD_TENANT``) with the API key in the environment
variable ``QVUPLOAD_API_KEY``. The key is never accepted as an argument and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from qvupload.auth.urls import TenantUrlError, normalize_tenant_url
from qvupload.cloud import CloudClient, StaticToken
from qvupload.i18n import _


class UsageError(Exception):
    """Exit status 2 with this sentence."""


def add_tenant_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", help=_("a saved profile (see `qvupload login`); the default profile otherwise"))
    parser.add_argument(
        "--tenant",
        metavar="URL",
        help=_(
            "tenant address, e.g. https://acme.eu.qlikcloud.com (or set QVUPLOAD_TENANT); "
            "the API key is read from the environment variable QVUPLOAD_API_KEY"
        ),
    )


def check_tenant_url(url: str) -> str:
    try:
        return normalize_tenant_url(url)
    except TenantUrlError as exc:
        raise UsageError(str(exc)) from exc


def connect(args: argparse.Namespace) -> CloudClient:
    """``--tenant`` (or QVUPLOAD_TENANT) with QVUPLOAD_API_KEY for automation; otherwise a saved profile."""
    url = args.tenant or os.environ.get("QVUPLOAD_TENANT")
    if url:
        base = check_tenant_url(url)
        key = os.environ.get("QVUPLOAD_API_KEY", "").strip()
        if not key:
            raise UsageError(
                _("Set the environment variable QVUPLOAD_API_KEY to your API key (it is never an argument).")
            )
        return CloudClient(base, StaticToken(key))
    from qvupload.auth.profiles import ProfileError
    from qvupload.auth.secrets import KeyringUnavailable
    from qvupload.auth.session import credentials_for, open_stores
    from qvupload.cloud.errors import CloudError

    try:
        stores = open_stores()
        profile = stores.profiles.get(getattr(args, "profile", None))
        credentials = asyncio.run(credentials_for(stores, profile))
    except (ProfileError, KeyringUnavailable, CloudError) as exc:
        raise UsageError(_("%(exc)s (Or give --tenant URL with QVUPLOAD_API_KEY set.)") % {"exc": exc}) from exc
    return CloudClient(profile.tenant, credentials)


def warn_if_sign_in_ends(client: CloudClient) -> None:
    """Before a batch: say on stderr when the sign-in cannot be renewed and when it ends."""
    if isinstance(client.credentials, StaticToken):
        return  # an API key: nothing to renew, and no need to load the keyring and OAuth code to say so
    from qvupload.auth.lifetime import sign_in_warning

    warning = sign_in_warning(
        client.credentials,
        _(
            "To be sure a long batch finishes, sign in again with `qvupload login --oauth` on a client that "
            "may have refresh tokens (offline_access), or use an API key."
        ),
    )
    if warning:
        print(warning, file=sys.stderr)


def print_error(exc: BaseException) -> None:
    """The error's sentence on stderr, and the tenant's trace id when there is one (for a support case)."""
    print(str(exc), file=sys.stderr)
    trace = getattr(exc, "trace_id", "")
    if trace:
        print((_("(Qlik trace id %(trace)s)") % {"trace": trace}), file=sys.stderr)
