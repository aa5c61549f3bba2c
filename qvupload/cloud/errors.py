"""Errors from Qlik Cloud calls, each with a sentence that says what happened and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qvupload.i18n import N_, _

if TYPE_CHECKING:
    import httpx


class CloudError(Exception):
    """A call to the tenant failed. ``str(err)`` is for the user; ``status`` for the program."""

    def __init__(self, message: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail
        self.request = ""  # "GET /api/v1/spaces/..." (the path only: no query, no host, no token)
        self.code = ""  # the tenant's error code, e.g. "SPACES-7"
        self.trace_id = ""  # what Qlik support asks for

    def details(self) -> str:
        """What a support case needs, one fact a line; empty when nothing is known beyond the message."""
        facts = (
            (N_("HTTP status"), str(self.status or "")),
            (N_("Request"), self.request),
            (N_("Error code"), self.code),
            (N_("Detail"), self.detail),
            (N_("Trace id"), self.trace_id),
        )
        return "\n".join(f"{_(name)}: {value}" for name, value in facts if value)


class RetryableError(CloudError):
    """A call that may simply be made again (the token was refreshed mid-call, for example)."""


class SignInError(CloudError):
    """401: the token is missing, wrong or expired and could not be refreshed."""


class PermissionDenied(CloudError):
    """403: the signed-in user lacks a right."""


class NotFound(CloudError):
    """404: the object does not exist or the user cannot see it."""


class Conflict(CloudError):
    """409."""


class TooLarge(CloudError):
    """413: the tenant does not accept something this big."""


class RateLimited(CloudError):
    """429 after the retries ran out."""


class Unreachable(CloudError):
    """The tenant could not be reached or kept failing (network, 5xx, time-outs)."""


class OutcomeUnknown(Unreachable):
    """A call that is not safe to repeat went out, and no answer says whether the tenant carried it
    out (the connection dropped, the answer came too late, or a 5xx). Find out before sending again."""

    timed_out = False  # no answer within the time-out: the tenant may still be working on it


def _envelope(response: httpx.Response) -> tuple[str, str, str]:
    """(detail, code, trace id) from Qlik's error body, as far as it has them."""
    try:
        body: Any = response.json()
    except ValueError:
        return "", "", ""
    if not isinstance(body, dict):
        return "", "", ""
    trace = str(body.get("traceId") or "")
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return str(first.get("detail") or first.get("title") or ""), str(first.get("code") or ""), trace
    return "", "", trace


def error_for(response: httpx.Response, doing: str) -> CloudError:
    """Map a failed response to an error whose message names what we were ``doing``; the
    tenant's code, the trace id and the request go into ``details()``."""
    detail, code, trace = _envelope(response)
    error = _error_for(response.status_code, detail, doing)
    error.code, error.trace_id = code, trace
    error.request = f"{response.request.method} {response.request.url.path}"
    return error


def failed(doing: str, reason: str) -> str:
    """What failed (``doing``: a whole sentence, "Could not read the space.") and why (another one)."""
    return _("%(failed)s %(reason)s") % {"failed": doing, "reason": reason}


def _error_for(status: int, detail: str, doing: str) -> CloudError:
    v = {"detail": detail, "status": status}
    if status == 401:
        return SignInError(failed(doing, _("Your sign-in is no longer valid. Sign in again.")), status, detail)
    if status == 403:
        text = (
            _("You do not have the right to do this (%(detail)s).")
            if detail
            else _("You do not have the right to do this.")
        )
        return PermissionDenied(failed(doing, text % v), status, detail)
    if status == 404:
        text = (
            _("It was not found, or you cannot see it (%(detail)s).")
            if detail
            else _("It was not found, or you cannot see it.")
        )
        return NotFound(failed(doing, text % v), status, detail)
    if status == 409:
        text = (
            _("It conflicts with what is already there (%(detail)s).")
            if detail
            else _("It conflicts with what is already there.")
        )
        return Conflict(failed(doing, text % v), status, detail)
    if status == 413:
        text = (
            _("The tenant does not accept a file this large (%(detail)s).")
            if detail
            else _("The tenant does not accept a file this large.")
        )
        return TooLarge(failed(doing, text % v), status, detail)
    if status == 429:
        return RateLimited(failed(doing, _("The tenant's rate limit was reached; try again later.")), status, detail)
    if status >= 500:
        text = _("The tenant kept failing (HTTP %(status)s); try again later.") % v
        return Unreachable(failed(doing, text), status, detail)
    text = (
        _("The tenant answered HTTP %(status)s (%(detail)s).") if detail else _("The tenant answered HTTP %(status)s.")
    )
    return CloudError(failed(doing, text % v), status, detail)
