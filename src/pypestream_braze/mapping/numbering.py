"""Design Studio node numbers for nodes whose spec gives none: assigned once, then kept.

    assign(nodes, targets, error_targets, previous) -> {node name: number}

A node without `routing.node` gets the next free multiple of STEP above the highest number the
spec uses for a node or a success/failure target (FIRST when it uses none). Error targets,
usually one far-off shared handler such as 99990, are avoided but do not raise that base, and
neither are Pypestream's conventional numbers (RESERVED). Numbers assigned by an earlier
generation (kept in the solution's state) are reused while still free, so adding, removing or
reordering nodes never renumbers a node that already has a number.
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
) -> dict[str, int]:
    """Numbers for the nodes (name, number or None) that have none, in the nodes' order."""
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
    base = max(given | targets | set(result.values()), default=FIRST - STEP)
    candidate = (base // STEP + 1) * STEP
    for name, number in nodes:
        if number is not None or name in result:
            continue
        while candidate in used:
            candidate += STEP
        result[name] = candidate
        used.add(candidate)
    return result
