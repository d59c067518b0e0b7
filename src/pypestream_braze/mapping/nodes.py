"""The spec's `nodes`: each item read by node.py, then what must hold across them: one node per
name and per Design Studio number, renames that name a node no longer there, outputs that
another node reads as an input, and the shared error node's number kept free.

    read_nodes(report, entry, defaults, environments) -> [Node, ...]
"""

from __future__ import annotations

from ..model import Environment, Node
from .node import read_node
from .outputs import warn_outputs_read_as_inputs
from .report import Report, value_of
from .source import Node as YamlNode


def read_nodes(
    report: Report, entry, defaults: dict, environments: tuple[Environment, ...]
) -> list[Node]:
    """The nodes of the `nodes` entry (key node, value node), in the spec's order."""
    if entry is None:
        return []
    seq = report.sequence(entry[1], "nodes")
    if seq is None:
        return []
    if not seq.value:
        report.error(seq, "nodes is empty; add at least one node")
    nodes: list[Node] = []
    names: dict[str, YamlNode] = {}
    numbers: dict[int, YamlNode] = {}
    declared = set().union(*(env.params for env in environments)) if environments else set()
    items: list[YamlNode] = []
    for index, item in enumerate(seq.value):
        node = read_node(report, item, index, defaults, declared)
        if node is None:
            continue
        where = value_of(item, "name") or item
        clash = next((n for n in names if n.lower() == node.name.lower()), None)
        if clash is not None:
            line = report.source.at(names[clash]).line
            if clash == node.name:
                why = f"is used twice (also line {line}); each node is its own class and file"
            else:
                why = (
                    f"differs from {clash!r} in case only (also line {line}); file names "
                    "ignore case on macOS and Windows, so the two files would be one"
                )
            report.error(where, f"node name {node.name!r} {why}: rename one")
        names.setdefault(node.name, where)
        if node.routes.node is not None:
            at = value_of(value_of(item, "routing") or item, "node") or item
            if node.routes.node in numbers:
                line = report.source.at(numbers[node.routes.node]).line
                report.error(
                    at,
                    f"node number {node.routes.node} is used twice (also line {line}); "
                    "give each node its own Design Studio node number",
                )
            numbers.setdefault(node.routes.node, at)
        nodes.append(node)
        items.append(item)
    warn_outputs_read_as_inputs(report, nodes, items)
    _check_renames(report, nodes, items, names)
    error_node = defaults["error_node"]
    if error_node is not None and error_node in numbers:
        report.error(
            numbers[error_node],
            f"node number {error_node} is also defaults.error_node, the shared error node "
            "design_studio.csv adds; give this node another number or choose another "
            "error_node",
        )
    return nodes


def _check_renames(
    report: Report, nodes: list[Node], items: list[YamlNode], names: dict[str, YamlNode]
) -> None:
    """renamed_from names a node that is no longer in the spec, and only one node's."""
    claimed: dict[str, YamlNode] = {}
    for node, item in zip(nodes, items, strict=True):
        old = node.renamed_from
        if old is None:
            continue
        at = value_of(item, "renamed_from") or item
        if old == node.name:
            report.error(
                at, f"{node.name}: renamed_from names the node itself; remove renamed_from"
            )
        elif old in names:
            line = report.source.at(names[old]).line
            report.error(
                at,
                f"{node.name}: renamed_from {old!r} is the name of another node (line "
                f"{line}); renamed_from gives the name this node had before, which no node "
                "has now",
            )
        elif old in claimed:
            line = report.source.at(claimed[old]).line
            report.error(
                at,
                f"{node.name}: renamed_from {old!r} is also given on line {line}; only one "
                "node can have been called that",
            )
        claimed.setdefault(old, at)
