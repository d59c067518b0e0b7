"""The request a node must send for a payload, worked out by the generator with the code the node
runs (values.py): what a solution's own tests expect, so a hand edit that changes a request fails
them.

    expected_request(node, payload, context, params, now) -> (body or None, why)

None means the node must not call Braze; why is then its BRAZE_ERROR.
"""

from __future__ import annotations

import copy

from .. import values
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
            convert = values.CONVERTERS[tree.as_type]
            args = (tree.format,) if tree.format else ()
            limits = dict(tree.limits)
            answer = payload.get(tree.name)
            return values._value(answer, tree.name, convert, args, tree.default, limits, problems)
        if isinstance(tree, Fill):
            return values._fill(tree.template, tree.names, payload, dict(tree.limits), problems)
        if isinstance(tree, Param):
            return values._param(params, tree.name)
        if isinstance(tree, ContextValue):
            return values._context(context, tree.key)
        if isinstance(tree, Now):
            return now
        raise TypeError(f"not a model value: {tree!r}")

    rules = [(r.kind, r.path, r.keys, r.label) for r in node.rules]
    request, broken = values._settle(build(node.body), rules)
    if any(rule[0] == "must" for rule in broken):
        return None, values._why_missing(broken, payload, problems)
    return request, ""
