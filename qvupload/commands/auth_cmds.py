"""``qvupload login``, ``logout`` and ``profiles``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from qvupload.auth.oauth import OAuthError
from qvupload.auth.profiles import ProfileError
from qvupload.auth.secrets import KeyringUnavailable, plaintext_warning
from qvupload.auth.session import open_stores, sign_in_with_api_key, sign_in_with_browser, sign_out
from qvupload.auth.urls import TenantUrlError
from qvupload.cloud.errors import CloudError
from qvupload.commands.tenant_args import print_error
from qvupload.i18n import _

FAILURES = (CloudError, KeyringUnavailable, ProfileError, TenantUrlError)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = sub.add_parser("login", help=_("sign in to a tenant and keep the sign-in in the OS keyring"))
    login.add_argument("--profile", default="default", help=_("profile name (default: default)"))
    login.add_argument("--tenant", required=True, metavar="URL")
    how = login.add_mutually_exclusive_group(required=True)
    how.add_argument("--api-key-stdin", action="store_true", help=_("read the API key from standard input"))
    how.add_argument("--oauth", action="store_true", help=_("sign in with the browser (needs --client-id)"))
    login.add_argument("--client-id", help=_("the tenant's native OAuth client id"))
    login.add_argument(
        "--allow-plaintext-secrets",
        action="store_true",
        help=_("keep secrets in a plain file when no keyring is available (NOT secure)"),
    )
    login.set_defaults(run=run_login)

    logout = sub.add_parser("logout", help=_("sign out (revoke tokens, forget the secret)"))
    logout.add_argument("--profile", help=_("profile name (default: the default profile)"))
    logout.set_defaults(run=run_logout)

    profiles = sub.add_parser("profiles", help=_("list the saved tenant profiles"))
    profiles.add_argument("--json", action="store_true")
    profiles.set_defaults(run=run_profiles)


def run_login(args: argparse.Namespace) -> int:
    if args.oauth and not args.client_id:
        print(_("qvupload login: --oauth needs --client-id (the tenant's native OAuth client)."), file=sys.stderr)
        return 2
    stores = open_stores()
    if args.allow_plaintext_secrets:
        settings = stores.profiles.settings()
        settings.allow_plaintext_secrets = True
        stores.profiles.save_settings(settings)
        stores = open_stores()
        print(plaintext_warning(), file=sys.stderr)
    try:
        if args.api_key_stdin:
            key = sys.stdin.readline().strip()
            if not key:
                print(_("qvupload login: no API key on standard input."), file=sys.stderr)
                return 2
            profile = asyncio.run(sign_in_with_api_key(stores, args.profile, args.tenant, key))
        else:

            def show(url: str) -> None:
                print(
                    (_("Opening the browser to sign in. If it does not open, visit:\n%(url)s") % {"url": url}),
                    file=sys.stderr,
                )

            profile = asyncio.run(sign_in_with_browser(stores, args.profile, args.tenant, args.client_id, on_url=show))
    except (OAuthError, *FAILURES) as exc:
        print_error(exc)
        return 1
    print(
        _("Signed in to %(tenant)s as %(user_name)s <%(user_email)s> (profile %(name)s).")
        % {
            "tenant": profile.tenant,
            "user_name": profile.user_name,
            "user_email": profile.user_email,
            "name": profile.name,
        }
    )
    saved = stores.secrets.get(profile.name) if profile.kind == "oauth" else None
    if saved is not None:
        from qvupload.auth.lifetime import sign_in_warning

        hint = _(
            "Ask your tenant admin to let this OAuth client have refresh tokens (offline_access), or use an API key."
        )
        warning = sign_in_warning(saved, hint)
        if warning:
            print(warning, file=sys.stderr)
    return 0


def run_logout(args: argparse.Namespace) -> int:
    stores = open_stores()
    try:
        profile = stores.profiles.get(args.profile)
        asyncio.run(sign_out(stores, profile))
    except FAILURES as exc:
        print_error(exc)
        return 1
    print(_("Signed out of %(tenant)s (profile %(name)s).") % {"tenant": profile.tenant, "name": profile.name})
    return 0


def run_profiles(args: argparse.Namespace) -> int:
    stores = open_stores()
    try:
        settings = stores.profiles.settings()
        profiles = stores.profiles.all()
    except ProfileError as exc:
        print_error(exc)
        return 1
    rows = [
        {
            "name": p.name,
            "tenant": p.tenant,
            "kind": p.kind,
            "user": p.user_name,
            "email": p.user_email,
            "default": p.name == settings.default_profile,
        }
        for p in profiles
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            mark = "*" if r["default"] else " "
            print(f"{mark} {r['name']:16} {r['kind']:8} {r['tenant']:40} {r['user']} <{r['email']}>")
        if settings.allow_plaintext_secrets:
            print(_("WARNING: plaintext secret storage is turned on."))
    return 0
