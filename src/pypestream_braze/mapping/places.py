"""Where a spec says what a check of the finished model talks about, for located messages.

    Places(source)                   from the composed spec (mapping/source.py)
    .node(name)                      the node's name
    .routing(name, key)              its routing.<key> (success, failure, error, node), or None
    .default(key)                    defaults.<key>, or None
    .variable(name, VAR)             the first value of the node that reads {VAR}

The model (model.py) keeps no places: a check that compares it with something else (the flow
Design Studio exported, say) asks here for the line to report, by node name and key. What the
spec does not write (a number assigned by the generator, a default from the team's
conventions) has no place of its own; the caller falls back to the node's name.
"""

from __future__ import annotations

from ..errors import Location
from .report import key_text
from .routes import ROUTING_SYNONYMS
from .source import MappingNode, ScalarNode, SequenceNode, Source

# A node's keys that hold no value it reads from the conversation.
_NOT_READ = frozenset({"name", "endpoint", "routing", "outputs", "description", "timeout"})


class Places:
    def __init__(self, source: Source):
        self.source = source
        self._nodes: dict[str, MappingNode] = {}
        self._defaults: MappingNode | None = None
        top = source.root
        if not isinstance(top, MappingNode):
            return
        for key, value in top.value:
            if key_text(key) == "defaults" and isinstance(value, MappingNode):
                self._defaults = value
            if key_text(key) == "nodes" and isinstance(value, SequenceNode):
                for item in value.value:
                    name = _child(item, "name")
                    if isinstance(name, ScalarNode):
                        self._nodes.setdefault(name.value.strip(), item)

    @property
    def path(self) -> str:
        return self.source.path

    def start(self) -> Location:
        return self.source.at(self.source.root)

    def node(self, name: str) -> Location:
        item = self._nodes.get(name)
        if item is None:
            return self.start()
        return self.source.at(_child(item, "name") or item)

    def routing(self, name: str, key: str) -> Location | None:
        """routing.<key> of the node as written: success (or true), failure (or false), ..."""
        routing = _child(self._nodes.get(name), "routing")
        if not isinstance(routing, MappingNode):
            return None
        for key_node, value in routing.value:
            if _routing_key(key_node) == key:
                return self.source.at(value)
        return None

    def default(self, key: str) -> Location | None:
        value = _child(self._defaults, key)
        return self.source.at(value) if value is not None else None

    def variable(self, name: str, variable: str) -> Location:
        """The first scalar of the node holding {VARIABLE}, or a {var: VARIABLE} form."""
        item = self._nodes.get(name)
        placeholder = "{" + variable + "}"
        stack = [item] if item is not None else []
        while stack:  # depth first, children in the order written
            node = stack.pop()
            if isinstance(node, ScalarNode):
                if placeholder in node.value.replace(" ", ""):
                    return self.source.at(node)
            elif isinstance(node, MappingNode):
                children = []
                for key, value in node.value:
                    if key_text(key) == "var" and getattr(value, "value", None) == variable:
                        return self.source.at(value)
                    if key_text(key) not in _NOT_READ:
                        children.append(value)
                stack.extend(reversed(children))
            elif isinstance(node, SequenceNode):
                stack.extend(reversed(node.value))
        return self.node(name)


def _routing_key(node) -> str:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return "success" if node.value.lower() in ("true", "yes", "on", "y") else "failure"
    key = key_text(node)
    return ROUTING_SYNONYMS.get(key, key)


def _child(node, key: str):
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if key_text(k) == key:
                return v
    return None
