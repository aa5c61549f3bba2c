"""Bulk sharing: plan validation with row numbers, the dry run, a 50-document run under a tight
write limit, and a second run that writes nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from qvupload.documents.synthetic import SyntheticDocument, write_document
from qvupload.sandbox import Sandbox
from tests.conftest import persona

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def share(sandbox: Sandbox, who: str, tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QVUPLOAD_API_KEY": persona(sandbox, who)[1],
        "QVUPLOAD_TENANT": sandbox.url,
        "QVUPLOAD_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "qvupload", "share", *argv], env=env, capture_output=True, text=True, timeout=600
    )


def plan(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["document", "app", "space", "users", "groups", "roles"])
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "plan.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def writes(sandbox: Sandbox) -> int:
    counts: dict[str, int] = httpx.get(f"{sandbox.url}/__sandbox/state").json()["request_counts"]
    return sum(
        n
        for route, n in counts.items()
        if route.split(" ")[0] in WRITES and "/__sandbox" not in route and "/oauth/" not in route
    )


def test_every_problem_is_reported_with_its_row(sandbox: Sandbox, tmp_path: Path) -> None:
    doc = write_document(tmp_path / "Doc.qvw", SyntheticDocument(datetime.now(UTC)))
    path = plan(
        tmp_path,
        [
            {"space": "Nowhere", "users": "carl@sandbox.example", "roles": "consumer"},
            {"space": "Sales Team", "users": "nobody@sandbox.example", "roles": "consumer"},
            {"space": "Sales Team", "groups": "No Such Group", "roles": "consumer"},
            {"space": "Sales Team", "users": "carl@sandbox.example", "roles": "publisher"},
            {"space": "Sales Reports", "users": "carl@sandbox.example", "roles": "consumer"},
            {"space": "Sales Team", "document": str(tmp_path / "missing.qvw")},
            {"space": "Sales Team", "document": str(doc)},
        ],
    )
    before = writes(sandbox)
    result = share(sandbox, "ann", tmp_path, "--plan", str(path))
    assert result.returncode == 1
    err = result.stderr
    for expected in (
        "Row 2: there is no space Nowhere",
        "Row 3: there is no user nobody@sandbox.example",
        "Row 4: there is no group named No Such Group",
        "Row 5: publisher is not a role of the shared",
        "Row 6: you cannot manage the members of Sales Reports",
        "Row 7: missing.qvw",
    ):
        assert expected in err, (expected, err)
    assert "Row 8" not in err and "nothing was changed" in err
    assert writes(sandbox) == before
    fiona = share(
        sandbox, "fiona", tmp_path, "--plan", str(plan(tmp_path, [{"space": "Sales Reports", "document": str(doc)}]))
    )
    assert "Row 2: managed spaces receive published copies, and you cannot publish" in fiona.stderr


def test_dry_run_lists_and_changes_nothing(sandbox: Sandbox, tmp_path: Path) -> None:
    doc = write_document(tmp_path / "Dry.qvw", SyntheticDocument(datetime.now(UTC)))
    path = plan(
        tmp_path,
        [
            {"space": "Sales Team", "users": "carl@sandbox.example", "roles": "consumer"},  # already there
            {"space": "Sales Team", "users": "erik@sandbox.example", "roles": "consumer"},  # dataconsumer -> union
            {"space": "Sales Team", "users": "hana@sandbox.example", "roles": "producer"},  # new
            {"space": "Sales Team", "document": str(doc)},
        ],
    )
    before = writes(sandbox)
    result = share(sandbox, "ann", tmp_path, "--plan", str(path), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["row"], r["status"]) for r in rows] == [(2, "unchanged"), (3, "change"), (4, "create"), (5, "create")]
    assert "consumer, dataconsumer" in rows[1]["detail"]
    assert writes(sandbox) == before


def test_fifty_documents_three_managed_spaces_under_a_write_limit(sandbox: Sandbox, tmp_path: Path) -> None:
    now = datetime.now(UTC) - timedelta(hours=1)
    docs = [
        write_document(tmp_path / f"Report {i:02}.qvw", SyntheticDocument(now, window_title=f"Report {i:02}"))
        for i in range(50)
    ]
    spaces = ["Sales Reports", "Finance Reports", "Everyone's Reports"]
    rows: list[dict[str, Any]] = [{"space": spaces[i % 3], "document": str(d)} for i, d in enumerate(docs)]
    people = [
        "carl@sandbox.example",
        "fiona@sandbox.example",
        "erik@sandbox.example",
        "hana@sandbox.example",
        "ann@sandbox.example",
        "dora@sandbox.example",
    ]
    grants = [(s, {"users": p}) for s in spaces for p in people] + [
        (spaces[0], {"groups": "Finance"}),
        (spaces[2], {"groups": "Sales Leads"}),
    ]
    rows += [{"space": s, **who, "roles": "consumer"} for s, who in grants]
    assert len(grants) == 20
    path = plan(tmp_path, rows)
    httpx.post(f"{sandbox.url}/__sandbox/config", json={"rate_limits": {"2": 20}, "rate_window": 2})
    result = share(sandbox, "adam", tmp_path, "--plan", str(path), "--json", "--write-rate", "600")
    assert result.returncode == 0, result.stderr
    outcomes = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outcomes) == 70 and {o["result"] for o in outcomes} <= {"created", "changed", "unchanged"}
    assert "this takes about" in result.stderr
    state = httpx.get(f"{sandbox.url}/__sandbox/state").json()
    assert state["status_counts"].get("429", 0) > 0  # the limit was hit, and answered by waiting
    by_space = {s["id"]: s["name"] for s in state["spaces"]}
    for i, doc in enumerate(docs):
        copies = [a for a in state["apps"] if a["name"] == doc.stem and a["origin_app_id"]]
        assert [by_space[c["space_id"]] for c in copies] == [spaces[i % 3]]
    for space, who in grants:
        space_id = next(k for k, v in by_space.items() if v == space)
        mine = [a for a in state["assignments"] if a["space_id"] == space_id]
        target = who.get("users") or who.get("groups")
        ids = {u["id"] for u in state["users"] if u["email"] == target} | {
            g["id"] for g in state["groups"] if g["name"] == target
        }
        (assignment,) = [a for a in mine if a["assignee_id"] in ids]
        assert "consumer" in assignment["roles"]
    before = writes(sandbox)
    again = share(sandbox, "adam", tmp_path, "--plan", str(path))
    assert again.returncode == 0 and "Nothing new to do." in again.stdout
    assert writes(sandbox) == before
    ledger = subprocess.run(
        [sys.executable, "-m", "qvupload", "ledger", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "QVUPLOAD_DATA_DIR": str(tmp_path / "data")},
        check=True,
    )
    assert len([r for r in json.loads(ledger.stdout) if r["action"] == "assign"]) == 20


def test_share_with_options(sandbox: Sandbox, tmp_path: Path) -> None:
    result = share(
        sandbox,
        "ann",
        tmp_path,
        "--space",
        "Sales Team",
        "--user",
        "hana@sandbox.example",
        "--group",
        "Finance",
        "--role",
        "consumer",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("created") == 2
    assert share(sandbox, "ann", tmp_path, "--space", "Sales Team").returncode == 2
