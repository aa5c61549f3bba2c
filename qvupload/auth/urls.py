"""Tenant addresses: https only, except loopback (the local sandbox); normalised to scheme://host[:port]."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from qvupload.i18n import _


class TenantUrlError(ValueError):
    """The address is not a usable tenant address; ``str()`` says why."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_tenant_url(url: str) -> str:
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise TenantUrlError(
            _("'%(url)s' is not a tenant address such as https://acme.eu.qlikcloud.com.") % {"url": url}
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise TenantUrlError(
            _("'%(url)s' has a path; give only the tenant address, e.g. https://acme.eu.qlikcloud.com.") % {"url": url}
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise TenantUrlError(_("Tenant addresses must use https (plain http is allowed only for a local sandbox)."))
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"
