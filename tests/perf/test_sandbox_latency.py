"""The sandbox answers a call about as fast as Python's own HTTP server can answer anything.

Every test and benchmark talks to the sandbox; a wait the sandbox adds to each call (as Nagle's
algorithm did: the answer's body waited for the client's delayed ACK, 40 ms a call) slows them all
and weighs on qvupload's side of the upload benchmark, which makes more calls than curl. Reference,
measured in the same run: a bare ``http.server`` on loopback answering 200 with a small JSON body
(no Nagle). Target: the sandbox's median ``GET /api/v1/apps/privileges`` at most 5x the reference's.
Run: ``.venv/bin/python -m pytest tests/perf/test_sandbox_latency.py -m perf -s -q``
"""

from __future__ import annotations

import http.server
import statistics
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from qvupload.sandbox import Sandbox
from tests.conftest import persona

CALLS = 60
TARGET_RATIO = 5.0

pytestmark = pytest.mark.perf


class _Bare(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        body = b'{"data": ["a", "b"]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _median_ms(call: Callable[[], httpx.Response]) -> float:
    call()  # the connection is open and warm
    times = []
    for _ in range(CALLS):
        start = time.perf_counter()
        assert call().status_code == 200
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def test_a_call_costs_what_http_costs(sandbox: Sandbox) -> None:
    bare = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Bare)
    threading.Thread(target=bare.serve_forever, daemon=True).start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{bare.server_address[1]}") as client:
            reference = _median_ms(lambda: client.get("/"))
        key = persona(sandbox, "ann")[1]
        with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {key}"}) as client:
            ours = _median_ms(lambda: client.get("/api/v1/apps/privileges"))
    finally:
        bare.shutdown()
        bare.server_close()
    print(
        f"\nmedian of {CALLS} calls on one connection: bare http.server {reference:.2f} ms, "
        f"sandbox {ours:.2f} ms, ratio {ours / reference:.1f} (target <= {TARGET_RATIO:g})"
    )
    assert ours <= TARGET_RATIO * reference
