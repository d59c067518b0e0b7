"""Design Studio node numbers for nodes whose spec gives none: assigned once, then kept.

    assign(nodes, targets, error_targets, previous) -> {node name: number}

A node without `routing.node` gets the next free multiple of STEP above the highest number the
spec uses for a node or a success/failure target (FIRST when it uses none). Error targets,
usually one far-off shared handler such as 99990, are avoided but do not raise that base, and
neither are Pypestream's conventional numbers (RESERVED). Numbers assigned by an earlier
generation (kept in the solution's state) are reused while still free, so adding, removing or
reordering nodes never renumbers a node that already has a number.

A team's conventions may give the solution a range (first, last): numbers are then assigned from
first upwards, above the highest number the spec uses inside the range, and never beyond last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

STEP = 10
FIRST = 1000
# Numbers Pypestream solutions conventionally give to other nodes: start, platform routing,
# set env, menus, end chat, agent, out of scope, GenAI fallback, crash and error handlers.
RESERVED = frozenset({1, 10, 104, 200, 201, 666, 999, 1800, 1802, 1803, 1804, -500, 99990})


def assign(
    nodes: Iterable[tuple[str, int | None]],
    targets: Iterable[int],
    error_targets: Iterable[int] = (),
    previous: Mapping[str, int] | None = None,
    first: int | None = None,
    last: int | None = None,
) -> dict[str, int]:
    """Numbers for the nodes (name, number or None) that have none, in the nodes' order.

    A node that finds no free number up to last gets none (the conventions check reports it).
    """
    ranged = first is not None or last is not None
    first = FIRST if first is None else first
    nodes = list(nodes)
    previous = previous or {}
    given = {number for _, number in nodes if number is not None}
    targets = set(targets)
    used = given | targets | set(error_targets) | RESERVED
    result: dict[str, int] = {}
    for name, number in nodes:
        kept = previous.get(name)
        if number is None and isinstance(kept, int) and kept not in used:
            result[name] = kept
            used.add(kept)
    numbers = given | targets | set(result.values())
    if ranged:  # only the numbers inside the range raise the base
        numbers = {n for n in numbers if n >= first and (last is None or n <= last)}
    base = max(numbers, default=first - STEP)
    candidate = (base // STEP + 1) * STEP
    while ranged and candidate < first:
        candidate += STEP
    for name, number in nodes:
        if number is not None or name in result:
            continue
        while candidate in used:
            candidate += STEP
        if last is not None and candidate > last:
            break
        result[name] = candidate
        used.add(candidate)
    return result
