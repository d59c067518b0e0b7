"""Whether hand-edited nodes still run the generated runtime and build the request their
mapping describes.

A node's runtime is everything below its RUNTIME marker line: it must be what the marker's
SHA-256 says, and the runtime that was generated for it (node_runtime.py). A node's request is
what its `prepare` returns for the node's sample payload: exactly what it would send to Braze
(the body, or the URL of a read). Each hand-edited node is built twice, as it is in the
solution and as it was last generated from the mapping (its baseline in the state, which is
what the mapping gives while the solution is up to date), and every field where the two differ
is reported. Both are built by node_probe.py in a process of its own, so the solution's code
never runs in this one and a broken node is reported, not raised.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import node_runtime
from ..model import Node, Solution
from ..render.samples import sample_payload
from . import endings, state
from .boundary import Folder
from .outcome import Drift
from .untrusted import run_untrusted

PROBE = Path(__file__).with_name("node_probe.py")
TIMEOUT = 20  # seconds for building every edited node, both copies (well under a second each)
ENV = "sandbox"
_ABSENT = object()


def node_drift(root: Path, solution: Solution, edited: Iterable[str]) -> list[Drift]:
    """Drift of every edited node file: an edited runtime, or a request that differs."""
    edited = list(edited)
    return runtime_drift(root, solution, edited) + request_drift(root, solution, edited)


def runtime_drift(root: Path, solution: Solution, edited: Iterable[str]) -> list[Drift]:
    """Every edited node whose runtime part does not match its marker line, or is not the
    runtime that was generated for it (its baseline's, when that is intact)."""
    nodes = {node.path_in(solution.package): node for node in solution.nodes}
    folder = Folder(root)
    recorded = state.read(folder)
    drifts = []
    for path in edited:
        text = folder.text(path) if path in nodes else None
        text = endings.normalised(text) if text is not None else None
        if text is None:
            continue
        why = node_runtime.problem(text)
        generated = state.baseline(folder, path)
        if why is None and recorded is not None and _intact(root, recorded, path):
            theirs, yours = node_runtime.split(generated or ""), node_runtime.split(text)
            if theirs is not None and yours is not None and theirs.runtime != yours.runtime:
                why = "its runtime (below the RUNTIME line) is not the one generated"
        if why:
            drifts.append(Drift(path, f"{nodes[path].name}: {why}", kind="runtime"))
    return drifts


def request_drift(root: Path, solution: Solution, edited: Iterable[str]) -> list[Drift]:
    """Drift of every edited node file whose baseline is intact; [] when none differs."""
    by_path = {node.path_in(solution.package): node for node in solution.nodes}
    recorded = state.read(root)
    nodes = {
        path: by_path[path]
        for path in edited
        if path in by_path and recorded is not None and _intact(root, recorded, path)
    }
    if not nodes or recorded is None or not _intact(root, recorded, f"{solution.package}/app.py"):
        return []
    job = {
        "package": solution.package,
        # The generated copy first: its app.PARAMS are the parameters both copies are given.
        "roots": {
            "generated": str(root / state.STATE_DIR / state.BASELINE_DIR),
            "solution": str(root),
        },
        "env": ENV,
        "context": _context(nodes.values()),
        "nodes": [{"name": n.name, "payload": sample_payload(n)} for n in nodes.values()],
    }
    built, failure = _probe(root, job)
    drifts = []
    for path, node in nodes.items():
        if failure:
            drifts.append(Drift(path, f"{node.name}: its request could not be built: {failure}"))
            continue
        generated = built.get("generated", {}).get(node.name, {})
        yours = built.get("solution", {}).get(node.name, {})
        if "request" not in generated:
            continue  # the generated node itself cannot be built here: nothing to compare with
        if "request" not in yours:
            reason = yours.get("error", "no answer")
            drifts.append(Drift(path, f"{node.name}: its request could not be built: {reason}"))
            continue
        for field, mine, theirs in differences(yours["request"], generated["request"]):
            drifts.append(Drift(path, f"{node.name} {_describe(field, mine, theirs)}"))
    return drifts


def differences(yours, generated, field: str = "") -> Iterator[tuple[str, object, object]]:
    """(field path, your value, the generated value) wherever two JSON trees differ."""
    if isinstance(yours, dict) and isinstance(generated, dict):
        for key in [*generated, *(k for k in yours if k not in generated)]:
            inner = f"{field}.{key}" if field else str(key)
            yield from differences(yours.get(key, _ABSENT), generated.get(key, _ABSENT), inner)
    elif isinstance(yours, list) and isinstance(generated, list):
        for index in range(max(len(yours), len(generated))):
            mine = yours[index] if index < len(yours) else _ABSENT
            theirs = generated[index] if index < len(generated) else _ABSENT
            yield from differences(mine, theirs, f"{field}[{index}]")
    elif _json(yours) != _json(generated):
        yield field or "the body", yours, generated


def _describe(field: str, yours, generated) -> str:
    if yours is _ABSENT:
        return f"leaves out {field}; the mapping sends {_value(generated)}"
    if generated is _ABSENT:
        return f"sends {field} = {_value(yours)}; the mapping leaves it out"
    return f"sends {field} = {_value(yours)}; the mapping gives {_value(generated)}"


def _value(value) -> str:
    text = _json(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json(value) -> str:
    if value is _ABSENT:
        return "<absent>"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _context(nodes: Iterable[Node]) -> dict:
    context = {"env": ENV, "chat_id": "check-chat", "user_data": {}, "events": []}
    for node in nodes:
        for key in node.context_keys:
            context.setdefault(key, f"{key}-sample")
    return context


def _intact(root: Path, recorded: state.State, path: str) -> bool:
    text = state.baseline(root, path)
    return text is not None and recorded.files.get(path) == state.digest(text)


def _probe(root: Path, job: dict) -> tuple[dict, str]:
    with tempfile.TemporaryDirectory(prefix="pypestream-braze-probe-") as home:
        try:
            completed = run_untrusted(
                [sys.executable, "-I", "-B", str(PROBE)], json.dumps(job), home, TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return {}, f"it did not finish within {TIMEOUT} s"
        except OSError as err:
            return {}, err.strerror or str(err)
    try:
        return json.loads(completed.stdout), ""
    except json.JSONDecodeError:
        lines = completed.stderr.strip().splitlines()
        return {}, (lines[-1][:200] if lines else f"exit status {completed.returncode}")
