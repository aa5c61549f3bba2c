"""How long a sign-in lasts, said before a long batch starts.

An OAuth sign-in without a refresh token (the tenant did not grant ``offline_access``) ends when
its access token expires: Qlik Cloud's default is 6 hours, and an admin can set it from 15 minutes.
Work still running then fails, so the command line and the window say when that will be before
they start. The time comes from the token response (``expires_at``), never from the token itself:
tokens are opaque.
"""

from __future__ import annotations

import time
from datetime import datetime

from qvupload.auth.oauth import OAuthCredentials
from qvupload.auth.secrets import Secret
from qvupload.cloud.client import Credentials
from qvupload.i18n import _
from qvupload.timefmt import format_left


def sign_in_ends_at(credentials: Credentials | Secret) -> float | None:
    """Epoch seconds at which this sign-in ends for good, or None when it renews itself (or never ends)."""
    secret = credentials.secret if isinstance(credentials, OAuthCredentials) else credentials
    if isinstance(secret, Secret) and secret.kind == "oauth" and not secret.refresh_token:
        return secret.expires_at
    return None


def sign_in_warning(credentials: Credentials | Secret, how_to_renew: str, now: float | None = None) -> str | None:
    """A sentence for a sign-in that cannot be renewed (None when it can); ``how_to_renew`` says what to do."""
    ends = sign_in_ends_at(credentials)
    if ends is None:
        return None
    now = time.time() if now is None else now
    at = datetime.fromtimestamp(ends).astimezone().strftime("%H:%M %Z on %Y-%m-%d")
    if ends <= now:
        return _(
            "Your sign-in ended at %(at)s and cannot be renewed (the tenant gave no refresh token). %(how_to_renew)s"
        ) % {"at": at, "how_to_renew": how_to_renew}
    return _(
        "Your sign-in cannot be renewed (the tenant gave no refresh token): it ends at "
        "%(at)s, in %(format_left)s, and anything still running then will fail. "
        "%(how_to_renew)s"
    ) % {"at": at, "format_left": format_left(ends - now), "how_to_renew": how_to_renew}
