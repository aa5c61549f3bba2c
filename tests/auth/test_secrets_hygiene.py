"""No token ever lands in a file, a log line or a message: sign in (API key and OAuth), upload,
fail on purpose, export the ledger, then search everything qvupload wrote."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID
from tests.conftest import persona


def run(env: dict[str, str], *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qvupload", *argv], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_no_token_anywhere(keyring_env: dict[str, str], sandbox: Sandbox, tmp_path: Path) -> None:
    env = {**keyring_env, "BROWSER": "curl -s -L -o /dev/null %s"}
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]
    api_key = persona(sandbox, "ann")[1]
    outputs: list[str] = []

    def step(*argv: str, stdin: str = "", ok: bool = True) -> None:
        result = run(env, *argv, stdin=stdin)
        outputs.extend([result.stdout, result.stderr])
        assert (result.returncode == 0) == ok, (argv, result.stderr)

    doc = write_document(tmp_path / "Hygiene.qvw", SyntheticDocument(datetime.now(UTC)))
    bogus = tmp_path / "Broken.qvw"
    bogus.write_text("not a document")
    step("login", "--profile", "key", "--tenant", sandbox.url, "--api-key-stdin", stdin=api_key + "\n")
    step("upload", str(doc), "--profile", "key")
    step("upload", str(bogus), "--profile", "key", ok=False)  # fails on purpose
    step("login", "--profile", "browser", "--tenant", sandbox.url, "--oauth", "--client-id", NATIVE_CLIENT_ID)
    step("upload", str(doc), "--profile", "browser", "--to", "shared:HR Confidential", ok=False)  # no rights
    step("upload", str(doc), "--profile", "browser", "--on-duplicate", "keep-both")
    step("ledger", "--csv")
    step("ledger", "--json")
    step("queue", "list", "--json")
    step("profiles", "--json")

    secrets = {api_key} | {t.value for t in sandbox.tenant.tokens.values() if t.kind in ("access", "refresh")}
    assert len(secrets) >= 3  # the key, and at least one access and one refresh token
    folders = [
        Path(keyring_env[k])
        for k in ("QVUPLOAD_CONFIG_DIR", "QVUPLOAD_DATA_DIR", "QVUPLOAD_CACHE_DIR", "QVUPLOAD_LOG_DIR")
    ]
    written = [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in written) and any(p.name == "profiles.json" for p in written)
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a token is in {path}"
    for text in outputs:
        for secret in secrets:
            assert secret not in text, "a token was printed"
