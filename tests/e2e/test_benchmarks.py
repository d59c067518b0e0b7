"""benchmarks/run.py still works: its specs are valid, its edit changes one node, its node
calls run. Nothing here is timed; the figures live in benchmarks/README.md. The generation
part runs whole commands for tens of seconds: `python benchmarks/run.py --quick` checks it.
"""

from __future__ import annotations

import importlib
import sys

import pytest
from helpers import REPO

from pypestream_braze.mapping.reader import load_solution
from pypestream_braze.solution.generate import prepare


@pytest.fixture(scope="module")
def bench():
    # Importable by name, so that the stand-in server's process (spawned) can import it too.
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        yield importlib.import_module("run")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
        sys.modules.pop("run", None)


def test_the_synthetic_spec_is_valid_and_covers_the_endpoints(bench, tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(bench.spec(7), encoding="utf-8")
    solution, warnings = load_solution(path)
    assert warnings == []
    assert len(solution.nodes) == 7
    endpoints = {node.endpoint.path for node in solution.nodes}
    assert endpoints == {"users/track", "canvas/trigger/send", "messages/send", "users/export/ids"}


def test_changing_one_node_changes_one_node_module(bench, tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(bench.spec(3), encoding="utf-8")
    before = prepare(path).files
    bench.change_one_node(path)
    after = prepare(path).files
    changed = {p for p in after if after[p] != before.get(p) and p.startswith("bench_solution/")}
    assert changed == {"bench_solution/actions/BrazeTrackProfile0.py"}


def test_the_node_calls_are_measured(bench, capsys):
    figures = bench.node_calls(calls=3, tls_calls=2)
    assert figures["threads per call, node"] == 0, "a warm node reuses its worker threads"
    connections = figures["tls"]["connections per call"]
    assert connections["node"] == 0 and connections[bench.PARTNER] == 1
    bench.print_node(figures, 3, 2)
    assert "| node |" in capsys.readouterr().out


def test_a_conversation_over_ten_nodes_is_measured(bench, capsys):
    figures = bench.conversation(rounds=2)
    assert figures[bench.NODES_FRESH]["handshakes"] == [1, 1], "one pool for the ten nodes"
    assert figures[bench.NODES_WARM]["handshakes"] == [0, 0]
    assert figures[bench.PER_NODE]["handshakes"] == [10, 10]
    bench.print_conversation(figures, 2)
    assert "| ten nodes, a later conversation |" in capsys.readouterr().out
