"""Timing of the generator and of a generated node, on synthetic specs of growing size.

    python benchmarks/run.py [--repeat 5]

Prints a Markdown table of medians; the figures measured are kept in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pypestream_braze.mapping import source
from pypestream_braze.mapping.reader import load_solution
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import regen
from pypestream_braze.solution.generate import prepare, write_new

NODE = """\
  - name: BrazeTrack{n}
    endpoint: users/track
    identifier: {{external_id: "{{USER_ID}}"}}
    body:
      attributes:
        - first_name: "{{FIRST_NAME}}"
          email: {{var: EMAIL, as: email}}
          dob: {{var: DATE_OF_BIRTH, as: date, format: "%m/%d/%Y"}}
          home_city: "{{CITY}}"
      events:
        - name: step_{n}
          properties: {{chat_id: {{context: chat_id}}}}
    routing: {{node: {number}, success: {success}, failure: {failure}, error: 99990}}
"""
HEAD = """\
version: 1
customer: Bench
solution: BenchSolution
environments:
  sandbox: {instance: US-01}
  live: {instance: US-05}
nodes:
"""


NODE_COUNTS = (1, 10, 50)


def spec(nodes: int) -> str:
    return HEAD + "".join(
        NODE.format(n=n, number=1000 + n * 10, success=1001 + n * 10, failure=1002 + n * 10)
        for n in range(nodes)
    )


def cold(action, argument):
    """action(argument) in a fresh process's state: nothing formatted yet."""
    formatting._format.cache_clear()
    return action(argument)


def median_ms(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def generator_rows(repeat: int) -> list[tuple]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for nodes in NODE_COUNTS:
            path = Path(folder) / f"spec{nodes}.yaml"
            path.write_text(spec(nodes), encoding="utf-8")
            root = Path(folder) / f"solution{nodes}"
            write_new(root, prepare(path))
            rows.append(
                (
                    nodes,
                    median_ms(lambda p=path: source.load(p), repeat),
                    median_ms(lambda p=path: load_solution(p), repeat),
                    median_ms(lambda p=path: cold(prepare, p), repeat),
                    median_ms(lambda p=path: prepare(p), repeat),
                    median_ms(lambda r=root: cold(regen.plan, r), repeat),
                )
            )
    return rows


class _Braze(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Without it, Nagle's algorithm and delayed ACKs add 40 ms to every loopback answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b'{"message": "success"}'
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def node_rows(calls: int) -> list[tuple]:
    import importlib
    import sys

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Braze)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.yaml"
        path.write_text(spec(1), encoding="utf-8")
        prepared = prepare(path)
        for relative, text in prepared.files.items():
            target = Path(folder) / "solution" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        sys.path.insert(0, str(Path(folder) / "solution"))
        app = importlib.import_module("bench_solution.app")
        module = importlib.import_module("bench_solution.actions.BrazeTrack0")
        app.PARAMS["sandbox"].update(
            braze_url=f"http://127.0.0.1:{server.server_address[1]}", braze_api_key="k"
        )
        node = module.BrazeTrack0()
        payload = {
            "USER_ID": "u-1",
            "FIRST_NAME": "Ada",
            "EMAIL": "ada@example.com",
            "DATE_OF_BIRTH": "04/01/1990",
            "CITY": "London",
        }
        context = {"env": "sandbox", "chat_id": "c-1"}
        params = app.PARAMS["sandbox"]
        build = median_ms(lambda: node.build_request(payload, context, params), calls) * 1000
        say = lambda line: None  # noqa: E731
        ready = median_ms(lambda: node.prepare(payload, context, params, say), calls) * 1000
        call = median_ms(lambda: node.execute(say, payload, context), calls)
    server.shutdown()
    return [
        ("build the body (µs)", build),
        ("prepare the request: build, settle, URL (µs)", ready),
        ("execute against 127.0.0.1, keep-alive (ms)", call),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| nodes | YAML load | load + validate | generate (cold) | (warm) | regen plan |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for nodes, load, validate, render, warm, plan in generator_rows(args.repeat):
        print(
            f"| {nodes} | {load:.1f} ms | {validate:.1f} ms | {render:.0f} ms | {warm:.0f} ms "
            f"| {plan:.0f} ms |"
        )
    print()
    print("| generated node | median |")
    print("| --- | ---: |")
    for what, value in node_rows(200):
        print(f"| {what} | {value:.2f} |")


if __name__ == "__main__":
    main()
