"""What the spec an earlier generation read says of its nodes, read leniently.

    earlier_nodes(text) -> {node name: Earlier(number, endpoint)}

The baseline of a solution's mapping.yaml is the spec its last generation read. This version
may no longer accept it as a whole (a rule added since), so it is not read as a spec: only each
node's name, routing.node and endpoint, and what does not read as those is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .endpoint_name import endpoint_parts
from .report import key_text
from .source import MappingNode, ScalarNode, SequenceNode, load

_NUMBER = re.compile(r"-?[0-9]{1,10}")


@dataclass(frozen=True)
class Earlier:
    number: int | None  # its routing.node; None when the generator assigned one
    endpoint: str | None  # the endpoint's path, without the method


def earlier_nodes(text: str) -> dict[str, Earlier]:
    try:
        root = load("mapping.yaml", text).root
    except Exception:  # SpecError, or worse: a text that is no spec tells nothing
        return {}
    nodes = _child(root, "nodes")
    found: dict[str, Earlier] = {}
    for item in nodes.value if isinstance(nodes, SequenceNode) else ():
        name = _text(_child(item, "name"))
        if name is None:
            continue
        number = _text(_child(_child(item, "routing"), "node"))
        endpoint = _text(_child(item, "endpoint"))
        found[name] = Earlier(
            int(number) if number is not None and _NUMBER.fullmatch(number) else None,
            endpoint_parts(endpoint)[1] if endpoint is not None else None,
        )
    return found


def _child(node, key: str):
    if isinstance(node, MappingNode):
        return next((value for k, value in node.value if key_text(k) == key), None)
    return None


def _text(node) -> str | None:
    if isinstance(node, ScalarNode) and node.tag.endswith((":str", ":int")):
        return node.value.strip()
    return None
