"""The definitions of values.py a node carries, as source text.

    definitions(names) -> str        those definitions and every one they use, in module order
    imports(names) -> tuple[str]     the standard-library modules they need

A node is uploaded to Pypestream on its own, so it cannot import the generator: it carries a copy
of what it runs. The copy is taken from values.py itself, the module `check` and the tests run,
so a node and the generator can never disagree about how a value is converted.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

_VALUES = Path(__file__).resolve().parents[1] / "values.py"


def definitions(names: set[str]) -> str:
    """The source of the named top-level definitions and their dependencies, comments included."""
    module = _module()
    wanted = _closure(names)
    chosen = [(statement, text) for name, statement, text in module.sources if name in wanted]
    parts = []
    for index, (statement, text) in enumerate(chosen):
        is_def = isinstance(statement, ast.FunctionDef | ast.ClassDef)
        follows_def = index and isinstance(chosen[index - 1][0], ast.FunctionDef | ast.ClassDef)
        parts.append(("\n\n\n" if is_def or follows_def else "\n") if index else "")
        parts.append(text)
    return "".join(parts)


def imports(names: set[str]) -> tuple[str, ...]:
    """The modules the named definitions (and their dependencies) use, in module order."""
    module = _module()
    used = set().union(*(module.uses[name] for name in _closure(names)))
    return tuple(name for name in module.imports if name.split(".")[0] in used)


class _Module:
    def __init__(self, text: str):
        tree = ast.parse(text)
        lines = text.splitlines()
        self.imports: list[str] = []  # names bound by imports: modules, or names from them
        self.sources: list[tuple[str, ast.stmt, str]] = []  # name, statement, source
        self.uses: dict[str, set[str]] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                self.imports.extend(a.asname or a.name for a in statement.names)
                continue
            name = _defined_name(statement)
            if name is None:
                continue  # the module docstring
            start = statement.lineno - 1
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1  # the comment that introduces it
            text = "\n".join(lines[start : statement.end_lineno])
            self.sources.append((name, statement, text))
            self.uses[name] = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}


def _defined_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.FunctionDef | ast.ClassDef):
        return statement.name
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


@cache
def _module() -> _Module:
    return _Module(_VALUES.read_text(encoding="utf-8"))


def _closure(names: set[str]) -> set[str]:
    module = _module()
    defined = {name for name, _, _ in module.sources}
    unknown = set(names) - defined
    if unknown:
        raise KeyError(f"values.py defines no {', '.join(sorted(unknown))}")
    wanted: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(module.uses[name] & defined)
    return wanted
