"""YAML text to a tree of nodes that remember where they came from.

PyYAML's composer already keeps a start mark on every node; this module adds what the spec needs
on top: duplicate keys as errors (YAML's "last one wins" hides typos), plain Python values for
scalars, and YAML's parse errors turned into located problems with a hint where one helps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Level, Location, Problem, SpecError

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "Source", "load"]

_UNQUOTED_PLACEHOLDER = re.compile(r":\s*\{\s*[A-Z][A-Z0-9_]*\s*\}")


@dataclass(frozen=True)
class Source:
    """A loaded spec file: its text, its name as the user gave it, and its root node."""

    path: str
    text: str
    root: Node

    def at(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def problem(self, node: Node, message: str, level: Level = Level.ERROR) -> Problem:
        return Problem(self.at(node), level, message)


def read(path: str | Path) -> str:
    """A spec file's text; SpecError (with the place, where there is one) when it has none."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SpecError([Problem(Location(name), Level.ERROR, "no such file")]) from None
    except IsADirectoryError:
        message = "is a folder; give the mapping file (a solution's is its mapping.yaml)"
        raise SpecError([Problem(Location(name), Level.ERROR, message)]) from None
    except OSError as err:
        raise SpecError([Problem(Location(name), Level.ERROR, err.strerror)]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        message = "not UTF-8 text; save the file as UTF-8"
        raise SpecError([Problem(Location(name, line, column), Level.ERROR, message)]) from None


def load(path: str | Path, text: str | None = None) -> Source:
    """Read and compose a spec file; raise SpecError naming every place YAML itself rejects."""
    name = str(path)
    if text is None:
        text = read(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        raise SpecError([_parse_problem(name, text, err)]) from None
    except yaml.reader.ReaderError as err:  # a character YAML does not allow, such as NUL
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        character = chr(err.character) if isinstance(err.character, int) else err.character
        message = f"character {character!r} is not allowed in YAML; remove it"
        raise SpecError([Problem(Location(name, line, column), Level.ERROR, message)]) from None
    except yaml.YAMLError as err:  # rare without a mark, but must not escape as a traceback
        raise SpecError([Problem(Location(name), Level.ERROR, str(err))]) from None
    if root is None:
        root = MappingNode("tag:yaml.org,2002:map", [], _start_mark(text))
    source = Source(name, text, root)
    duplicates = list(_duplicate_keys(source, root))
    if duplicates:
        raise SpecError(duplicates)
    return source


def value(node: Node) -> object:
    """The plain Python value of a node (str, int, float, bool, None, list, dict)."""
    constructed = SafeConstructor().construct_object(node, deep=True)
    return _plain(constructed)


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def pairs(node: MappingNode) -> list[tuple[ScalarNode | Node, Node]]:
    return list(node.value)


def _plain(constructed: object) -> object:
    # Dates and times are written back the way the user typed them: a spec value is data for
    # Braze, never a Python object.
    if hasattr(constructed, "isoformat"):
        return constructed.isoformat()
    if isinstance(constructed, list):
        return [_plain(item) for item in constructed]
    if isinstance(constructed, dict):
        return {str(_plain(k)): _plain(v) for k, v in constructed.items()}
    return constructed


def _duplicate_keys(source: Source, node: Node, seen_nodes: set[int] | None = None):
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:  # aliases share nodes; visit each once
        return
    seen_nodes.add(id(node))
    if isinstance(node, MappingNode):
        first: dict[object, Node] = {}
        for key, child in node.value:
            if isinstance(key, ScalarNode):
                if key.value in first:
                    earlier = source.at(first[key.value])
                    yield source.problem(
                        key,
                        f"duplicate key {key.value!r} (first at line {earlier.line}); "
                        "YAML would silently keep only the last one: remove or rename one of them",
                    )
                else:
                    first[key.value] = key
            yield from _duplicate_keys(source, child, seen_nodes)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            yield from _duplicate_keys(source, child, seen_nodes)


def _parse_problem(name: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else 0
    column = mark.column + 1 if mark else 0
    what = " ".join(part for part in (err.context, err.problem) if part)
    message = f"this is not valid YAML: {what}"
    lines = text.splitlines()
    for candidate in (line - 1, line - 2):
        if 0 <= candidate < len(lines) and _UNQUOTED_PLACEHOLDER.search(lines[candidate]):
            message += (
                '; a placeholder must be quoted: write "{VAR}" (with the quotes), because an '
                "unquoted {…} is a YAML mapping"
            )
            break
    else:
        if "\t" in (lines[line - 1] if 0 < line <= len(lines) else ""):
            message += "; YAML does not allow tabs for indentation: use spaces"
    return Problem(Location(name, line, column), Level.ERROR, message)


def _start_mark(text: str):
    return yaml.Mark("<spec>", 0, 0, 0, text, 0)
