"""A solution's routing, for people: the Mermaid flowchart of ROUTING.md and the terminal summary.

    mermaid(solution) -> str     the flowchart's lines, without the ``` fence
    summary(solution) -> str     what `pypestream-braze routing` prints, within WIDTH columns
                                 but for the Parameter Input, kept on one line to be copied
    table(solution) -> dict      the same as data, for `routing --json`

Both show every node with its number and its true/false/error routes. A route target that is
itself one of the solution's nodes links to that node; the shared error node appears once; a
route that is not set is shown as such rather than left out.
"""

from __future__ import annotations

import json
import textwrap

from ..model import Node, Solution
from . import design_studio

WIDTH = 100
DECISION_VARIABLE = "success"
_LABEL = 20  # width of the summary's field names, indentation included


def mermaid(solution: Solution) -> str:
    lines = ["flowchart TD"]
    declared: set[str] = set()

    def declare(ident: str, shape: str) -> None:
        if ident not in declared:
            declared.add(ident)
            lines.append(f"    {ident}{shape}")

    for node in solution.nodes:
        label = f"{node.routes.node} {node.name}<br/>{node.endpoint.display}"
        declare(_id(node.routes.node), f'["{_label(label)}"]')
    if solution.error_node is not None and solution.node_at(solution.error_node) is None:
        label = f"{solution.error_node} {error_node_name(solution)}"
        declare(_id(solution.error_node), '{{"' + _label(label) + '"}}')
    for node in solution.nodes:
        for _, target in node.routes.targets:
            if target is not None:
                declare(_id(target), f'(("{target}"))')
    if any(node.routes.missing for node in solution.nodes):
        declare("unset", '["not set"]')
    for node in solution.nodes:
        source = _id(node.routes.node)
        for value, target in node.routes.targets:
            if target is None:
                lines.append(f"    {source} -. {value} .-> unset")
            else:
                lines.append(f"    {source} -- {value} --> {_id(target)}")
    return "\n".join(lines) + "\n"


def summary(solution: Solution) -> str:
    count = len(solution.nodes)
    lines = [
        f"{solution.solution}: {count} action node{'s' * (count != 1)}, "
        f"Decision Variable '{DECISION_VARIABLE}'",
        "",
    ]
    for node in solution.nodes:
        lines.extend(_node_summary(solution, node))
        lines.append("")
    if solution.error_node is not None and solution.node_at(solution.error_node) is None:
        lines.append(
            f"{solution.error_node:<6} {error_node_name(solution)} ("
            + (
                "a message with a Start over button; in design_studio.csv)"
                if solution.create_error_node
                else "the solution's own; not in design_studio.csv)"
            )
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def error_node_name(solution: Solution) -> str:
    """The shared error node: created as "Braze error", or the solution's existing handler."""
    return design_studio.ERROR_NODE_NAME if solution.create_error_node else "error handler"


def table(solution: Solution) -> dict:
    """Every node's Design Studio settings and routes, as JSON-ready data."""
    shared = solution.error_node is not None and solution.node_at(solution.error_node) is None
    return {
        "solution": solution.solution,
        "decision_variable": DECISION_VARIABLE,
        "nodes": [
            {
                "node": node.routes.node,
                "command": node.name,
                "endpoint": f"POST /{node.endpoint.path}",
                "parameter_input": node.parameter_input,
                "outputs": [DECISION_VARIABLE, *node.output_variables],
                "routes": dict(node.routes.targets),
                "what_next": node.routes.what_next(),
                "number_assigned": node.number_assigned,
            }
            for node in solution.nodes
        ],
        "error_node": (
            {
                "node": solution.error_node,
                "name": error_node_name(solution),
                "created": solution.create_error_node,
            }
            if shared
            else None
        ),
    }


def route_text(solution: Solution, target: int | None) -> str:
    if target is None:
        return "not set"
    node = solution.node_at(target)
    if node is not None:
        return f"{target} ({node.name})"
    if target == solution.error_node:
        return f"{target} ({error_node_name(solution)})"
    return str(target)


def _node_summary(solution: Solution, node: Node) -> list[str]:
    head = f"{node.routes.node:<6} {node.name}"
    if node.number_assigned:
        head += f"  (number assigned; pin it with routing.node: {node.routes.node})"
    lines = [head]
    routes = "   ".join(
        f"{value} -> {route_text(solution, target)}" for value, target in node.routes.targets
    )
    fields = (
        ("command", node.name),
        ("endpoint", node.endpoint.display),
        ("parameter input", json.dumps(node.parameter_input, ensure_ascii=False)),
        ("outputs", ", ".join((DECISION_VARIABLE, *node.output_variables))),
        ("routes", routes),
        ("what next?", node.routes.what_next() or "(no route set)"),
    )
    for name, value in fields:
        # JSON wrapped across lines is broken JSON once copied from the terminal.
        lines.extend(_field(name, value, wrap=name != "parameter input"))
    if node.routes.missing:
        missing = ", ".join(node.routes.missing)
        lines.extend(_field("", f"incomplete: {missing} not routed; see 'pypestream-braze check'"))
    return lines


def _field(name: str, value: str, wrap: bool = True) -> list[str]:
    first = f"  {name:<{_LABEL - 2}}"
    if not wrap:
        return [first + value]
    return textwrap.wrap(
        value,
        WIDTH,
        initial_indent=first,
        subsequent_indent=" " * _LABEL,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _id(number: int | None) -> str:
    """A Mermaid node id per node number: n1200, nm585 for -585."""
    if number is None:
        return "nunknown"
    return f"n{number}" if number >= 0 else f"nm{-number}"


def _label(text: str) -> str:
    return text.replace('"', "#quot;")
