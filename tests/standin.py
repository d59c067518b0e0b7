"""A strict stand-in for Braze: a real HTTP/1.1 server on 127.0.0.1 that answers from a script.

Each request takes the next scripted Reply: a status, a JSON or raw body, headers (their names
sent exactly as given, lower case included), a delay before answering, a body trickled out
slowly, or a reset: the request is read, then the connection is closed without an answer.
Every request is recorded with its body and the client's (host, port), so connection reuse and
"sent exactly once" can be asserted. A request with no reply left is a failure of the test.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 201
    body: Any = field(default_factory=lambda: {"message": "success"})  # dict/list: JSON
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0  # seconds before the answer starts
    trickle: float = 0.0  # seconds between the bytes of the body, after the headers
    reset: bool = False  # read the request, then drop the connection without answering


@dataclass
class Seen:
    method: str
    path: str  # as it arrived: URL-encoded, with the query string
    headers: dict[str, str]
    body: bytes
    client: tuple[str, int]
    at: float

    @property
    def json(self):
        return json.loads(self.body) if self.body else None

    @property
    def route(self) -> str:
        """The path without its query string, still URL-encoded."""
        return self.path.partition("?")[0]

    @property
    def query(self) -> str:
        return self.path.partition("?")[2]


class StandIn:
    """answer, when given, decides each reply from the request instead of the script."""

    def __init__(self, port: int = 0, answer: Callable[[Seen], Reply] | None = None):
        self.answer = answer
        self.replies: list[Reply] = []
        self.requests: list[Seen] = []
        self.problems: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def reply(self, status=201, body=None, headers=None, **options) -> StandIn:
        if body is None:
            body = {"message": "success"}
        if isinstance(headers, dict):
            headers = list(headers.items())
        self.replies.append(Reply(status, body, headers or [], **options))
        return self

    @property
    def clients(self) -> list[tuple[str, int]]:
        return [seen.client for seen in self.requests]

    def _next(self, seen: Seen) -> Reply | None:
        with self._lock:
            self.requests.append(seen)
            if self.answer is not None:
                return self.answer(seen)
            if not self.replies:
                self.problems.append(f"unscripted request #{len(self.requests)} {seen.path}")
                return None
            return self.replies.pop(0)

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Braze offers
            timeout = 10  # an idle kept-alive connection is closed after this

            def do_POST(self):
                length = self.headers.get("Content-Length")
                if length is None:
                    stand_in.problems.append(f"POST {self.path} without Content-Length")
                self._answer(self.rfile.read(int(length or 0)))

            def do_GET(self):
                length = self.headers.get("Content-Length")
                if length not in (None, "0") or self.headers.get("Content-Type"):
                    stand_in.problems.append(f"GET {self.path} with a body or a Content-Type")
                self._answer(self.rfile.read(int(length or 0)))

            def _answer(self, raw: bytes):
                seen = Seen(
                    self.command,
                    self.path,
                    dict(self.headers),
                    raw,
                    self.client_address,
                    time.time(),
                )
                reply = stand_in._next(seen)
                if reply is None:
                    return self._send(Reply(599, {"message": "unscripted request"}))
                time.sleep(reply.delay)
                if reply.reset:
                    return self._reset()
                self._send(reply)

            def _send(self, reply: Reply):
                body = reply.body
                if isinstance(body, str):
                    body = body.encode()
                elif not isinstance(body, bytes):
                    body = json.dumps(body).encode()
                try:
                    self.send_response(reply.status)
                    names = {name.lower() for name, _ in reply.headers}
                    if "content-type" not in names:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.flush()
                    if reply.trickle:
                        for index in range(len(body)):
                            self.wfile.write(body[index : index + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(body)
                except OSError:
                    self.close_connection = True  # the client gave up waiting

            def _reset(self):
                """Close without answering; SO_LINGER 0 makes it a TCP reset, not a FIN."""
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                self.connection.close()

            def log_message(self, *args):
                pass

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()
