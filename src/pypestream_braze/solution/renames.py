"""Which nodes of a new render were renamed since the last generation, so regen moves them.

    find(solution, assigned, old_spec, old_files, new_files) -> {new path: Rename}

A node is known in Design Studio by its number, so that is what a rename keeps: a node whose
spec gives it a routing.node that a node of the last generation had (given by that spec, or
assigned and kept in the state), for the same endpoint, is that node under a new name. A node's
`renamed_from` says so explicitly, and is the way for a node whose number the generator
assigns: the generator gives the next free number to whatever node comes, so an assigned number
alone says nothing of identity (a node removed and another added would look renamed).

Only a name that no node has any more is a rename's source (a name another node took over is
that node's), and only a file the last generation made and this one does not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from ..mapping.earlier import earlier_nodes
from ..model import Solution, node_path


@dataclass(frozen=True)
class Rename:
    old_name: str
    new_name: str
    old_path: str  # the node's script as the last generation wrote it
    number: int | None  # the node's Design Studio number now


def find(
    solution: Solution,
    assigned: Mapping[str, int],
    old_spec: Callable[[], str | None],
    old_files: Collection[str],
    new_files: Collection[str],
) -> dict[str, Rename]:
    """{new script path: Rename} of the renamed nodes.

    assigned: the numbers the last generation assigned (the state's node_numbers); old_spec:
    what gives the spec it read (mapping.yaml's baseline), read only when a node of the render
    is new and numbered: the routing.node numbers it gave the others.
    """
    package = solution.package
    names = {node.name for node in solution.nodes}

    def source(old_name: str) -> str | None:
        path = node_path(package, old_name)
        gone = old_name not in names and path in old_files and path not in new_files
        return path if gone else None

    found: dict[str, Rename] = {}
    taken: set[str] = set()
    for node in solution.nodes:  # renamed_from first: it is what the user said
        old_name = node.renamed_from
        old_path = source(old_name) if old_name else None
        if old_name and old_path is not None:
            found[node.path_in(package)] = Rename(old_name, node.name, old_path, node.routes.node)
            taken.add(old_name)
    candidates = [
        node
        for node in solution.nodes
        if not node.number_assigned
        and node.path_in(package) not in old_files
        and node.path_in(package) not in found
    ]
    spec = old_spec() if candidates else None
    if spec is None:
        return found
    earlier = earlier_nodes(spec)
    by_number: dict[int, str] = {}
    for name, was in earlier.items():
        number = was.number if was.number is not None else assigned.get(name)
        if number is not None and name not in taken:
            by_number[number] = name
    for node in candidates:
        number = node.routes.node
        found_name = by_number.get(number) if number is not None else None
        if found_name is None or earlier[found_name].endpoint != node.endpoint.path:
            continue
        old_path = source(found_name)
        if old_path is not None:
            found[node.path_in(package)] = Rename(found_name, node.name, old_path, node.routes.node)
    return found
