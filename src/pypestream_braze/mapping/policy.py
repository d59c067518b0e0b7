"""A spec held to its team's conventions: each break reported at the spec's line.

    enforce(conventions, src, solution) -> [Problem]

Policy (endpoints, attributes never sent, node-number ranges) breaks are errors; naming breaks
(prefixes, cases, patterns, a required description) are warnings, which `check --strict` counts
as errors. Every message names the convention it breaks and its place in the conventions file.

The spec's YAML tree is walked, not the model, so breaks are found (and located) even in a spec
the reader rejects for other reasons; solution is None then, and only numbers the generator
assigns (known from the model alone) go unchecked.
"""

from __future__ import annotations

import re

from .. import braze
from ..braze.objects import STANDARD_ATTRIBUTES, TRACK_IDENTIFIERS
from ..errors import Level, Location, Problem
from ..model import Solution
from .conventions import SUBJECTS, Conventions, NameRule
from .report import key_text
from .source import MappingNode, ScalarNode, SequenceNode, Source

# Keys of an attributes object that are not custom attributes.
_NOT_CUSTOM = frozenset(STANDARD_ATTRIBUTES) | frozenset(TRACK_IDENTIFIERS)


def enforce(conventions: Conventions, src: Source, solution: Solution | None) -> list[Problem]:
    return _Enforcer(conventions, src).run(solution)


class _Enforcer:
    def __init__(self, conventions: Conventions, src: Source):
        self.conventions = conventions
        self.src = src
        self.problems: list[Problem] = []

    def report(self, node, level: Level, message: str, key: str, where: Location) -> None:
        self.problems.append(
            Problem(self.src.at(node), level, f"{message} (team convention {key}, {where})")
        )

    def run(self, solution: Solution | None) -> list[Problem]:
        top = self.src.root
        if not isinstance(top, MappingNode):
            return []
        solution_name = _scalar(_child(top, "solution"))
        nodes = _child(top, "nodes")
        items = nodes.value if isinstance(nodes, SequenceNode) else []
        for item in items:
            if isinstance(item, MappingNode):
                self.node(item, solution_name)
        if solution is not None:
            self.assigned_numbers(solution, items)
        return self.problems

    def node(self, item: MappingNode, solution_name: str | None) -> None:
        conventions = self.conventions
        name_node = _child(item, "name")
        self.name(name_node, "nodes")
        description = _scalar(_child(item, "description"))
        if conventions.description_required and not (description or "").strip():
            label = _scalar(name_node) or "this node"
            self.report(
                name_node or item,
                Level.WARNING,
                f"{label} has no description; the team's nodes say what they do",
                "naming.description",
                conventions.description_required,
            )
        self.endpoint(_child(item, "endpoint"))
        outputs = _child(item, "outputs")
        if isinstance(outputs, MappingNode):
            for key_node, _ in outputs.value:
                self.name(key_node, "outputs")
        body = _child(item, "body")
        for events in _children(body, "events"):
            for event in events.value if isinstance(events, SequenceNode) else []:
                if isinstance(event, MappingNode):
                    self.name(_child(event, "name"), "events")
        self.attributes(body)
        self.number(_child(_child(item, "routing"), "node"), solution_name)

    def name(self, node, kind: str) -> None:
        rule: NameRule | None = self.conventions.naming.get(kind)
        text = _scalar(node)
        if rule is None or text is None or "{" in text:  # a {VAR} is named in the conversation
            return
        what = rule.broken_by(text)
        if what:
            subject = SUBJECTS[kind]
            self.report(node, Level.WARNING, f"{subject} {text!r} {what}", rule.key, rule.where)

    def endpoint(self, node) -> None:
        path = _scalar(node)
        if path is None:
            return
        path = path.strip().strip("/")
        forbidden = self.conventions.forbidden_endpoints.get(path)
        if forbidden is not None:
            self.report(
                node,
                Level.ERROR,
                f"endpoint {path} is forbidden in the team's solutions",
                "policy.endpoints.forbidden",
                forbidden,
            )
        allowed = self.conventions.allowed_endpoints
        if allowed is not None and path in braze.ENDPOINTS and path not in allowed[0]:
            self.report(
                node,
                Level.ERROR,
                f"endpoint {path} is not one the team allows ({', '.join(allowed[0]) or 'none'})",
                "policy.endpoints.allowed",
                allowed[1],
            )

    def attributes(self, body) -> None:
        """Every attributes object of a body: users/track's and recipients' of a trigger."""
        for attributes in _children(body, "attributes", deep=True):
            objects = attributes.value if isinstance(attributes, SequenceNode) else [attributes]
            for obj in objects:
                if not isinstance(obj, MappingNode):
                    continue
                for key_node, _ in obj.value:
                    name = key_text(key_node)
                    where = self.conventions.never_send.get(name)
                    if where is not None:
                        self.report(
                            key_node,
                            Level.ERROR,
                            f"attribute {name!r} must never be sent from a chat; remove it",
                            "policy.never_send",
                            where,
                        )
                    elif name not in _NOT_CUSTOM:
                        self.name(key_node, "custom_attributes")

    def number(self, node, solution_name: str | None) -> None:
        limits = self.conventions.node_range(solution_name)
        text = _scalar(node)
        if limits is None or text is None or not re.fullmatch(r"-?\d+", text.strip()):
            return
        number = int(text)
        if not limits.first <= number <= limits.last:
            self.report(
                node,
                Level.ERROR,
                f"node number {number} is outside {_whose(solution_name)} range {limits}; "
                "give the node a number in it",
                "policy.node_numbers",
                limits.where,
            )

    def assigned_numbers(self, solution: Solution, items) -> None:
        limits = self.conventions.node_range(solution.solution)
        if limits is None:
            return
        for node in solution.nodes:
            number = node.routes.node
            if not node.number_assigned and number is not None:
                continue  # a number the spec gives is checked where it is written
            if number is not None and limits.first <= number <= limits.last:
                continue
            at = _name_node(items, node.name)
            if number is None:
                why = f"no free number is left in {_whose(solution.solution)} range {limits}"
            else:
                why = (
                    f"the number {number} kept from an earlier generation is outside "
                    f"{_whose(solution.solution)} range {limits}"
                )
            self.report(
                at if at is not None else self.src.root,
                Level.ERROR,
                f"{node.name} has no routing.node and {why}; give it a routing.node in the range",
                "policy.node_numbers",
                limits.where,
            )


def _whose(solution_name: str | None) -> str:
    return f"{solution_name}'s" if solution_name else "the solution's"


def _child(node, key: str):
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if key_text(k) == key:
                return v
    return None


def _children(node, key: str, deep: bool = False):
    """The values under key: in node's own mapping, or anywhere below it when deep."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, MappingNode):
            for k, v in current.value:
                if key_text(k) == key:
                    yield v
                elif deep:
                    stack.append(v)
        elif isinstance(current, SequenceNode) and deep:
            stack.extend(current.value)
        if not deep:
            return


def _scalar(node) -> str | None:
    if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return node.value
    return None


def _name_node(items, name: str):
    for item in items:
        node = _child(item, "name")
        if _scalar(node) == name:
            return node
    return None
