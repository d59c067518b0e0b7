"""Speed of the generator from the command line, and of a generated node's call.

    python benchmarks/run.py              # 1, 50 and 200 nodes, medians of 5 runs each
    python benchmarks/run.py --quick      # one node, one run, few calls: does it still work?
    python benchmarks/run.py --help       # sizes, repeats, calls, parts to skip

Generation: every command runs as its own process, `pypestream-braze ...` as users run it,
next to the floor: black formatting the same final files once, in one process. The runs are
interleaved (every figure once, then every figure again...) so that a disturbance on a
shared machine touches all of them alike; each figure is the median of its runs, and the
table gives seconds and the ratio to the floor. "cold" runs get an empty formatting cache,
"warm" ones the cache an earlier run of the same command left.

Node calls: a generated users/track node against a keep-alive HTTP server on 127.0.0.1, call
by call next to a bare `requests.Session().post` of the same body, and against a TLS server
(a trustme test certificate) next to the partner sample's pattern, `requests.post` with a new
connection per call. Then a conversation that walks ten different nodes of one solution over
TLS, in one process: its time and TLS handshakes against the same ten requests through one
bare keep-alive Session, ten Sessions (one per node) and the partner sample's pattern.

The specs are built from the examples in mappings/: users/track nodes with conversions and an
event, plus canvas/trigger/send, messages/send and users/export/ids nodes, in that rotation.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib
import os
import platform
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MAPPINGS = REPO / "mappings"
CACHE_VAR = "PYPESTREAM_BRAZE_CACHE_DIR"
PARTNER = "partner sample: requests.post, new connection"

# What the conversation collects for the users/track node, as Pypestream passes it.
PAYLOAD = {
    "USER_ID": "user-123",
    "FIRST_NAME": "Ada",
    "LAST_NAME": "Lovelace",
    "EMAIL": "ada@example.com",
    "DATE_OF_BIRTH": "04/01/1990",
    "CITY": "London",
    "OPERATING_SYSTEM": "iOS",
}
CONTEXT = {"env": "sandbox", "chat_id": "chat-1"}

FLOOR = """\
import sys
from pathlib import Path

import black

MODE = black.Mode(target_versions={black.TargetVersion.PY38})  # the generator's mode
root = Path(sys.argv[1])
for path in sorted(root.rglob("*.py")):
    if ".pypestream-braze" not in path.parts:
        black.format_str(path.read_text(encoding="utf-8"), mode=MODE)
"""

# The same, with the runtime that every node carries below its RUNTIME line formatted once, as
# if it were a module of its own: black's floor on the code that differs from node to node.
FLOOR_RUNTIME_ONCE = """\
import sys
from pathlib import Path

import black

from pypestream_braze import node_runtime

MODE = black.Mode(target_versions={black.TargetVersion.PY38})
root = Path(sys.argv[1])
black.format_str(node_runtime.text(), mode=MODE)
for path in sorted(root.rglob("*.py")):
    if ".pypestream-braze" not in path.parts:
        text = path.read_text(encoding="utf-8")
        cut = node_runtime.split(text)
        black.format_str(text if cut is None else cut.part, mode=MODE)
"""


# ---------------------------------------------------------------------------------------------
# Specs


def spec(nodes: int) -> str:
    """A valid spec of `nodes` nodes: track, track, canvas, messages, export, track, ..."""
    track = _example("partner_example.yaml", "users/track")
    rotation = [
        track,
        track,
        _example("canvas_trigger_send.yaml", "canvas/trigger/send"),
        _example("messages_send.yaml", "messages/send"),
        _example("users_export_ids.yaml", "users/export/ids"),
    ]
    declared: dict[str, str] = {}
    for name in ("partner_example.yaml", "canvas_trigger_send.yaml", "messages_send.yaml"):
        declared.update(_load(name)["environments"]["sandbox"].get("params", {}))
    body = []
    for number in range(nodes):
        node = copy.deepcopy(rotation[number % len(rotation)])
        node["name"] = f"{node['name']}{number}"
        node["routing"] = {
            "node": 1000 + 10 * number,
            "success": 9000 + 10 * number,
            "failure": 9001 + 10 * number,
        }
        for event in node.get("body", {}).get("events", []):
            event["name"] = f"{event['name']}_{number}"  # every track node its own event
        if "outputs" in node:  # an output never overwrites a collected input (a warning)
            node["outputs"] = {
                (key if key.startswith("BRAZE_") else f"BRAZE_{key}"): value
                for key, value in node["outputs"].items()
            }
        body.append(node)
    # The params the nodes read, and only those: one no node reads is a warning.
    params = {name: value for name, value in declared.items() if name in _params_read(body)}
    document = {
        "version": 1,
        "customer": "Bench",
        "solution": "BenchSolution",
        "environments": {
            "sandbox": {"instance": "US-01", "params": params},
            "live": {"instance": "US-05", "params": params},
        },
        "defaults": {"timeout": 8, "error_node": 99990},
        "nodes": body,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _params_read(tree) -> set[str]:
    """The names of every {param: NAME} in tree."""
    if isinstance(tree, dict):
        found = {tree["param"]} if set(tree) == {"param"} else set()
        return found.union(*(_params_read(value) for value in tree.values()))
    if isinstance(tree, list):
        return set().union(*(_params_read(item) for item in tree))
    return set()


def _load(name: str) -> dict:
    return yaml.safe_load((MAPPINGS / name).read_text(encoding="utf-8"))


def _example(name: str, endpoint: str) -> dict:
    return next(n for n in _load(name)["nodes"] if n["endpoint"] == endpoint)


def change_one_node(mapping: Path, run: int = 0) -> None:
    """One attribute of one node changed, as a user would edit mapping.yaml: to a variable of
    its own for each run, so that the changed node is never in the formatting cache already."""
    text = mapping.read_text(encoding="utf-8")
    changed = text.replace("home_city: '{CITY}'", f"home_city: '{{TOWN_{run}}}'", 1)
    if changed == text:
        raise RuntimeError(f"{mapping}: no node to change")
    mapping.write_text(changed, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Generation, from the command line


def cli() -> list[str]:
    script = Path(sys.executable).with_name("pypestream-braze")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pypestream_braze"]


def timed(command: list[str], cache: Path | None, cwd: Path | None = None) -> float:
    env = dict(os.environ)
    env[CACHE_VAR] = str(cache) if cache is not None else ""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:  # every figure is of a command that succeeds
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


class Size:
    """Everything one spec size needs: its spec, a solution made from it, the caches."""

    def __init__(self, nodes: int, folder: Path):
        self.nodes = nodes
        self.folder = folder / f"n{nodes}"
        self.folder.mkdir()
        self.mapping = self.folder / "mapping.yaml"
        self.mapping.write_text(spec(nodes), encoding="utf-8")
        self.warm = self.folder / "cache-warm"
        self.runs = 0
        self.solution = self._new(self.folder / "made", self.warm)

    def _new(self, output: Path, cache: Path | None) -> Path:
        command = [*cli(), "new", "--no-input", "--force", "--mapping", str(self.mapping)]
        timed([*command, "--output-dir", str(output)], cache)
        return output / "bench_solution"

    def _fresh(self, name: str) -> Path:
        self.runs += 1
        return self.folder / f"{name}-{self.runs}"

    def measures(self) -> dict[str, Callable[[], float]]:
        return {
            "floor": lambda: timed([sys.executable, "-c", FLOOR, str(self.solution)], None),
            "floor, runtime once": lambda: timed(
                [sys.executable, "-c", FLOOR_RUNTIME_ONCE, str(self.solution)], None
            ),
            "new, cold cache": self.new_cold,
            "new, warm cache": self.new_warm,
            "regen, nothing changed": lambda: timed(
                [*cli(), "regen", str(self.solution)], self.warm
            ),
            "regen, one node changed": self.regen_one,
            "check SOLUTION_DIR": lambda: timed([*cli(), "check", str(self.solution)], self.warm),
        }

    def new_cold(self) -> float:
        cache, output = self._fresh("cache-cold"), self._fresh("new")
        try:
            return timed(self._new_command(output), cache)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(output, ignore_errors=True)

    def new_warm(self) -> float:
        output = self._fresh("new")
        try:
            return timed(self._new_command(output), self.warm)
        finally:
            shutil.rmtree(output, ignore_errors=True)

    def regen_one(self) -> float:
        copy_of = self._fresh("regen") / "bench_solution"
        shutil.copytree(self.solution, copy_of, symlinks=True)
        change_one_node(copy_of / "mapping.yaml", self.runs)
        try:
            return timed([*cli(), "regen", str(copy_of)], self.warm)
        finally:
            shutil.rmtree(copy_of.parent, ignore_errors=True)

    def _new_command(self, output: Path) -> list[str]:
        return [
            *cli(),
            "new",
            "--no-input",
            "--mapping",
            str(self.mapping),
            "--output-dir",
            str(output),
        ]


FIGURES = {
    "floor": "floor",
    "floor-runtime-once": "floor, runtime once",
    "new-cold": "new, cold cache",
    "new-warm": "new, warm cache",
    "regen-noop": "regen, nothing changed",
    "regen-one": "regen, one node changed",
    "check": "check SOLUTION_DIR",
}


def generation(
    sizes: list[int], repeat: int, only: list[str] | None = None
) -> list[tuple[int, dict[str, float]]]:
    names = [FIGURES[key] for key in only or FIGURES]
    with tempfile.TemporaryDirectory(prefix="pypestream-braze-bench-") as folder:
        prepared = [Size(nodes, Path(folder)) for nodes in sizes]
        timings: dict[tuple[int, str], list[float]] = {}
        for _ in range(repeat):
            for size in prepared:
                measures = size.measures()
                for name in names:
                    timings.setdefault((size.nodes, name), []).append(measures[name]())
        return [
            (size.nodes, {name: statistics.median(timings[size.nodes, name]) for name in names})
            for size in prepared
        ]


def startup(repeat: int) -> dict[str, float]:
    """Fixed costs: a bare interpreter importing black and cookiecutter, --help, check FILE."""
    with tempfile.TemporaryDirectory() as folder:
        mapping = Path(folder) / "mapping.yaml"
        mapping.write_text(spec(50), encoding="utf-8")
        commands = {
            "python -c 'import black, cookiecutter.main'": [
                sys.executable,
                "-c",
                "import black, cookiecutter.main",
            ],
            "pypestream-braze --help": [*cli(), "--help"],
            "pypestream-braze check FILE (50 nodes)": [*cli(), "check", str(mapping)],
        }
        timings: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                timings[name].append(timed(command, None))
    return {name: statistics.median(values) for name, values in timings.items()}


def imports(top: int) -> dict[str, list[tuple[float, str]]]:
    """What --help, check FILE and regen import at start: ms per top-level package (the sum of
    its modules' own import times, python -X importtime), the costliest first."""
    with tempfile.TemporaryDirectory() as folder:
        size = Size(1, Path(folder))
        commands = {
            "--help": ["--help"],
            "check FILE": ["check", str(size.mapping)],
            "regen (nothing changed)": ["regen", str(size.solution)],
        }
        report = {}
        for name, arguments in commands.items():
            result = subprocess.run(
                [sys.executable, "-X", "importtime", "-m", "pypestream_braze", *arguments],
                env={**os.environ, CACHE_VAR: str(size.warm)},
                capture_output=True,
                text=True,
            )
            packages: dict[str, float] = {}
            for line in result.stderr.splitlines():
                if not line.startswith("import time:") or "cumulative" in line:
                    continue
                own, _, module = line[len("import time:") :].split("|")
                package = module.strip().split(".")[0]
                packages[package] = packages.get(package, 0.0) + int(own) / 1000
            total = sum(packages.values())
            ranked = sorted(((ms, package) for package, ms in packages.items()), reverse=True)
            report[name] = [(total, "all"), *ranked[:top]]
    return report


# ---------------------------------------------------------------------------------------------
# A generated node's call


class _Braze(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    connections = None  # a shared counter of the connections accepted

    def setup(self):
        super().setup()
        # Without it, Nagle's algorithm and delayed ACKs add 40 ms to every loopback answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.connections.get_lock():
            self.connections.value += 1

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


def _serve(ports, connections, certificate: tuple[str, str] | None) -> None:
    _Braze.connections = connections
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Braze)
    httpd.daemon_threads = True
    if certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    ports.put(httpd.server_address[1])
    httpd.serve_forever()


class Server:
    """A stand-in for Braze in a process of its own, as a remote server would be: its work
    does not compete with the client's threads for the interpreter lock."""

    def __init__(self, certificate: tuple[str, str] | None = None):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        ports = context.Queue()
        self.connections = context.Value("i", 0)
        self.process = context.Process(
            target=_serve, args=(ports, self.connections, certificate), daemon=True
        )
        self.process.start()
        scheme = "https" if certificate else "http"
        self.url = f"{scheme}://127.0.0.1:{ports.get(timeout=60)}"

    def close(self) -> None:
        self.process.terminate()
        self.process.join()


@contextlib.contextmanager
def server(certificate: tuple[str, str] | None = None) -> Iterator[Server]:
    running = Server(certificate)
    try:
        yield running
    finally:
        running.close()


def connections_per_call(running: Server, calls: int, action: Callable[[], object]) -> float:
    before = running.connections.value
    for _ in range(calls):
        action()
    return (running.connections.value - before) / calls


@contextlib.contextmanager
def generated_solution(folder: Path, nodes: int) -> Iterator[tuple]:
    """(prepared, app, {node name: module}) of a solution of `nodes` nodes, imported for real."""
    from pypestream_braze.solution.generate import prepare

    mapping = folder / "mapping.yaml"
    mapping.write_text(spec(nodes), encoding="utf-8")
    with _environment(CACHE_VAR, ""):  # leave the user's formatting cache alone
        prepared = prepare(mapping)
    root = folder / "solution"
    for relative, text in prepared.files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        app = importlib.import_module("bench_solution.app")
        modules = {
            node.name: importlib.import_module(f"bench_solution.actions.{node.name}")
            for node in prepared.solution.nodes
        }
        yield prepared, app, modules
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("bench_solution")]:
            del sys.modules[name]


@contextlib.contextmanager
def generated_node(folder: Path) -> Iterator[tuple]:
    """(module, node, app) of a one-node solution's users/track node, imported for real."""
    with generated_solution(folder, 1) as (_, app, modules):
        module = modules["BrazeTrackProfile0"]
        yield module, module.BrazeTrackProfile0(), app


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


class ThreadCount:
    """How many threads are started while active (patches Thread.start)."""

    def __init__(self):
        self.started = 0
        self.active = False
        real = threading.Thread.start
        count = self

        def start(thread, *args, **kwargs):
            if count.active:
                count.started += 1
            return real(thread, *args, **kwargs)

        self._real, self._patched = real, start

    def __enter__(self):
        threading.Thread.start = self._patched
        return self

    def __exit__(self, *exc):
        threading.Thread.start = self._real


def side_by_side(calls: int, actions: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Each action `calls` times, interleaved call by call; seconds per call. The order turns
    round by one every round, so that no action always runs right after the same other one
    (a thread that just ended, or a handshake, slows whatever comes next)."""
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for action in actions.values():  # one call each first: connections, imports
        action()
    order = list(actions.items())
    for round_ in range(calls):
        turn = round_ % len(order)
        for name, action in order[turn:] + order[:turn]:
            started = time.perf_counter()
            action()
            timings[name].append(time.perf_counter() - started)
    return timings


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else values[0]


def node_calls(calls: int, tls_calls: int) -> dict:
    import requests

    result: dict = {}
    with tempfile.TemporaryDirectory() as folder, generated_node(Path(folder)) as loaded:
        module, node, app = loaded
        params = app.PARAMS["sandbox"]
        api_key = "bench-key-0123456789"
        request, _ = node.prepare(PAYLOAD, CONTEXT, params, lambda line: None)
        body = request["json"]
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {api_key}",
        }

        def call_node():
            answer = node.execute(lambda line: None, dict(PAYLOAD), dict(CONTEXT))
            if answer["success"] != "true":
                raise RuntimeError(f"the node failed: {answer}")

        with server() as braze:
            url = braze.url
            params.update(braze_url=url, braze_api_key=api_key)
            endpoint = f"{url}/{params[module.PATH_KEY]}"
            session = requests.Session()

            def bare_in_a_thread():
                worker = threading.Thread(
                    target=lambda: session.post(endpoint, json=body, headers=headers), daemon=True
                )
                worker.start()
                worker.join()

            result["loopback"] = side_by_side(
                calls,
                {
                    "node": call_node,
                    "bare Session.post": lambda: session.post(endpoint, json=body, headers=headers),
                    "bare Session.post in a new thread": bare_in_a_thread,
                },
            )
            counted = max(1, min(calls, 100))
            call_node()  # the node's worker threads are started once, then reused
            with ThreadCount() as threads:
                threads.active = True
                for _ in range(counted):
                    call_node()
            result["threads per call, node"] = threads.started / counted
            started = time.perf_counter()
            for _ in range(calls):
                node.build_request(PAYLOAD, CONTEXT, params)
            result["build the body"] = (time.perf_counter() - started) / calls
        tls_session = requests.Session()
        result["tls"] = tls(
            tls_calls,
            {
                "node": call_node,
                "bare Session.post": lambda: tls_session.post(
                    f"{params['braze_url']}/{params[module.PATH_KEY]}", json=body, headers=headers
                ),
            },
            params,
            lambda url: (f"{url}/{params[module.PATH_KEY]}", body, headers),
        )
    return result


@contextlib.contextmanager
def tls_server() -> Iterator[Server]:
    """A TLS stand-in for Braze with a trustme certificate that every client trusts."""
    import trustme

    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1")
    with tempfile.TemporaryDirectory() as folder:
        bundle, chain, key = (Path(folder) / name for name in ("ca.pem", "chain.pem", "key.pem"))
        authority.cert_pem.write_to_path(str(bundle))
        issued.private_key_pem.write_to_path(str(key))
        for blob in issued.cert_chain_pems:
            blob.write_to_path(str(chain), append=True)
        with (
            _environment("REQUESTS_CA_BUNDLE", str(bundle)),
            server((str(chain), str(key))) as braze,
        ):
            yield braze


def tls(calls: int, clients: dict[str, Callable[[], object]], params: dict, endpoint_of) -> dict:
    """The clients and the partner sample's pattern against a TLS server, call by call."""
    import requests

    with tls_server() as braze:
        params["braze_url"] = braze.url
        endpoint, body, headers = endpoint_of(braze.url)

        def partner():  # the partner sample's pattern, the body sent as JSON
            requests.post(endpoint, json=body, headers=headers)

        everyone = {**clients, PARTNER: partner}
        return {
            "timings": side_by_side(calls, everyone),
            "connections per call": {
                name: connections_per_call(braze, 20, action) for name, action in everyone.items()
            },
        }


# ---------------------------------------------------------------------------------------------
# A conversation that walks ten nodes, over TLS

WALKED = 10  # nodes one conversation walks
NODES_FRESH = "ten nodes, the first conversation in the process"
NODES_WARM = "ten nodes, a later conversation"
BARE_FRESH = "one bare keep-alive Session, new"
BARE_WARM = "one bare keep-alive Session, warm"
PER_NODE = "ten Sessions, one per node (each node module's own, before)"
PARTNER_TEN = "partner sample: requests.post, ten times"


def conversation(rounds: int) -> dict:
    """A chat that walks ten different nodes of one solution, in one process, over TLS: the
    whole conversation's time and TLS handshakes (connections the server accepted), with the
    nodes' runtime new (the process's first conversation) and warm, against the same ten
    requests through one bare keep-alive Session, through ten Sessions (one per node, as each
    node module kept its own pool before the runtime was shared), and the partner sample's
    pattern. Interleaved round by round, the order turning."""
    import requests

    from pypestream_braze.render.samples import sample_payload

    figures: dict[str, dict[str, list[float]]] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        generated_solution(Path(folder), WALKED) as loaded,
        tls_server() as braze,
    ):
        prepared, app, modules = loaded
        params = app.PARAMS["sandbox"]
        params.update(braze_url=braze.url, braze_api_key="bench-key-0123456789")
        walk = []
        for node in prepared.solution.nodes:
            payload = {**sample_payload(node), **PAYLOAD}
            action = getattr(modules[node.name], node.name)()
            request, _ = action.prepare(payload, CONTEXT, params, lambda line: None)
            walk.append((action, payload, request))
        headers = {"Accept": "application/json", "Authorization": "Bearer bench-key-0123456789"}
        some = next(iter(modules.values()))
        registry = "pypestream_braze_runtime_" + some.RUNTIME.rpartition(":")[2]

        def nodes():
            for action, payload, _ in walk:
                answer = action.execute(lambda line: None, dict(payload), dict(CONTEXT))
                if answer["success"] != "true":
                    raise RuntimeError(f"a node failed: {answer}")

        def nodes_fresh():
            shared = sys.modules.pop(registry, None)  # the next call makes the runtime anew
            if shared is not None and shared.session is not None:
                shared.session.close()
            nodes()

        def posts(post):
            for _, _, request in walk:
                post(request["url"], json=request["json"], headers=headers).raise_for_status()

        warm = requests.Session()

        def bare_fresh():
            with requests.Session() as session:
                posts(session.post)

        def per_node():
            sessions = [requests.Session() for _ in walk]
            for session, (_, _, request) in zip(sessions, walk, strict=True):
                session.post(request["url"], json=request["json"], headers=headers)
            for session in sessions:
                session.close()

        ways = {
            NODES_FRESH: nodes_fresh,
            NODES_WARM: nodes,
            BARE_FRESH: bare_fresh,
            BARE_WARM: lambda: posts(warm.post),
            PER_NODE: per_node,
            PARTNER_TEN: lambda: posts(requests.post),
        }
        for action in ways.values():  # once each first: imports, the warm ones' connections
            action()
        figures = {name: {"seconds": [], "handshakes": []} for name in ways}
        order = list(ways.items())
        for round_ in range(rounds):
            turn = round_ % len(order)
            for name, action in order[turn:] + order[:turn]:
                before = braze.connections.value
                started = time.perf_counter()
                action()
                figures[name]["seconds"].append(time.perf_counter() - started)
                figures[name]["handshakes"].append(braze.connections.value - before)
        warm.close()
    return figures


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> str:
    import black

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        fields = dict(
            (key.strip(), value.strip())
            for key, _, value in (line.partition(":") for line in lscpu.splitlines())
        )
        cpu = f"{fields.get('Model name', cpu)}, {fields.get('CPU(s)', '?')} CPU(s)"
    return (
        f"{cpu}; Python {platform.python_version()}; black {black.__version__}; "
        f"{time.strftime('%Y-%m-%d')}"
    )


def print_generation(rows: list[tuple[int, dict[str, float]]], repeat: int) -> None:
    names = list(rows[0][1])
    floors = [name for name in names if name.startswith("floor")]
    ratio = "(ratio to " + " / ".join(f"the {name}" for name in floors) + ")" if floors else ""
    print(f"Generation, whole processes, medians of {repeat} {ratio}:\n")
    print("| nodes | " + " | ".join(names) + " |")
    print("| ---: |" + " ---: |" * len(names))
    for nodes, figures in rows:
        cells = []
        for name in names:
            cell = f"{figures[name]:.2f} s"
            if not name.startswith("floor") and floors:
                ratios = [f"{figures[name] / figures[floor]:.3f}x" for floor in floors]
                cell += " (" + " / ".join(ratios) + ")"
            cells.append(cell)
        print(f"| {nodes} | " + " | ".join(cells) + " |")
    print()


def print_startup(figures: dict[str, float], repeat: int) -> None:
    print(f"Start-up, whole processes, medians of {repeat}:\n")
    print("| command | time |")
    print("| --- | ---: |")
    for name, value in figures.items():
        print(f"| `{name}` | {value * 1000:.0f} ms |")
    print()


def print_imports(report: dict[str, list[tuple[float, str]]]) -> None:
    print("Imports at start, ms per package (python -X importtime, own times summed):\n")
    for name, rows in report.items():
        listed = ", ".join(f"{module} {ms:.0f}" for ms, module in rows)
        print(f"- `{name}`: {listed}")
    print()


def print_node(figures: dict, calls: int, tls_calls: int) -> None:
    print(f"A generated node's call, {calls} calls on loopback (keep-alive), interleaved, against")
    print("a bare requests.Session().post of the same body:\n")
    _call_table(figures["loopback"], "bare Session.post")
    print(f"- threads started per call, once warm: {figures['threads per call, node']:g}")
    print(f"- building the body: {figures['build the body'] * 1e6:.1f} µs\n")
    print(f"Over TLS (trustme certificate), {tls_calls} calls, interleaved, against the partner")
    print("sample's pattern (a new connection and TLS handshake per call):\n")
    _call_table(figures["tls"]["timings"], PARTNER, faster=True)
    connections = figures["tls"]["connections per call"]
    print("- new connections per call: " + ", ".join(f"{n} {v:g}" for n, v in connections.items()))
    print()


def print_conversation(figures: dict, rounds: int) -> None:
    print(f"A conversation that walks {WALKED} different nodes in one process, over TLS, {rounds}")
    print("rounds, interleaved:\n")
    print("| conversation | median | p90 | TLS handshakes | ratio to one bare Session, median |")
    print("| --- | ---: | ---: | ---: | ---: |")
    base = statistics.median(figures[BARE_FRESH]["seconds"])
    for name, measured in figures.items():
        seconds, handshakes = measured["seconds"], measured["handshakes"]
        p90 = statistics.quantiles(seconds, n=10)[8] if len(seconds) >= 2 else seconds[0]
        shaken = statistics.median(handshakes)
        print(
            f"| {name} | {statistics.median(seconds) * 1000:.1f} ms | {p90 * 1000:.1f} ms "
            f"| {shaken:g} | {statistics.median(seconds) / base:.2f}x |"
        )
    print()


def _call_table(timings: dict[str, list[float]], reference: str, faster: bool = False) -> None:
    """Median and p99 of each, against the reference: as a ratio, or as times faster."""
    base = statistics.median(timings[reference]), p99(timings[reference])
    against = "times faster, " if faster else "ratio, "
    print(f"| call | median | p99 | {against}median | {against}p99 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in timings.items():
        median, tail = statistics.median(values), p99(values)
        ratios = (
            (base[0] / median, base[1] / tail) if faster else (median / base[0], tail / base[1])
        )
        print(
            f"| {name} | {median * 1000:.3f} ms | {tail * 1000:.3f} ms "
            f"| {ratios[0]:.2f}x | {ratios[1]:.2f}x |"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,50,200", help="node counts (default 1,50,200)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--calls", type=int, default=2000, help="node calls (default 2000)")
    parser.add_argument("--tls-calls", type=int, default=300, help="calls over TLS (300)")
    parser.add_argument(
        "--conversations", type=int, default=50, help="ten-node conversations over TLS (50)"
    )
    parser.add_argument("--quick", action="store_true", help="1 node, 1 run, 50 calls")
    parser.add_argument("--no-generation", action="store_true", help="skip the generation table")
    parser.add_argument("--no-node", action="store_true", help="skip the node's calls")
    parser.add_argument("--imports", action="store_true", help="list the slowest imports too")
    parser.add_argument(
        "--only",
        help="generation figures to measure, comma-separated: " + ", ".join(FIGURES),
    )
    args = parser.parse_args(argv)
    only = [key.strip() for key in args.only.split(",")] if args.only else None
    if only and not set(only) <= set(FIGURES):
        parser.error(f"--only: one or more of {', '.join(FIGURES)}")
    if args.quick:
        args.sizes, args.repeat, args.calls, args.tls_calls = "1", 1, 50, 10
        args.conversations = 3
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    print(f"Machine: {machine()}\n")
    if not args.no_generation:
        print_generation(generation(sizes, args.repeat, only), args.repeat)
        if not only:
            print_startup(startup(args.repeat), args.repeat)
    if args.imports:
        print_imports(imports(top=8))
    if not args.no_node:
        print_node(node_calls(args.calls, args.tls_calls), args.calls, args.tls_calls)
        print_conversation(conversation(args.conversations), args.conversations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
