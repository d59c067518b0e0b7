"""A solution checked against the flow it goes into, as Design Studio exported it.

    check(solution, flow, places) -> list[Problem]

Pure (the model, the parsed export and the spec's places in; problems out), so `check --flow`
on a spec or a solution folder and `bundle --flow` give the same verdict. Each problem is at
the spec's line and names the flow's row it is about:

- a route target (success, failure, error) that is neither a node of the flow nor one the
  spec creates: error;
- a node number the flow gives another node (another Command): error naming that node; the same
  number with the same Command is this node from an earlier upload, which a merge replaces;
- `create_error_node` where the flow has that number already: error, unless the row there is
  the error node this tool created in an earlier upload;
- a `{VARIABLE}` the node reads that no node of the flow sets, in its Variable column or, for
  an action node, its Output: warning, with a did-you-mean from the flow's variables.

It lives with the rows it judges: which flow row is "this node" is decided on the rows
design_studio.py renders, with the same rule (flow.same_node) the merge uses.
"""

from __future__ import annotations

import difflib

from ..errors import Level, Location, Problem
from ..mapping.flow import Flow, Row, node_number, same_node
from ..mapping.naming import did_you_mean, shown
from ..mapping.numbering import RESERVED, STEP
from ..mapping.places import Places
from ..model import Solution
from . import design_studio

_ROUTES = ("success", "failure", "error")
_TYPES = {"A": "action node", "D": "decision node"}


def check(solution: Solution, flow: Flow, places: Places) -> list[Problem]:
    generated = design_studio.rows(solution)
    ours = {
        row.line
        for g in generated
        for row in flow.at(node_number(g["Node Number"]))
        if same_node(flow.as_dict(row), g)
    }
    created = {node.routes.node for node in solution.nodes if node.routes.node is not None}
    if solution.create_error_node and solution.error_node is not None:
        created.add(solution.error_node)
    taken = set(flow.numbered) | created
    problems = [
        *_numbers(solution, flow, places, taken),
        *_error_node(solution, flow, places, taken),
        *_routes(solution, flow, places, created),
        *_variables(solution, flow, places, ours),
    ]
    unique = list(dict.fromkeys(problems))  # several nodes may share one defaults line
    return sorted(unique, key=lambda p: (p.location, p.level is not Level.ERROR))


def describe(flow: Flow, row: Row) -> str:
    """'export.csv line 15: action node 5850 'GenerateVeriskToken' (Command ...)'."""
    kind = flow.cell(row, "Node Type").strip()
    what = _TYPES.get(kind, f"node of type {kind!r}" if kind else "node")
    name = flow.cell(row, "Node Name").strip()
    command = flow.cell(row, "Command").strip()
    text = f"{flow.where(row)}: {what} {row.number}"
    if name:
        text += f" {shown(name)}"
    if command:
        text += f" (Command {shown(command)})"
    return text


def _numbers(solution: Solution, flow: Flow, places: Places, taken: set[int]):
    for node in solution.nodes:
        number = node.routes.node
        if number is None:
            continue
        mine = design_studio.action_row(node)
        others = [row for row in flow.at(number) if not same_node(flow.as_dict(row), mine)]
        if not others:
            continue
        at = places.routing(node.name, "node")
        free = _free_number(number, taken)
        if at is None:  # assigned by the generator: nothing in the spec to correct
            yield _error(
                places.node(node.name),
                f"{node.name}: node number {number}, assigned by the generator (the spec "
                f"gives no routing.node), is taken in the flow by {describe(flow, others[0])}; "
                f"pin routing.node to a number the flow does not use, such as {free}",
            )
            continue
        renamed = (
            " (if that is this node under an earlier name, delete it in Design Studio and "
            "export the flow again)"
            if flow.cell(others[0], "Command").strip()
            else ""
        )
        yield _error(
            at,
            f"{node.name}: node number {number} is taken in the flow by "
            f"{describe(flow, others[0])}{renamed}; give routing.node a number the flow does "
            f"not use, such as {free}",
        )


def _error_node(solution: Solution, flow: Flow, places: Places, taken: set[int]):
    number = solution.error_node
    if not solution.create_error_node or number is None:
        return
    mine = design_studio.error_row(number)
    others = [row for row in flow.at(number) if not same_node(flow.as_dict(row), mine)]
    if not others:
        return
    at = places.default("create_error_node") or places.default("error_node") or places.start()
    yield _error(
        at,
        f"defaults.create_error_node adds error node {number}, but the flow has node {number} "
        f"already: {describe(flow, others[0])}; to send errors to that node, remove "
        "create_error_node; to add a new one, give defaults.error_node a number the flow does "
        f"not use, such as {_free_number(number, taken)}",
    )


def _routes(solution: Solution, flow: Flow, places: Places, created: set[int]):
    in_flow = set(flow.numbered)
    size = f"{flow.path}, {len(flow.rows):,} node{'s' * (len(flow.rows) != 1)}"
    for node in solution.nodes:
        for key in _ROUTES:
            target = getattr(node.routes, key)
            if target is None or target in in_flow or target in created:
                continue
            hint = _number_hint(target, in_flow | created)
            fix = f"add node {target} in Design Studio and export the flow again"
            if key == "error" and target == solution.error_node:
                fix += ", or set defaults.create_error_node: true to add an error node there"
            at = places.routing(node.name, key)
            default = places.default("error_node")
            if at is None and key == "error" and default is not None:
                yield _error(
                    default,
                    f"defaults.error_node {target}, where every node's error route leads, is "
                    f"not a node of the flow ({size}){hint}; give a node the flow has, or {fix}",
                )
                continue
            what = f"routing.{key}" if at is not None else f"its {key} route (a default)"
            yield _error(
                at or places.node(node.name),
                f"{node.name}: {what} {target} is not a node of the flow ({size}) nor one "
                f"this spec creates{hint}; route it to a node the flow has, or {fix}",
            )


def _variables(solution: Solution, flow: Flow, places: Places, ours: set[int]):
    known: dict[str, None] = {}  # in the flow's order, for did-you-mean
    for row in flow.rows:
        if row.line in ours:  # this solution's own row from an earlier upload sets nothing new
            continue
        _add(known, flow.cell(row, "Variable"))
        if flow.cell(row, "Command").strip() or flow.cell(row, "Node Type").strip() == "A":
            _add(known, flow.cell(row, "Output"))
    for node in solution.nodes:
        _add(known, ",".join(node.output_variables))
    for node in solution.nodes:
        for variable in node.variables:
            if variable in known:
                continue
            yield Problem(
                places.variable(node.name, variable),
                Level.WARNING,
                f"{node.name} reads {{{variable}}}, which no node of the flow ({flow.path}) "
                f"sets in its Variable column or, for an action node, its Output"
                f"{did_you_mean(variable, known)}: the node would get no value for it; "
                "correct the name, or collect it in the flow first",
            )


def _add(known: dict[str, None], cell: str) -> None:
    for part in cell.replace("\n", ",").split(","):
        if part.strip():
            known.setdefault(part.strip(), None)


def _number_hint(target: int, numbers: set[int]) -> str:
    """A near miss as typed (5865 for 5856, 2010 for 2100), the nearest in value of those."""
    close = difflib.get_close_matches(str(target), [str(n) for n in numbers], n=10, cutoff=0.75)
    if not close:
        return ""
    return f" (did you mean {min(close, key=lambda n: (abs(int(n) - target), n))}?)"


def _free_number(number: int, taken: set[int]) -> int:
    """The next multiple of STEP above number that no node uses or convention reserves."""
    candidate = (number // STEP + 1) * STEP
    while candidate in taken or candidate in RESERVED:
        candidate += STEP
    return candidate


def _error(location: Location, message: str) -> Problem:
    return Problem(location, Level.ERROR, message)


__all__ = ["check", "describe"]
