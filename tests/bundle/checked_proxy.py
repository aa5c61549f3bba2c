"""A loopback relay in front of the sandbox that the program under test runs, so every response
the bundled client gets is checked against Qlik's OpenAPI files (tests/contract.py) on its way.

The sandbox builds its links (tus ``Location`` and the like) from the ``Host`` header, so the
relay sends its own address there and the client keeps talking through it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from tests.contract import ContractChecker

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


@contextmanager
def checked_relay(
    target: str, contract: ContractChecker | None, failures: list[str], checked: list[str]
) -> Iterator[str]:
    """Serve on 127.0.0.1 and yield the relay's URL. Each checked response's ``METHOD path`` goes to
    ``checked``, each contract failure to ``failures`` (the client still gets the response, so the
    test sees what the program made of it too)."""
    lock = threading.Lock()
    client = httpx.Client(base_url=target, timeout=120)

    class Relay(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as the sandbox: no delayed-ACK wait between head and body

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Host"] = "{}:{}".format(*self.server.server_address[:2])
            with lock:
                response = client.request(self.command, self.path, headers=headers, content=body)
                if contract is not None:
                    checked.append(f"{self.command} {self.path}")
                    try:
                        contract.check(response)
                    except AssertionError as exc:  # the response breaks Qlik's spec
                        failures.append(str(exc))
            self.send_response(response.status_code)
            for key, value in response.headers.multi_items():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _relay

    server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://{}:{}".format(*server.server_address[:2])
    finally:
        server.shutdown()
        server.server_close()
        client.close()
