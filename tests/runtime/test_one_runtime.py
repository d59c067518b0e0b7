"""Every node of a solution in one process shares one runtime: one connection pool per Braze
host and one watchdog thread, however many nodes are imported, imported again or called from
how many threads, and a forked process gets its own.

The nodes run in a fresh Python process (so nothing earlier in this one is counted) against
a stand-in for Braze in this one; threads and sockets are counted there with psutil.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
import yaml
from helpers import MAPPINGS, PARTNER_ANSWERS, write_files
from standin import Reply, StandIn

from pypestream_braze.render.expected import expected_request
from pypestream_braze.render.files import TEST_CONTEXT, TEST_NOW
from pypestream_braze.render.samples import sample_payload
from pypestream_braze.solution.generate import prepare

NODES = 30
THREADS = 4
SLOW_USER = "slow-user"  # the stand-in trickles its answer to a request naming this user


def _example(name: str, endpoint: str) -> dict:
    document = yaml.safe_load((MAPPINGS / name).read_text(encoding="utf-8"))
    return next(node for node in document["nodes"] if node["endpoint"] == endpoint)


def spec() -> str:
    """NODES nodes, in turn: users/track, canvas/trigger/send, users/export/ids, and a GET."""
    rotation = [
        _example("partner_example.yaml", "users/track"),
        _example("canvas_trigger_send.yaml", "canvas/trigger/send"),
        _example("users_export_ids.yaml", "users/export/ids"),
        _example("subscription_status_get.yaml", "subscription/status/get"),
    ]
    nodes = []
    for number in range(NODES):
        node = dict(rotation[number % len(rotation)], name=f"BrazeNode{number}")
        node["routing"] = {"node": 1000 + 10 * number, "success": 5000, "failure": 5010}
        node.pop("outputs", None)
        nodes.append(node)
    params = {}
    for name in (
        "partner_example.yaml",
        "canvas_trigger_send.yaml",
        "subscription_status_get.yaml",
    ):
        document = yaml.safe_load((MAPPINGS / name).read_text(encoding="utf-8"))
        params.update(document["environments"]["sandbox"].get("params", {}))
    return yaml.safe_dump(
        {
            "version": 1,
            "customer": "Acme",
            "solution": "ManyNodes",
            "environments": {
                "sandbox": {"instance": "US-01", "params": params},
                "live": {"instance": "US-05", "params": params},
            },
            "defaults": {"timeout": 8, "error_node": 99990},
            "nodes": nodes,
        },
        sort_keys=False,
    )


# Runs in the fresh process: argv[1] is a JSON job.
SCRIPT = textwrap.dedent("""
    import importlib, json, os, sys, threading, time
    import psutil

    job = json.loads(sys.argv[1])
    sys.path.insert(0, job["root"])
    app = importlib.import_module(job["package"] + ".app")
    for params in app.PARAMS.values():
        params.update(braze_url=job["url"], braze_api_key="sandbox-key-0123456789")
    names = sorted(job["payloads"])
    modules = {n: importlib.import_module(job["package"] + ".actions." + n) for n in names}
    context = {"env": "sandbox", "chat_id": "chat-1"}

    def call(name, payload=None):
        node = getattr(modules[name], name)()
        return node.execute(lambda line: None, dict(payload or job["payloads"][name]), context)

    def port():
        return int(job["url"].rsplit(":", 1)[1])

    def sockets():
        mine = psutil.Process().net_connections(kind="tcp")
        return len([c for c in mine if c.raddr and c.raddr.port == port()])

    def watchdogs():
        return [t for t in threading.enumerate() if t.name == "pypestream-braze watchdog"]

    answers, slow = [], []

    def converse(offset):
        for step in range(len(names)):
            answers.append(call(names[(offset + step) % len(names)])["success"])

    def trickled():
        modules[job["slow"]].TIME_BUDGET = 1.0
        for _ in range(2):
            started = time.monotonic()
            payload = dict(job["payloads"][job["slow"]], USER_ID=job["slow_user"])
            slow.append((call(job["slow"], payload)["success"], time.monotonic() - started))

    threads = [threading.Thread(target=converse, args=(7 * k,)) for k in range(job["threads"])]
    threads.append(threading.Thread(target=trickled))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = {
        "answers": answers,
        "slow": slow,
        "threads": [t.name for t in threading.enumerate()],
        "sockets": sockets(),
    }

    reloaded = importlib.reload(modules[names[0]])  # the platform imports the file again
    modules[names[0]] = reloaded
    result["after reload"] = call(names[0])["success"]
    result["watchdogs after reload"] = len(watchdogs())

    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # a server that imported the nodes, then forked a worker
        os.close(reading)
        answer = call(names[1])["success"]
        report = {"answer": answer, "threads": [t.name for t in threading.enumerate()]}
        os.write(writing, json.dumps(report).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        result["child"] = json.loads(pipe.read())
    os.waitpid(pid, 0)
    result["parent after fork"] = call(names[2])["success"]
    result["watchdogs at the end"] = len(watchdogs())
    print(json.dumps(result))
    """)


@pytest.fixture(scope="module")
def solution(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many")
    (folder / "mapping.yaml").write_text(spec(), encoding="utf-8")
    prepared = prepare(folder / "mapping.yaml")
    return write_files(folder / "solution", prepared.files), prepared


def test_every_node_of_a_solution_shares_one_runtime_per_process(solution):
    root, prepared = solution
    sandbox = next(e for e in prepared.solution.environments if e.name == "sandbox").params
    replies: dict[str, Reply] = {}
    payloads = {}
    for node in prepared.solution.nodes:
        payload = dict(sample_payload(node))
        payload.update({k: v for k, v in PARTNER_ANSWERS.items() if k in payload})
        expected, _ = expected_request(node, payload, TEST_CONTEXT, sandbox, TEST_NOW)
        route = expected["path"]
        replies[route] = Reply(node.endpoint.success_status, node.endpoint.answer.example)
        payloads[node.name] = payload

    def answer(seen):
        if SLOW_USER.encode() in seen.body:
            return Reply(201, {"message": "success", "padding": "x" * 80}, trickle=0.05)
        return replies[seen.route]

    braze = StandIn(answer=answer)
    track = next(n.name for n in prepared.solution.nodes if n.endpoint.path == "users/track")
    job = {
        "root": str(root),
        "package": prepared.solution.package,
        "url": braze.url,
        "payloads": payloads,
        "threads": THREADS,
        "slow": track,
        "slow_user": SLOW_USER,
    }
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, json.dumps(job)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        braze.close()
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    elapsed = time.monotonic() - started

    # Every conversation in time got its answer; the trickling one was cut at its budget.
    assert result["answers"] == ["true"] * (NODES * THREADS)
    assert [success for success, _ in result["slow"]] == ["error", "error"]
    assert all(seconds < 1.5 for _, seconds in result["slow"]), result["slow"]
    # One watchdog, and the threads that called; a few sockets to the one Braze host.
    assert result["threads"] == ["MainThread", "pypestream-braze watchdog"]
    assert 1 <= result["sockets"] <= THREADS + 1, result["sockets"]
    # A node imported again works on, with the same runtime.
    assert result["after reload"] == "true"
    assert result["watchdogs after reload"] == 1
    # A forked process has a runtime of its own: its own watchdog and connection.
    assert result["child"] == {
        "answer": "true",
        "threads": ["MainThread", "pypestream-braze watchdog"],
    }
    assert result["parent after fork"] == "true"
    assert result["watchdogs at the end"] == 1
    parent = {seen.client for seen in braze.requests[:-2]}
    child = braze.requests[-2].client
    assert child not in parent, "the child connected afresh"
    assert braze.problems == []
    assert elapsed < 60
