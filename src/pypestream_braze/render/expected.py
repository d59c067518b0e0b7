"""The request a node must send for a payload, worked out by the generator with the code the node
runs (runtime.py): what a solution's own tests expect, so a hand edit that changes a request fails
them.

    expected_request(node, payload, context, params, now) -> (request or None, why)

A request is {"method", "path", "query", "json"}: the path URL-encoded as it goes on the wire,
the query string ("" when there is none) and the JSON body (None for a GET). None means the
node must not call Braze; why is then its BRAZE_ERROR.
"""

from __future__ import annotations

import copy

from .. import runtime, values
from ..model import SPREAD_IDENTIFIER, Const, ContextValue, Fill, Node, Now, Param, Var


def expected_request(
    node: Node, payload: dict, context: dict, params: dict, now: str
) -> tuple[dict | None, str]:
    problems: dict[str, str] = {}

    def build(tree):
        if isinstance(tree, dict):
            built = {}
            for key, child in tree.items():
                if key == SPREAD_IDENTIFIER:
                    built.update(build(child))
                else:
                    built[key] = build(child)
            return built
        if isinstance(tree, list):
            return [build(item) for item in tree]
        return leaf(tree)

    def leaf(tree):
        if isinstance(tree, Const):
            return copy.deepcopy(tree.value)
        if isinstance(tree, Var):
            convert = values.VALUE_TYPES[tree.as_type].converter
            args = tree.converter_args
            limits = dict(tree.limits)
            answer = payload.get(tree.name)
            return runtime._value(answer, tree.name, convert, args, tree.default, limits, problems)
        if isinstance(tree, Fill):
            return runtime._fill(tree.template, tree.names, payload, dict(tree.limits), problems)
        if isinstance(tree, Param):
            return runtime._param(params, tree.name)
        if isinstance(tree, ContextValue):
            return runtime._context(context, tree.key)
        if isinstance(tree, Now):
            return (
                now
                if tree.after is None
                else runtime._iso(runtime._moment(now) + values.duration(tree.after))
            )
        raise TypeError(f"not a model value: {tree!r}")

    def settle(tree, rules):
        return runtime._settle(tree, [(r.kind, r.path, r.keys, r.label) for r in rules])

    built_path, built = build(node.path), build(node.body)
    refused = runtime._unusable(payload, problems, node.required, node.strict)
    if refused:
        return None, refused
    path, broken = settle(built_path, node.path_rules)
    data, more = settle(built, node.rules)
    broken += more
    if any(rule[0] == "must" for rule in broken):
        return None, runtime._why_missing(broken, payload, problems)
    try:
        route = runtime._url_path(node.endpoint.path, path)
    except ValueError as err:
        return None, str(err)
    if node.endpoint.takes == "query":
        return {
            "method": "GET",
            "path": "/" + route,
            "query": runtime._query_string(data),
            "json": None,
        }, ""
    return {"method": node.endpoint.method, "path": "/" + route, "query": "", "json": data}, ""


def expected_outputs(node: Node) -> dict[str, str]:
    """The output variables a node sets from Braze's documented answer to its endpoint."""
    answer = node.endpoint.answer.example
    return {o.variable: runtime._output_text(runtime._at(answer, o.path)) for o in node.outputs}
