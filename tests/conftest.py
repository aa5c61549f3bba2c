"""Shared fixtures. Third-party sample files are read from ../shared, never copied into the project.

Where ../shared is absent (a user's own clone) the tests that need it skip, saying why. CI sets
QVUPLOAD_REQUIRE_SHARED=1, which turns that skip into a failure so those tests always run there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _shared_dir() -> Path | None:
    configured = os.environ.get("QVUPLOAD_SHARED")
    candidates = [Path(configured)] if configured else [REPO.parent / "shared"]
    for candidate in candidates:
        if (candidate / "samples" / "qvw" / "MANIFEST.md").is_file():
            return candidate
    return None


def require(condition: bool, reason: str, env: str) -> None:
    """Skip when a resource is missing, or fail when ``env`` says CI needs it."""
    if condition:
        return
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 says this run must have it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (samples, reference notes, Qlik Cloud specs)."""
    found = _shared_dir()
    require(
        found is not None,
        "../shared (sample documents and specs) is not present next to this clone",
        "QVUPLOAD_REQUIRE_SHARED",
    )
    assert found is not None
    return found


@pytest.fixture(scope="session")
def samples(shared: Path) -> Path:
    return shared / "samples" / "qvw"
