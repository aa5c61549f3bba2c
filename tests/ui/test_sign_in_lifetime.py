"""The window says, before an upload starts, that a sign-in cannot be renewed and when it ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from qvupload.auth import oauth
from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from qvupload.sandbox.seed import NATIVE_CLIENT_ID
from qvupload.ui.main_window import MainWindow
from qvupload.ui.session import Session, default_store
from tests.conftest import persona

Run = Callable[[Any], Any]


def _browser(url: str) -> bool:
    httpx.get(url, follow_redirects=True, timeout=10)
    return True


@pytest.mark.parametrize("scope", ["user_default", "user_default offline_access"])
def test_upload_says_when_a_sign_in_without_refresh_token_ends(
    sandbox: Sandbox, tmp_path: Path, aloop: Run, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    monkeypatch.setattr(oauth, "SCOPE", scope)  # "user_default": a client that does not ask for offline_access
    sandbox.config.auto_approve_user = persona(sandbox, "ann")[0]
    secret = aloop(oauth.browser_sign_in(sandbox.url, NATIVE_CLIENT_ID, open_browser=_browser, timeout=30))
    session = Session(default_store(tmp_path / "data"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    creds = oauth.OAuthCredentials(sandbox.url, NATIVE_CLIENT_ID, secret, lambda s: None)
    aloop(session.connect(sandbox.url, creds, window.ask_duplicate, "oa"))
    window.show_signed_in()
    (tmp_path / "docs").mkdir()
    write_document(tmp_path / "docs" / "Fresh.qvw", SyntheticDocument(datetime.now(UTC)))
    aloop(window.scan([tmp_path / "docs"]))
    said: list[str] = []
    real_say = window.say

    def spy(text: str, **kwargs: Any) -> None:
        said.append(text)
        real_say(text, **kwargs)

    monkeypatch.setattr(window, "say", spy)
    aloop(window.upload())
    queued = next(t for t in said if "queued" in t)
    if scope == "user_default":
        assert "cannot be renewed" in queued and "ends at" in queued and "File > Sign in" in queued
    else:
        assert "cannot be renewed" not in queued
    assert [j.state for j in window.transfers.jobs] == ["done"]
