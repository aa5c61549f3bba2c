"""Tenant profiles, the keyring credential store, API key and browser (OAuth PKCE) sign-in."""
