"""A local stand-in for Braze: a real HTTP server on 127.0.0.1 that answers from a script."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from acme_claims import app


class StandIn:
    """Answers each request with the next scripted reply and records it: its method, its path
    as it arrived (URL-encoded), its query string, headers and JSON body (None if none).

    A reply with reset=True reads the request, then closes the connection unanswered; one
    with trickle sends its body a byte at a time, trickle seconds apart.
    """

    def __init__(self):
        self.replies = []
        self.requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        serve = threading.Thread(target=self.server.serve_forever, args=(0.05,))
        serve.daemon = True
        serve.start()

    def reply(
        self, status=201, body=None, headers=None, delay=0.0, reset=False, trickle=0.0
    ):
        if body is None:
            body = {"message": "success"}
        self.replies.append((status, body, headers or {}, delay, reset, trickle))

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._record()

            def do_POST(self):
                self._record()

            def _record(self):
                route, _, query = self.path.partition("?")
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                stand_in.requests.append(
                    {
                        "method": self.command,
                        "path": route,
                        "query": query,
                        "headers": dict(self.headers),
                        "json": json.loads(raw) if raw else None,
                    }
                )
                status, body, headers, delay, reset, trickle = (
                    stand_in.replies.pop(0)
                    if stand_in.replies
                    else (201, {}, {}, 0, False, 0)
                )
                time.sleep(delay)
                if reset:
                    self.close_connection = True
                    self.connection.close()
                    return
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    for start in range(0, len(data), 1 if trickle else len(data) or 1):
                        self.wfile.write(data[start : start + 1] if trickle else data)
                        self.wfile.flush()
                        time.sleep(trickle)
                except OSError:
                    pass  # the node gave up waiting, as it should

            def log_message(self, *args):
                pass

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def stand_in():
    """One server for the whole run: starting and stopping one per test costs more than the
    tests themselves."""
    server = StandIn()
    yield server
    server.close()


@pytest.fixture
def braze(stand_in, monkeypatch):
    """The stand-in, with no reply scripted and no request seen yet, and every environment of
    app.PARAMS pointed at it."""
    stand_in.replies.clear()
    stand_in.requests.clear()
    for env in ("sandbox", "live"):
        params = dict(app.PARAMS[env], braze_url=stand_in.url, braze_api_key="test-key")
        monkeypatch.setitem(app.PARAMS, env, params)
    return stand_in


def pytest_generate_tests(metafunc):
    """Each answer a node cannot do without is a test of its own (node_contract.Refusals)."""
    if "refusal" in metafunc.fixturenames:
        refusals = metafunc.cls.REFUSALS
        metafunc.parametrize(
            "refusal", refusals, ids=[",".join(m) for m, _ in refusals]
        )
