"""Build the request of action nodes from two copies of a solution, in a process of its own.

`check SOLUTION_DIR` runs this file with `python -I -B`: hand-edited node code is imported and
called here, never in the command's own process, so a node that fails to import, raises or
prints cannot disturb the check. It imports nothing from pypestream_braze.

stdin: {"package": str, "roots": {label: folder}, "env": str, "context": {...},
        "nodes": [{"name": str, "payload": {...}}]}
stdout: {label: {node name: {"request": body as sent} or {"error": "what went wrong"}}}

Each copy's nodes are called with the parameters of the first copy's app.PARAMS, so only the
nodes' code is compared, and with the clock stopped, so "now" is the same moment in both.
"""

import importlib
import json
import sys
from datetime import UTC, datetime

MOMENT = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)


class _StoppedClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return MOMENT.astimezone(tz) if tz is not None else MOMENT.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return MOMENT.replace(tzinfo=None)


def _forget(package):
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def _build(package, name, payload, context, params):
    try:
        module = importlib.import_module(f"{package}.actions.{name}")
        if getattr(module, "datetime", None) is datetime:
            module.datetime = _StoppedClock
        node = getattr(module, name)()
        prepared, _why = node.prepare(dict(payload), context, params, lambda line: None)
        if prepared is None:
            request = None  # the node would not call Braze
        elif prepared["json"] is not None:
            request = prepared["json"]  # the body as the node sends it
        else:
            request = {"url": prepared["url"]}  # a read: what it asks is all in its URL
        json.dumps(request)  # what Braze would receive must be JSON
        return {"request": request}
    except BaseException as err:  # a broken node is reported, never raised
        return {"error": f"{type(err).__name__}: {err}"[:300]}


def main():
    job = json.load(sys.stdin)
    package = job["package"]
    results = {}
    params = None
    for label, root in job["roots"].items():
        _forget(package)
        sys.path.insert(0, root)
        try:
            if params is None:
                try:
                    params = dict(importlib.import_module(f"{package}.app").PARAMS[job["env"]])
                except BaseException as err:
                    params = {}
                    print(f"app.PARAMS unreadable: {type(err).__name__}: {err}", file=sys.stderr)
            results[label] = {
                node["name"]: _build(package, node["name"], node["payload"], job["context"], params)
                for node in job["nodes"]
            }
        finally:
            sys.path.remove(root)
    return results


if __name__ == "__main__":
    stdout = sys.stdout
    sys.stdout = sys.stderr  # whatever a node prints must not mix with the answer
    answer = main()
    stdout.write(json.dumps(answer, default=repr))
    stdout.flush()
