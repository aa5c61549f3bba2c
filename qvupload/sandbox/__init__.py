"""A local Qlik Cloud stand-in for the demo and the tests: answers as Qlik's published specs say."""

from qvupload.sandbox.server import Sandbox, SandboxConfig

__all__ = ["Sandbox", "SandboxConfig"]
