"""The assessment: from the real samples, from synthetic documents with known sizes, ages, section
access and sources, and from synthetic session logs in the documented format (malformed lines
counted, not fatal). Numbers are checked against the inputs."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qvupload.assessment import build_assessment
from qvupload.assessment.files import ReportError, write_reports
from qvupload.assessment.releases import release_of
from qvupload.assessment.report_csv import to_csv
from qvupload.assessment.report_html import to_html
from qvupload.assessment.sources import classify
from qvupload.assessment.usage import read_usage
from qvupload.documents.facts import read_document
from qvupload.documents.synthetic import SyntheticDocument, write_document
from tests.unit.sessionlogs import FIELDS, Session, write_log

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LOCAL_NOW = NOW.replace(tzinfo=None)
GB = 1024**3


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def no_network(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=""", html, re.IGNORECASE)  # nothing is fetched or linked
    assert "url(" not in html and "@import" not in html


@pytest.mark.samples
def test_report_from_the_real_samples(samples: Path, tmp_path: Path) -> None:
    files = sorted(p for p in samples.iterdir() if p.suffix in (".qvw", ".qvf"))
    facts = {p: read_document(p) for p in files}
    a = build_assessment([samples], now=NOW)
    assert len(a.documents) == len(files) == 14 and not a.unreadable
    assert a.total_size == sum(p.stat().st_size for p in files)
    assert {d.path for d in a.with_section_access()} == {p for p, f in facts.items() if f.has_section_access}
    never = [d for d in a.documents if d.reload_kind == "never"]
    assert [d.path.name for d in never] == ["qvc__ExpandInterval_never_reloaded.qvw"]
    assert never[0].route == "rebuild" and never[0].age_bucket == "never reloaded or unknown"
    odbc = [d for d in a.documents if "odbc" in d.gateway_kinds]
    assert [d.path.name for d in odbc] == ["yacert__Coupe_du_monde_2030.qvw"]
    assert sum(n for _, n in a.age_buckets()) == len(files)
    html, table = write_reports(a, tmp_path / "report.html")
    text = html.read_text(encoding="utf-8")
    no_network(text)
    for f in facts.values():
        assert f.path.name in text
    assert [r["path"] for r in rows(table.read_text(encoding="utf-8"))] == [str(d.path) for d in a.documents]
    assert "ODBC" not in table.read_text(encoding="utf-8")  # sources appear as kinds, never as connection text


def test_synthetic_documents_routes_limits_and_escaping(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    root.mkdir()

    def doc(name: str, age_days: float | None, **kw: object) -> Path:
        reload = None if age_days is None else NOW - timedelta(days=age_days)
        return write_document(root / name, SyntheticDocument(reload, **kw))  # type: ignore[arg-type]

    doc("Fresh.qvw", 1, lineage=["INLINE", "https://data.example.org/rates.csv"])
    doc("Old.qvw", 400)
    doc("Big.qvw", 2, size=GB + 256)  # sparse
    doc("Huge.qvw", 2, size=11 * GB)
    doc("Secure.qvw", 2, section_access=True)
    doc("Live.qvw", 0.5, lineage=["ODBC;DSN=Sales", "\\\\fs01\\data\\orders.qvd", "STORE - [x.qvd] (qvd)"])
    doc("Never.qvw", None)
    doc('<b>Tricky & "quoted"<b>.qvw', 3, window_title='<script>alert("x")</script> & co')
    (root / "Broken.qvw").write_bytes(b"not a QlikView document at all")
    a = build_assessment([root], now=NOW)
    by = {d.path.name: d for d in a.documents}

    assert len(a.documents) == 9 and [d.path.name for d in a.unreadable] == ["Broken.qvw"]
    assert by["Broken.qvw"].verdict == "unreadable" and by["Broken.qvw"].error
    assert (by["Fresh.qvw"].route, by["Fresh.qvw"].verdict) == ("upload", "ready")
    assert by["Fresh.qvw"].gateway_kinds == []  # a public web source is reachable
    assert (by["Old.qvw"].route, by["Old.qvw"].verdict, by["Old.qvw"].age_bucket) == ("upload", "review", "1-3 years")
    assert (by["Big.qvw"].route, by["Big.qvw"].verdict) == ("link", "review")
    assert by["Huge.qvw"].route == "link" and len(by["Huge.qvw"].limits) == 2  # upload and in-memory
    assert (by["Secure.qvw"].route, by["Secure.qvw"].verdict) == ("link", "review")
    assert by["Live.qvw"].route == "link" and by["Live.qvw"].gateway_kinds == ["odbc", "qvd"]
    assert by["Never.qvw"].route == "rebuild"
    assert {d.path.name for d in a.over_limits()} == {"Big.qvw", "Huge.qvw"}
    assert dict(a.routes()) == {"upload": 3, "link": 4, "rebuild": 1}
    assert dict(a.verdicts()) == {"ready": 4, "review": 4, "unreadable": 1}  # Huge and Live: ready to link
    assert dict(a.size_buckets())["1-10 GB"] == 1 and dict(a.size_buckets())["over 10 GB"] == 1
    assert a.total_size == sum(p.stat().st_size for p in root.iterdir() if p.name != "Broken.qvw")
    kinds = {label: (n, docs, gw) for label, n, docs, gw in a.source_kinds()}
    assert kinds["ODBC connections"] == (1, 1, 1) and kinds["Web (http/https)"] == (1, 1, 0)

    html = to_html(a)
    no_network(html)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert "&lt;b&gt;Tricky &amp; &quot;quoted&quot;&lt;b&gt;.qvw" in html
    assert html.count("<svg") == 5 and "@media print" in html
    table = rows(to_csv(a))
    assert len(table) == 9 and {r["verdict"] for r in table} == {"ready", "review", "unreadable"}
    assert next(r for r in table if r["name"] == "Live")["gateway_kinds"] == "odbc;qvd"
    with pytest.raises(ReportError):
        write_reports(a, tmp_path / "report.txt")


def test_sources_and_releases() -> None:
    assert classify("STORE - [Data\\x.qvd] (qvd)") is None
    assert classify("RESIDENT Rates1") is not None and classify("RESIDENT Rates1").kind == "script"  # type: ignore[union-attr]
    cases = {
        "ODBC;DSN=TestMySQL": ("odbc", True),
        "OLEDB;Provider=SQLOLEDB.1;Data Source=db01": ("oledb", True),
        "DSN=c:\\qv\\qvd\\customers.qvd;": ("qvd", True),
        "\\\\rob_work\\c$\\lineage\\EmployeeDash.qvw": ("file", True),
        "https://example.org/data.csv": ("web", False),
        "http://intranet/report.xlsx": ("web", True),
        "http://10.1.2.3/feed.xml": ("web", True),
    }
    for text, (kind, gateway) in cases.items():
        source = classify(text)
        assert source is not None and (source.kind, source.needs_gateway) == (kind, gateway), text
    old = release_of("11.00.11076.0409.10")
    assert old is not None and not old.april_2019_or_newer and old.name == "QlikView 11"
    april = release_of("12.40.20000.0")
    assert april is not None and april.april_2019_or_newer and "April 2019" in april.name
    newer = release_of("12.100.20000.0")
    assert newer is not None and newer.april_2019_or_newer
    nov = release_of("12.30.20100.0")
    assert nov is not None and not nov.april_2019_or_newer and "does not meet" in nov.sentence
    assert release_of("unknown") is None


def synthetic_sessions(rng: random.Random, documents: list[str], users: list[str], count: int) -> list[Session]:
    sessions = []
    for _ in range(count):
        start = LOCAL_NOW - timedelta(days=rng.uniform(0, 200), seconds=rng.randint(0, 86399))
        sessions.append(
            Session(
                rng.choice(documents), start.replace(microsecond=0), rng.choice(users), authenticated=rng.random() < 0.8
            )
        )
    return sessions


def test_usage_from_session_logs(tmp_path: Path) -> None:
    rng = random.Random(14)
    server = "C:\\QlikView\\Documents"
    documents = [f"{server}\\Finance\\Budget.qvw", f"{server}\\Sales\\Pipeline.qvw", f"{server}\\Old\\Archive.qvw"]
    users = [f"CORP\\user{i}" for i in range(25)]
    logs = tmp_path / "logs"
    logs.mkdir()
    sessions = synthetic_sessions(rng, documents[:2], users, 3000)
    archive = Session(documents[2], LOCAL_NOW - timedelta(days=150), "CORP\\old", exe_version="12.30.20000.0")
    bad_lines = (
        "too\tfew\tfields",
        "\t".join(["x"] * len(FIELDS)),  # the right width, but no time in Session Start
        "",  # blank lines are not sessions and not errors
    )
    write_log(logs / "SessionsQVS01_2026-10.log", sessions[:1500], extra_lines=bad_lines)
    write_log(logs / "SessionsQVS01_2026-11.log", [*sessions[1500:], archive], seed=2, bom=False)
    (logs / "SessionsQVS01_broken.log").write_text("no header here\r\n", encoding="utf-8")
    (logs / "Events_QVS01.log").write_text("not a session log\n", encoding="utf-8")
    u = read_usage(logs, now=LOCAL_NOW)

    assert [p.name for p in u.files] == [
        "SessionsQVS01_2026-10.log",
        "SessionsQVS01_2026-11.log",
        "SessionsQVS01_broken.log",
    ]
    assert u.sessions == 3001 and u.malformed == 3 and len(u.examples) == 3
    assert "fields where the header has" in u.examples[0]
    window = LOCAL_NOW - timedelta(days=90)
    expected: dict[str, list[Session]] = defaultdict(list)
    for s in [*sessions, archive]:
        expected[s.document.rsplit("\\", 1)[-1].lower()].append(s)
    for key, mine in expected.items():
        got = u.documents[key]
        recent = [s for s in mine if s.start >= window]
        assert got.sessions == len(recent) and got.sessions_all == len(mine)
        assert len(got.users) == len({s.user.lower() for s in recent})
        assert got.last_opened == max(s.start for s in mine)
    assert u.documents["archive.qvw"].sessions == 0
    # the newest session's server version counts, not the older one of the archive's session
    assert u.exe_version == "12.40.20000.0" and u.release is not None and u.release.april_2019_or_newer

    # the same logs next to scanned documents: per-document numbers and never-opened documents
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("Budget.qvw", "Pipeline.qvw", "Archive.qvw", "Unknown.qvw"):
        write_document(docs / name, SyntheticDocument(NOW - timedelta(days=1)))
    a = build_assessment([docs], usage_logs=logs, now=NOW, usage_now=LOCAL_NOW)
    by = {d.path.name: d for d in a.documents}
    assert by["Budget.qvw"].usage is not None and by["Budget.qvw"].usage.sessions == u.documents["budget.qvw"].sessions
    assert {d.path.name for d in a.never_opened()} == {"Archive.qvw", "Unknown.qvw"}
    assert by["Archive.qvw"].verdict == "review" and by["Budget.qvw"].verdict == "ready"
    html = to_html(a)
    no_network(html)
    assert "3 lines could not be read and were skipped" in html and "meets the prerequisite" in html
    table = {r["name"]: r for r in rows(to_csv(a))}
    assert table["Pipeline"]["sessions_90d"] == str(u.documents["pipeline.qvw"].sessions)
    assert table["Unknown"]["sessions_90d"] == ""


def test_utf16_log_and_old_server(tmp_path: Path) -> None:
    rng = random.Random(3)
    sessions = [Session("D:\\Docs\\A.qvw", LOCAL_NOW - timedelta(days=d), "u", "11.20.12129.0") for d in (1, 2)]
    text = (
        "\t".join(FIELDS)
        + "\r\n"
        + "".join(
            "\t".join(
                {
                    **dict(zip(FIELDS, [""] * len(FIELDS), strict=True)),
                    **{
                        "Exe Version": s.exe_version,
                        "Document": s.document,
                        "Session Start": s.start.isoformat(sep=" "),
                        "Identifying User": s.user,
                    },
                }[f]
                for f in FIELDS
            )
            + "\r\n"
            for s in sessions
        )
    )
    (tmp_path / "Sessions_QVS.log").write_text(text, encoding="utf-16")
    u = read_usage(tmp_path, now=LOCAL_NOW)
    assert u.sessions == 2 and u.malformed == 0 and rng is not None
    assert u.release is not None and not u.release.april_2019_or_newer and u.release.name == "QlikView 11.20"


def test_cli_writes_html_and_csv(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_document(docs / "One.qvw", SyntheticDocument(datetime.now(UTC) - timedelta(days=1)))
    logs = tmp_path / "logs"
    logs.mkdir()
    write_log(logs / "Sessions_QVS.log", [Session("C:\\Docs\\One.qvw", datetime.now() - timedelta(days=2), "ann")])
    argv = [sys.executable, "-m", "qvupload", "assess", str(docs), "--report", str(tmp_path / "out" / "r.html")]
    done = subprocess.run([*argv, "--usage-logs", str(logs)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 document: 1 ready, 0 to review, 0 unreadable." in done.stdout
    assert "Usage: 1 sessions in 1 log file(s), 0 malformed line(s) skipped" in done.stdout
    assert (tmp_path / "out" / "r.html").is_file() and (tmp_path / "out" / "r.csv").is_file()
    missing = subprocess.run([*argv[:4], str(tmp_path / "nope"), *argv[5:]], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "cannot be found" in missing.stderr
