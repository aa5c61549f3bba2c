"""The contract checker of tests/sandbox, for admin tests that talk to the sandbox."""

from tests.sandbox.conftest import contract  # noqa: F401  (a session-wide fixture)
