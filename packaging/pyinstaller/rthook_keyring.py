"""PyInstaller runtime hook: make sure keyring finds the system's secure backend in the bundle.

keyring discovers its backends through the ``keyring.backends`` entry points in its package
metadata. The spec copies that metadata into the bundle, but should it be lost (another build
tool, a stripped bundle) keyring would silently fall back to its "fail" backend and nobody could
sign in. Here, only when no entry point is visible and the user chose no backend, the platform's
own backend is named through keyring's documented ``PYTHON_KEYRING_BACKEND`` variable (loaded on
first use, so start-up pays nothing for it).
"""

import os
import sys


def _choose() -> None:
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return
    from importlib.metadata import entry_points

    if entry_points(group="keyring.backends"):
        return
    native = {
        "win32": "keyring.backends.Windows.WinVaultKeyring",
        "darwin": "keyring.backends.macOS.Keyring",
    }
    os.environ["PYTHON_KEYRING_BACKEND"] = native.get(sys.platform, "keyring.backends.SecretService.Keyring")


_choose()
