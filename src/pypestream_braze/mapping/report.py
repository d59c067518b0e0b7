"""Collecting problems while reading a spec, with helpers that read typed scalars."""

from __future__ import annotations

import re

from ..errors import BIDI_CONTROLS, Level, Problem
from .naming import closest, did_you_mean, one_of
from .source import MappingNode, Node, ScalarNode, SequenceNode, Source, value

_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}
_BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")


class Report:
    """The problems found so far in one source, and typed readers that add to them."""

    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []
        # One cause, one error: a key written as a near miss of an absent key is reported once,
        # as unknown with its did-you-mean, and the checks that would also miss the key it
        # meant (a required key, a value read from it) ask misspelt() and stay quiet.
        self._misspelt: dict[int, set[str]] = {}
        self._unknown: set[str] = set()

    def misspell(self, node: Node, key: str) -> None:
        """Record that node holds a near miss of key, reported already; a key that is there
        as well is no misspelling of it."""
        if not any(key_text(k) == key for k, _ in getattr(node, "value", ())):
            self._misspelt.setdefault(id(node), set()).add(key)

    def misspelt(self, node: Node | None, key: str) -> bool:
        """Whether the mapping node holds a key reported as a near miss of key."""
        return node is not None and key in self._misspelt.get(id(node), ())

    def unknown(self, fact: str) -> None:
        """Say that an error made fact unknown (such as the environments' params)."""
        self._unknown.add(fact)

    def known(self, fact: str) -> bool:
        """Whether fact can be checked: no earlier error made it unknown."""
        return fact not in self._unknown

    def errors_since(self, count: int) -> bool:
        """Whether an error was reported since len(problems) was count."""
        return any(p.level is Level.ERROR for p in self.problems[count:])

    def error(self, node: Node, message: str) -> None:
        self.problems.append(self.source.problem(node, message))

    def warning(self, node: Node, message: str) -> None:
        self.problems.append(self.source.problem(node, message, Level.WARNING))

    @property
    def has_errors(self) -> bool:
        return any(p.level is Level.ERROR for p in self.problems)

    # Typed readers: each returns None (after reporting) when the node is not what is asked.

    def mapping(self, node: Node, what: str) -> MappingNode | None:
        if isinstance(node, MappingNode):
            return node
        self.error(node, f"{what} must be a mapping of keys to values, not {describe(node)}")
        return None

    def sequence(self, node: Node, what: str) -> SequenceNode | None:
        if isinstance(node, SequenceNode):
            return node
        self.error(node, f"{what} must be a list (items starting with '- '), not {describe(node)}")
        return None

    def string(self, node: Node, what: str) -> str | None:
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            return node.value
        if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            # YAML reads 1:30:00 as 5400 and `yes` as true: taken as text it would not be what
            # was written, and the editor's schema (text) underlines it. Quoted, it is text.
            read = value(node)
            reads = "" if str(read) == node.value else f", which YAML reads as {read!r}"
            self.error(
                node,
                f"{what} must be text, not {describe(node)}{reads}; put it in quotes to mean "
                f"the text: {_quoted(node.value)}",
            )
            return None
        self.error(node, f"{what} must be text, not {describe(node)}")
        return None

    def integer(self, node: Node, what: str) -> int | None:
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:int":
            number = value(node)
            if isinstance(number, int):  # always, for this tag
                return number
        self.error(node, f"{what} must be a whole number, not {describe(node)}")
        return None

    def number(self, node: Node, what: str, minimum: float, maximum: float) -> float | None:
        if isinstance(node, ScalarNode) and node.tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        ):
            number = value(node)
            if isinstance(number, int | float) and minimum <= number <= maximum:
                return float(number)
            self.error(node, f"{what} must be between {minimum:g} and {maximum:g}, not {number:g}")
            return None
        self.error(node, f"{what} must be a number, not {describe(node)}")
        return None

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return bool(value(node))
        self.error(node, f"{what} must be true or false, not {describe(node)}")
        return None

    def keys(
        self,
        node: MappingNode,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> dict[str, tuple[ScalarNode, Node]]:
        """The known keys of a mapping; unknown and missing keys are reported."""
        found: dict[str, tuple[ScalarNode, Node]] = {}
        for key_node, value_node in node.value:
            key = key_text(key_node)
            if key in allowed:
                found[key] = (key_node, value_node)
                continue
            self.error(
                key_node,
                f"unknown key {key!r} in {what}{did_you_mean(key, allowed)}; "
                f"allowed: {one_of(allowed)}",
            )
            meant = closest(key, allowed)
            if meant is not None:
                self.misspell(node, meant)
        for key in required:
            if key not in found and not self.misspelt(node, key):
                self.error(node, f"{what} needs the key {key!r}")
        return found

    def displayable(self, node: Node, text: str, what: str) -> bool:
        """False (reported) when text that lands in docstrings and documents holds a control
        that reorders how it displays."""
        found = _BIDI_CONTROLS.search(text)
        if found:
            self.error(
                node,
                f"{what} holds the bidirectional control U+{ord(found.group()):04X}, which "
                "makes generated code and documents display in another order than they read; "
                "remove it",
            )
        return found is None


def value_of(node: Node | None, key: str) -> Node | None:
    """The value under key in a mapping node; None when node is no mapping or has no such key."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if key_text(k) == key:
                return v
    return None


def key_text(node: Node) -> str:
    """A mapping key as the user wrote it (a YAML `yes:` key stays 'yes', not True)."""
    if isinstance(node, ScalarNode):
        return node.value
    return describe(node)


def is_bool_word(node: Node) -> bool:
    """true for YAML 1.1 booleans spelt yes/no/on/off, which users rarely mean as booleans."""
    return (
        isinstance(node, ScalarNode)
        and node.tag == "tag:yaml.org,2002:bool"
        and node.value.lower() in _BOOL_WORDS
    )


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "null":
        return "empty" if node.value in ("", "~") else "null"
    names = {"str": "text", "int": "a whole number", "float": "a number", "bool": "a boolean"}
    return (
        f"{names.get(kind, kind)} {_excerpt(node.value)}" if node.value else names.get(kind, kind)
    )


def _excerpt(text: str, limit: int = 60) -> str:
    """text quoted, shortened to its start when long (a whole file can be one YAML scalar)."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
