"""The package's imports run one way: no module imports one that imports it back, and none
reaches up a layer.

Every import counts: at the top of a module, inside a function, under `if TYPE_CHECKING:`
(a type named is a dependency too). The layers, top to bottom, are LAYERS below; a module
imports from its own layer or the ones below it.

    python tests/test_imports.py             the picture: each layer (its files and how many
                                             modules), under it the imports it makes of
                                             each layer below, and those within it
    python tests/test_imports.py --modules   every module and what it imports
"""

from __future__ import annotations

import ast
import functools
import sys
import textwrap
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pypestream_braze"

# Top to bottom: each layer's modules, by name below the package (a folder takes its modules).
# The programs run with `python -m` sit above the command line, and nothing imports them.
LAYERS: dict[str, tuple[str, ...]] = {
    "programs": ("__main__", "reference"),
    "cli": ("cli",),
    "solution": ("solution",),
    "render": ("render",),
    "mapping": ("mapping",),
    "model": ("model",),
    "vocabulary": (
        "braze",
        "values",
        "errors",
        "reading",
        "runtime",
        "node_runtime",
        "",  # the package itself: its version
    ),
}


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Each module's dotted name below the package ('' for the package), with its file."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module's imports of the package's modules, wherever in the module they are."""
    known = modules(package)
    graph = {}
    for name, path in known.items():
        # The package a relative import starts from: a package's own, else its module's.
        here = name.split(".") if name else []
        if path.name != "__init__.py":
            here.pop()
        found: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.add(_within(known, package.name, alias.name))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    target = ".".join([package.name, *base, *filter(None, [node.module])])
                else:
                    target = node.module or ""
                for alias in node.names:  # `from . import x` imports the module x
                    found.add(_within(known, package.name, f"{target}.{alias.name}"))
        graph[name] = {module for module in found if module is not None and module != name}
    return graph


def _within(known: dict[str, Path], package: str, dotted: str) -> str | None:
    """The module of the package a dotted name is or lies in; None outside the package."""
    if dotted != package and not dotted.startswith(package + "."):
        return None
    name = dotted[len(package) + 1 :]
    while name not in known:
        name = name.rpartition(".")[0]
    return name


def layer(module: str) -> str:
    """The layer a module belongs to (the longest prefix listed in LAYERS)."""
    best, length = None, -1
    for name, prefixes in LAYERS.items():
        for prefix in prefixes:
            inside = module == prefix or (prefix and module.startswith(prefix + "."))
            if inside and len(prefix) > length:
                best, length = name, len(prefix)
    if best is None:
        raise LookupError(f"{module or 'the package'} is in no layer: add it to LAYERS")
    return best


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other, as a path a -> ... -> a."""
    found = []
    for group in _groups(graph):
        start = min(group)
        # The shortest way back to start, within the group.
        paths = {start: [start]}
        frontier = [start]
        while frontier and start not in [t for m in frontier for t in graph[m]]:
            step = []
            for module in frontier:
                for target in sorted(graph[module] & group):
                    if target not in paths:
                        paths[target] = [*paths[module], target]
                        step.append(target)
            frontier = step
        last = next(m for m in frontier if start in graph[m])
        found.append([*paths[last], start])
    return found


def _groups(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == module:
                        break
                if len(group) > 1:
                    groups.append(group)
    return groups


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module in a higher layer, as 'importer -> imported (layer -> layer)'."""
    order = list(LAYERS)
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if order.index(layer(target)) < order.index(layer(module)):
                found.append(f"{module} -> {target} ({layer(module)} -> {layer(target)})")
    return found


def picture(graph: dict[str, set[str]]) -> str:
    """The layers as boxes, top to bottom, each with its files and modules; under each, how
    many imports go from it to each layer below it (and how many stay within it)."""
    counts = Counter(layer(module) for module in graph)
    edges = Counter((layer(module), layer(target)) for module in graph for target in graph[module])
    inner = 64
    lines = []
    for number, name in enumerate(LAYERS):
        files = " ".join(_file(prefix) for prefix in LAYERS[name])
        text = textwrap.wrap(f"{name}: {files} ({counts[name]})", inner)
        lines.append("+" + "-" * (inner + 2) + "+")
        lines += [f"| {line.ljust(inner)} |" for line in text]
        lines.append("+" + "-" * (inner + 2) + "+")
        below = [(other, edges[name, other]) for other in list(LAYERS)[number + 1 :]]
        said = ", ".join(f"{other} {count}" for other, count in below if count)
        if edges[name, name]:
            said += f"{'; ' if said else ''}within {edges[name, name]}"
        lines.append(f"   {'|' if number + 1 < len(LAYERS) else ' '}  {said}")
        if number + 1 < len(LAYERS):
            lines.append("   v")
    return "\n".join(lines)


def _file(prefix: str) -> str:
    if not prefix:
        return "__init__.py"
    return prefix + "/" if (PACKAGE / prefix).is_dir() else prefix + ".py"


def listing(graph: dict[str, set[str]]) -> str:
    return "\n".join(
        f"{module or '(package)'} [{layer(module)}] -> {', '.join(sorted(targets)) or '-'}"
        for module, targets in sorted(graph.items())
    )


# -- the tests ------------------------------------------------------------------------------


@functools.cache
def _drawn() -> dict[str, set[str]]:
    return imports()


def test_no_module_imports_one_that_imports_it_back():
    found = cycles(_drawn())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_no_module_imports_from_a_layer_above_its_own():
    found = upward(_drawn())
    assert not found, "imports running back up the layers:\n" + "\n".join(found)


def test_every_module_is_in_a_layer():
    for module in modules():
        layer(module)  # LookupError names one that is not


def test_the_programs_are_imported_by_nothing():
    for module, targets in _drawn().items():
        assert not {t for t in targets if layer(t) == "programs"}, module


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pypestream_braze"
    for relative, text in files.items():
        (package / relative).parent.mkdir(parents=True, exist_ok=True)
        (package / relative).write_text(text, encoding="utf-8")
    return package


def test_the_checks_find_a_cycle_through_a_function_and_an_import_up_a_layer(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "model.py": "from .cli import main\n",  # up three layers
            "cli/__init__.py": "",
            "cli/main.py": "from . import completion\n",
            "cli/completion.py": "def run():\n    from .main import parser\n",
            "solution/__init__.py": "",
            "solution/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from pypestream_braze.solution.b import B\n",
            "solution/b.py": "import pypestream_braze.solution.c\n",
            "solution/c.py": "from .. import solution\nfrom ..solution import a\n",
        },
    )
    graph = imports(package)
    assert graph["cli.completion"] == {"cli.main"}
    assert graph["solution.c"] == {"solution", "solution.a"}
    assert sorted(cycles(graph)) == [
        ["cli.completion", "cli.main", "cli.completion"],
        ["solution.a", "solution.b", "solution.c", "solution.a"],
    ]
    assert upward(graph) == ["model -> cli.main (model -> cli)"]


if __name__ == "__main__":
    drawn = imports()
    print(listing(drawn) if "--modules" in sys.argv[1:] else picture(drawn))
