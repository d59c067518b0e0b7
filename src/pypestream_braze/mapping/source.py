"""YAML text to a tree of nodes that remember where they came from.

PyYAML's composer already keeps a start mark on every node; this module adds what the spec needs
on top: duplicate keys as errors (YAML's "last one wins" hides typos), plain Python values for
scalars, and YAML's parse errors turned into located problems with a hint where one helps.

A spec is hostile until read: its size, its nesting and what its aliases expand to are bounded
while it is composed, and every scalar must be a value a solution can hold (plain YAML types,
finite numbers, text without control characters) before anything reads it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import reading
from ..errors import Level, Location, Problem, SpecError

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "Source", "load"]

# Limits on what a spec may cost to read (README, "What a spec may hold"). A spec with a few
# hundred nodes is under each; they keep `check` within a few seconds whatever the file holds.
MAX_BYTES = 1024 * 1024
MAX_VALUES = 50_000  # scalars, lists and mappings, every alias counted as what it expands to
MAX_DEPTH = 64  # lists and mappings inside each other, the spec's top mapping included
MAX_INT_DIGITS = 4300  # Python's own limit for reading and writing a whole number

_UNQUOTED_PLACEHOLDER = re.compile(r":\s*\{\s*[A-Z][A-Z0-9_]*\s*\}")
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + kind for kind in ("str", "int", "float", "bool", "null", "timestamp")}
# Unicode's control characters (category Cc) but tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_INT_BOUND = 10**MAX_INT_DIGITS


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


def read(
    path: str | Path, limit: int = MAX_BYTES, what: str = "spec", within: Path | None = None
) -> str:
    """A spec file's text; SpecError (with the place, where there is one) when it has none.

    Read through reading.py: the file itself must not be a link, only a regular file is opened
    (a FIFO or a device is refused before it is opened, and again after), and at most limit
    bytes are read. what: how messages name the file ("spec", "conventions"); within: the
    folder every part below which is checked for links (by default the file's own).
    """
    name = str(path)
    try:
        data = reading.read_file(Path(path), limit, within)
    except reading.UnsafePathError as err:
        raise _file_error(name, _unsafe(err, limit, what)) from None
    except FileNotFoundError:
        raise _file_error(name, "no such file") from None
    except OSError as err:
        raise _file_error(name, err.strerror or str(err)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        message = "not UTF-8 text; save the file as UTF-8"
        raise SpecError([Problem(Location(name, line, column), Level.ERROR, message)]) from None


def _unsafe(err: reading.UnsafePathError, limit: int, what: str) -> str:
    if err.problem == reading.FOLDER:
        if what == "spec":
            return "is a folder; give the mapping file (a solution's is its mapping.yaml)"
        return f"is a folder; give the {what} file"
    if err.problem == reading.LINK:
        return (
            f"is a symbolic link; pypestream-braze does not follow links: give the {what} "
            "file itself"
        )
    if err.problem.startswith("is larger than"):
        return _too_large(limit, what)
    if err.problem.startswith("is a "):
        return f"{err.problem}; give the {'mapping' if what == 'spec' else what} file itself"
    return str(err)


def load(path: str | Path, text: str | None = None, what: str = "spec") -> Source:
    """Read and compose a spec file; raise SpecError naming every place YAML itself rejects.

    what: how messages name the file ("spec", "conventions").
    """
    name = str(path)
    if text is None:
        text = read(path, what=what)
    elif len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _file_error(name, _too_large(MAX_BYTES, what))
    try:
        root = _compose(text, "spec" if what == "spec" else f"{what} file")
    except _LimitExceeded as err:
        mark = err.mark
        location = Location(name, mark.line + 1, mark.column + 1)
        raise SpecError([Problem(location, Level.ERROR, err.message)]) from None
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
    problems = list(_value_problems(source, root, "spec" if what == "spec" else f"{what} file"))
    problems.extend(_duplicate_keys(source, root))
    if problems:
        raise SpecError(problems)
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


def _compose(text: str, what: str) -> Node | None:
    loader = _BoundedLoader(text, what)  # reads the text at once: ReaderError for a NUL, say
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


# -- reading the file -----------------------------------------------------------------------


def _too_large(limit: int = MAX_BYTES, what: str = "spec") -> str:
    if what != "spec":
        return f"is larger than {limit:,} bytes; a {what} file is a few lines"
    return (
        f"a spec may be at most {MAX_BYTES:,} bytes (1 MiB), and this one is larger: "
        "split the solution, or move long message content into Braze templates"
    )


def _file_error(name: str, message: str) -> SpecError:
    return SpecError([Problem(Location(name), Level.ERROR, message)])


# -- composing within bounds -----------------------------------------------------------------


class _LimitExceeded(Exception):
    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's composer, stopped with a located error when the document grows past a limit.

    Aliases share nodes, so a small file can stand for an exponentially large tree (an "alias
    bomb") that every later reader would walk in full. Each node's expanded size and height are
    kept as it is composed; an alias adds those of the node it names, so the limits hold for
    the tree as read, not as written. An alias to a node that contains it is refused.
    """

    def __init__(self, text: str, what: str = "spec"):
        super().__init__(text)
        self.what = what
        self.expanded = 0
        self.depth = 0
        self.deepest = 0
        self.shapes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)

    def compose_node(self, parent, index):
        mark = self.peek_event().start_mark
        if self.check_event(AliasEvent):
            node = super().compose_node(parent, index)
            shape = self.shapes.get(id(node))
            if shape is None:
                raise _LimitExceeded(
                    mark,
                    "this alias names a list or mapping that contains it, which would never "
                    "end; write the value out instead",
                )
            self._grow(mark, *shape)
            return node
        self._grow(mark, 1, 1)
        self.depth += 1
        outer_deepest, before = self.deepest, self.expanded
        self.deepest = self.depth
        node = super().compose_node(parent, index)
        self.shapes[id(node)] = (self.expanded - before + 1, self.deepest - self.depth + 1)
        self.depth -= 1
        self.deepest = max(outer_deepest, self.deepest)
        return node

    def _grow(self, mark: yaml.Mark, size: int, height: int) -> None:
        self.expanded += size
        self.deepest = max(self.deepest, self.depth + height)
        if self.depth + height > MAX_DEPTH:
            raise _LimitExceeded(
                mark,
                f"the {self.what} nests lists and mappings more than {MAX_DEPTH} levels deep here; "
                "flatten this value",
            )
        if self.expanded > MAX_VALUES:
            raise _LimitExceeded(
                mark,
                f"the {self.what} holds more than {MAX_VALUES:,} values (aliases counted as what "
                f"they repeat); a {self.what} may hold at most that many",
            )


# -- values a solution can hold ------------------------------------------------------------


def _value_problems(source: Source, root: Node, noun: str = "spec"):
    """Every node of a kind, tag or value that generated code and docs cannot hold."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases share nodes; check each once
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            message = _scalar_problem(node, noun)
        elif isinstance(node, MappingNode):
            message = _collection_problem(node, _YAML + "map", "a mapping")
            for key, child in node.value:
                if not isinstance(key, ScalarNode):
                    yield source.problem(key, "a mapping key must be text, not a list or mapping")
                stack.extend((key, child))
        else:
            message = _collection_problem(node, _YAML + "seq", "a list")
            stack.extend(node.value)
        if message:
            yield source.problem(node, message)


def _collection_problem(node: Node, tag: str, what: str) -> str | None:
    if node.tag == tag:
        return None
    return f"the YAML tag {_tag_text(node.tag)} is not supported on {what}: remove it"


def _scalar_problem(node: ScalarNode, noun: str = "spec") -> str | None:
    tag = node.tag
    if tag == _YAML + "merge":
        return (
            "'<<' (a YAML merge key) is not supported: write the keys out, or quote it if "
            "you mean the text"
        )
    if tag not in _SCALAR_TAGS:
        if tag == _YAML + "value":
            return f"YAML reads {node.value!r} as a special value: quote it if you mean the text"
        return (
            f"the YAML tag {_tag_text(tag)} is not supported: write the plain value "
            "(tags allowed: !!str, !!int, !!float, !!bool, !!null)"
        )
    text_problem = _text_problem(node, noun)
    if text_problem:
        return text_problem
    if tag == _YAML + "str":
        return None
    if tag == _YAML + "int" and sum(char.isdigit() for char in node.value) > MAX_INT_DIGITS:
        return _too_many_digits()
    try:
        constructed = SafeConstructor().construct_object(node)
    except (ValueError, KeyError, TypeError, OverflowError, yaml.YAMLError):
        kind = {"int": "a whole number", "float": "a number", "bool": "true or false"}
        wanted = kind.get(tag.rsplit(":", 1)[-1], "a date")
        return (
            f"YAML reads {node.value!r} as {wanted}, but it is not a valid one: correct it, "
            "or write it in quotes (and without a tag) if you mean the text"
        )
    if isinstance(constructed, float) and not math.isfinite(constructed):
        return (
            f"{node.value} is not a finite number, and neither JSON nor Python source has "
            "infinity or NaN (a number too large for a float becomes infinity): write a finite "
            "number, or quote it if you mean the text"
        )
    if isinstance(constructed, int) and abs(constructed) >= _INT_BOUND:  # 0x…, 1:30:…
        return _too_many_digits()
    return None


def _text_problem(node: ScalarNode, noun: str = "spec") -> str | None:
    """Lone surrogates and control characters, which no generated file can carry as text.

    Two surrogates written as two \\u escapes (the way JSON writes an emoji) are joined into
    their character; a lone one is an error.
    """
    if _SURROGATE.search(node.value):
        try:
            node.value = node.value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            return (
                "this text holds half of a UTF-16 surrogate pair (a \\uD800-\\uDFFF escape "
                "without its partner), which is not a character: write the character itself"
            )
    control = _CONTROL.search(node.value)
    if control:
        return (
            f"this text holds the control character U+{ord(control.group()):04X}; text in a "
            f"{noun} may hold tabs and line breaks but no other control characters: remove it"
        )
    return None


def _too_many_digits() -> str:
    return (
        f"this whole number is longer than {MAX_INT_DIGITS:,} digits, more than Python reads "
        "or writes; quote it if you mean the text"
    )


def _tag_text(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


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
