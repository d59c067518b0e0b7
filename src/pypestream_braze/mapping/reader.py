"""Mapping spec (version 1) to the model, collecting every problem with its file, line and column.

    load_solution(path) -> (Solution, warnings)    raises SpecError listing every error

The reference users read is the README's "Mapping reference"; version 1 is a contract: a file valid
today keeps its meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .. import braze
from ..errors import Level, Problem, SpecError
from ..model import SPREAD_IDENTIFIER, Node, Output, Solution, bot_id
from . import numbering, source
from .body import BodyReader
from .environments import read_environments
from .inherited import NOTHING, Inherited
from .naming import (
    MAX_NAME,
    did_you_mean,
    is_camel_case,
    is_package_name,
    is_upper_case,
    node_name_problem,
    one_of,
    package_name,
    package_problem,
    shown,
    to_camel_case,
    to_upper_case,
)
from .report import Report, key_text
from .routes import read_node_number, read_routes, warn_missing_routes
from .rules import rules_for
from .source import MappingNode, ScalarNode
from .source import Node as YamlNode

SPEC_VERSION = 1
TOP_KEYS = (
    "version",
    "customer",
    "solution",
    "package",
    "conventions",
    "environments",
    "defaults",
    "nodes",
)
DEFAULT_KEYS = ("timeout", "error_node", "create_error_node", "minor_errors", "resend_events")
NODE_KEYS = (
    "name",
    "endpoint",
    "description",
    "identifier",
    "body",
    "outputs",
    "routing",
    "timeout",
    "minor_errors",
    "resend_events",
)
MINOR_ERRORS = ("succeed", "fail")
DEFAULT_TIMEOUT = 8.0
MAX_TIMEOUT = 60.0
# Unicode's bidirectional embeddings, overrides and isolates (and the marks pylint flags): in a
# docstring or a document they can make text display in another order than it is stored.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OUTPUT_PATH = re.compile(r"^[A-Za-z_$][\w$-]*(\[\d+\])*(\.[A-Za-z_$][\w$-]*(\[\d+\])*)*$")


def load_solution(
    path: str | Path,
    text: str | None = None,
    assigned_numbers: Mapping[str, int] | None = None,
    inherited: Inherited = NOTHING,
    composed: source.Source | None = None,
) -> tuple[Solution, list[Problem]]:
    """Read a spec; return the model and its warnings, or raise SpecError with every error.

    assigned_numbers: the node numbers an earlier generation assigned to nodes whose spec gives
    none (the solution's state); they are kept while still free, see numbering.py.
    inherited: what the team's conventions give where the spec says nothing (the `conventions`
    key itself is read by mapping/load.py, which is what the commands call).
    composed: the spec's text already composed (by mapping/load.py), so it is parsed once.
    """
    src = composed if composed is not None else source.load(path, text)
    report = Report(src)
    solution = _SpecReader(report, assigned_numbers, inherited).solution(src.root)
    if report.has_errors or solution is None:
        raise SpecError(report.problems)
    warnings = sorted(report.problems, key=lambda p: p.location)
    return solution, warnings


class _SpecReader:
    def __init__(
        self,
        report: Report,
        assigned_numbers: Mapping[str, int] | None = None,
        inherited: Inherited = NOTHING,
    ):
        self.report = report
        self.previous_numbers = dict(assigned_numbers or {})
        self.inherited = inherited

    def solution(self, root: YamlNode) -> Solution | None:
        report = self.report
        top = report.mapping(root, "the spec")
        if top is None:
            return None
        keys = report.keys(top, "the spec", TOP_KEYS, ("customer", "solution", "nodes"))
        if "version" in keys:
            version = report.integer(keys["version"][1], "version")
            if version is not None and version != SPEC_VERSION:
                report.error(
                    keys["version"][1],
                    f"version {version} is not supported; this generator reads version "
                    f"{SPEC_VERSION}",
                )
        customer = self._text(keys, "customer")
        solution = self._text(keys, "solution")
        valid_solution = solution is not None and is_camel_case(solution)
        if solution is not None and not valid_solution:
            report.error(
                keys["solution"][1],
                f"solution {shown(solution)} must be CamelCase letters and digits, such as "
                f"{shown(to_camel_case(solution) or 'AcmeClaims')}: it names the Design Studio "
                "solution",
            )
        elif valid_solution and len(solution) > MAX_NAME:
            report.error(
                keys["solution"][1],
                f"solution {shown(solution, 20)} is longer than the {MAX_NAME} characters "
                "allowed",
            )
            valid_solution = False
        pypestream_id = bot_id(customer or "", solution or "")
        if customer and valid_solution and pypestream_id != f"{customer}.{solution}":
            report.warning(
                keys["customer"][1],
                f"customer {shown(customer)} is not a Pypestream customer id (letters and digits "
                f"only): Pypestream names the solution {pypestream_id!r}; write "
                f"customer: {pypestream_id.split('.')[0]} (it becomes app.NAME)",
            )
        package = package_name(solution or "")
        if "package" in keys:
            package = self._text(keys, "package") or package
            if not is_package_name(package):
                report.error(
                    keys["package"][1],
                    f"package {shown(package)} must be a Python package name: lower case letters, "
                    "digits and underscores, not starting with a digit, and not 'tests' (the "
                    "solution's test folder)",
                )
            elif problem := package_problem(package):
                report.error(
                    keys["package"][1],
                    f"package {shown(package)} {problem}; choose another package name",
                )
        elif valid_solution and (problem := package_problem(package)):
            report.error(
                keys["solution"][1],
                f"solution {shown(solution)} makes the package name {shown(package)}, which "
                f"{problem}; "
                "choose another solution name, or give a 'package'",
            )
        defaults = self._defaults(keys.get("defaults"))
        environments = read_environments(
            self.report, top, keys.get("environments"), self.inherited.environments
        )
        nodes = self._nodes(keys.get("nodes"), defaults, environments)
        if report.has_errors:
            return None
        nodes, assigned = self._number(nodes, defaults["error_node"])
        endpoints = tuple(dict.fromkeys(node.endpoint for node in nodes))
        return Solution(
            customer=customer or "",
            solution=solution or "",
            package=package,
            environments=environments,
            timeout=defaults["timeout"],
            error_node=defaults["error_node"],
            create_error_node=defaults["create_error_node"],
            nodes=tuple(nodes),
            endpoints=endpoints,
            assigned_numbers=assigned,
        )

    def _number(self, nodes: list[Node], error_node: int | None) -> tuple[list[Node], dict]:
        """Give every node without routing.node a number, kept from earlier generations."""
        assigned = numbering.assign(
            ((node.name, node.routes.node) for node in nodes),
            targets=(
                t for n in nodes for t in (n.routes.success, n.routes.failure) if t is not None
            ),
            error_targets=(
                t for t in [error_node, *(n.routes.error for n in nodes)] if t is not None
            ),
            previous=self.previous_numbers,
            first=self.inherited.first_node,
            last=self.inherited.last_node,
        )
        numbered = [
            (
                replace(
                    node,
                    routes=replace(node.routes, node=assigned[node.name]),
                    number_assigned=True,
                )
                if node.name in assigned
                else node
            )
            for node in nodes
        ]
        return numbered, assigned

    def _text(self, keys, name: str) -> str | None:
        if name not in keys:
            return None
        text = self.report.string(keys[name][1], name)
        if text is not None and not text.strip():
            self.report.error(keys[name][1], f"{name} must not be empty")
            return None
        if text is not None and not self._displays_as_stored(keys[name][1], text, name):
            return None
        return text.strip() if text else text

    def _displays_as_stored(self, node: YamlNode, text: str, what: str) -> bool:
        """False (reported) when text that lands in docstrings and documents holds a control
        that reorders how it displays."""
        found = _BIDI_CONTROLS.search(text)
        if found:
            self.report.error(
                node,
                f"{what} holds the bidirectional control U+{ord(found.group()):04X}, which "
                "makes generated code and documents display in another order than they read; "
                "remove it",
            )
        return found is None

    # -- defaults -------------------------------------------------------------------------------

    def _defaults(self, entry) -> dict:
        result = {
            "timeout": DEFAULT_TIMEOUT,
            "error_node": None,
            "minor_errors": "succeed",
            "resend_events": False,
            "create_error_node": False,
            **self.inherited.defaults,
        }
        if entry is None:
            return result
        node = self.report.mapping(entry[1], "defaults")
        if node is None:
            return result
        keys = self.report.keys(node, "defaults", DEFAULT_KEYS)
        self._options(keys, result, "defaults")
        if "error_node" in keys:
            result["error_node"] = read_node_number(
                self.report, keys["error_node"][1], "defaults.error_node"
            )
        if "create_error_node" in keys:
            flag_node = keys["create_error_node"][1]
            flag = self.report.boolean(flag_node, "defaults.create_error_node")
            if flag and result["error_node"] is None:
                self.report.error(
                    flag_node,
                    "defaults.create_error_node needs defaults.error_node, the number the "
                    "new error node gets (such as 99990)",
                )
            result["create_error_node"] = bool(flag)
        return result

    def _options(self, keys, into: dict, where: str) -> None:
        """timeout, minor_errors and resend_events, shared by defaults and nodes."""
        report = self.report
        if "timeout" in keys:
            timeout = report.number(keys["timeout"][1], f"{where}.timeout", 0.5, MAX_TIMEOUT)
            if timeout is not None:
                into["timeout"] = timeout
        if "minor_errors" in keys:
            choice = report.string(keys["minor_errors"][1], f"{where}.minor_errors")
            if choice is not None and choice not in MINOR_ERRORS:
                report.error(
                    keys["minor_errors"][1],
                    f"{where}.minor_errors must be {one_of(MINOR_ERRORS)}, not {choice!r}",
                )
            elif choice is not None:
                into["minor_errors"] = choice
        if "resend_events" in keys:
            flag = report.boolean(keys["resend_events"][1], f"{where}.resend_events")
            if flag is not None:
                into["resend_events"] = flag

    # -- environments ---------------------------------------------------------------------------

    def _nodes(self, entry, defaults: dict, environments) -> list[Node]:
        if entry is None:
            return []
        report = self.report
        seq = report.sequence(entry[1], "nodes")
        if seq is None:
            return []
        if not seq.value:
            report.error(seq, "nodes is empty; add at least one node")
        nodes: list[Node] = []
        names: dict[str, YamlNode] = {}
        numbers: dict[int, YamlNode] = {}
        declared = set().union(*(env.params for env in environments)) if environments else set()
        items: list[YamlNode] = []
        for index, item in enumerate(seq.value):
            node = self._node(item, index, defaults, declared)
            if node is None:
                continue
            where = _first_value(item, "name") or item
            clash = next((n for n in names if n.lower() == node.name.lower()), None)
            if clash is not None:
                line = report.source.at(names[clash]).line
                if clash == node.name:
                    why = f"is used twice (also line {line}); each node is its own class and file"
                else:
                    why = (
                        f"differs from {clash!r} in case only (also line {line}); file names "
                        "ignore case on macOS and Windows, so the two files would be one"
                    )
                report.error(where, f"node name {node.name!r} {why}: rename one")
            names.setdefault(node.name, where)
            if node.routes.node is not None:
                at = _first_value(_first_value(item, "routing") or item, "node") or item
                if node.routes.node in numbers:
                    line = report.source.at(numbers[node.routes.node]).line
                    report.error(
                        at,
                        f"node number {node.routes.node} is used twice (also line {line}); "
                        "give each node its own Design Studio node number",
                    )
                numbers.setdefault(node.routes.node, at)
            nodes.append(node)
            items.append(item)
        self._check_outputs_against_inputs(nodes, items)
        error_node = defaults["error_node"]
        if error_node is not None and error_node in numbers:
            report.error(
                numbers[error_node],
                f"node number {error_node} is also defaults.error_node, the shared error node "
                "design_studio.csv adds; give this node another number or choose another "
                "error_node",
            )
        return nodes

    def _check_outputs_against_inputs(self, nodes: list[Node], items: list[YamlNode]) -> None:
        """An output that is also an input gets overwritten, with "" when Braze has no value."""
        readers: dict[str, str] = {}
        for node in nodes:
            for variable in node.variables:
                readers.setdefault(variable, node.name)
        for node, item in zip(nodes, items, strict=True):
            outputs = _first_value(item, "outputs")
            for key_node, _ in getattr(outputs, "value", []):
                variable = key_text(key_node)
                if variable in readers:
                    self.report.warning(
                        key_node,
                        f"output {variable} is also an input of {readers[variable]}: when "
                        f'Braze has no value (or the call fails) {node.name} sets it to "" '
                        "and the conversation loses what it collected; name it differently, "
                        f"such as BRAZE_{variable}",
                    )

    def _node(self, item, index: int, defaults: dict, declared: set) -> Node | None:
        report = self.report
        where = f"nodes[{index}]"
        node = report.mapping(item, where)
        if node is None:
            return None
        keys = report.keys(node, where, NODE_KEYS, ("name", "endpoint", "body"))
        name = self._node_name(keys, where)
        if name:
            where = name
        endpoint = self._endpoint(keys)
        options = dict(defaults)
        self._options(keys, options, where)
        reader = BodyReader(report)
        identifier = self._identifier(keys, endpoint, reader, where)
        body = {}
        if "body" in keys and endpoint is not None:
            body_node = report.mapping(keys["body"][1], f"{where}.body")
            if body_node is not None:
                body = self._body(body_node, endpoint, identifier, reader, where)
        for param in reader.params:
            if param not in declared:
                report.error(
                    _find_param(keys.get("body"), param) or node,
                    f"param {param!r} is not declared in the environments' params"
                    f"{did_you_mean(param, declared)}; add it under environments.sandbox.params "
                    "and environments.live.params",
                )
        outputs = self._outputs(keys.get("outputs"), where)
        errors = len(report.problems)
        routes = read_routes(self.report, keys.get("routing"), defaults, where)
        if len(report.problems) == errors:  # a rejected routing key is reported already
            warn_missing_routes(self.report, routes, keys, node, where)
        description = ""
        if "description" in keys:
            description = report.string(keys["description"][1], f"{where}.description") or ""
            if not self._displays_as_stored(
                keys["description"][1], description, f"{where}.description"
            ):
                description = ""
        if name is None or endpoint is None:
            return None
        unsafe_arrays = [a for a in braze.TRACK_UNSAFE_ARRAYS if body.get(a)]
        repeat_safe = endpoint.repeat_safe and not unsafe_arrays and not _increments(body)
        if options["resend_events"]:
            repeat_safe = True
        return Node(
            name=name,
            endpoint=endpoint,
            description=" ".join(description.split()) or endpoint.summary,
            routes=routes,
            timeout=options["timeout"],
            identifier=identifier,
            body=body,
            rules=rules_for(body, endpoint.body, endpoint.audience_keys),
            outputs=outputs,
            variables=tuple(reader.variables),
            conversions=frozenset(reader.conversions),
            params=tuple(reader.params),
            context_keys=tuple(reader.context_keys),
            uses_now=reader.uses_now,
            repeat_safe=repeat_safe,
            minor_errors_fail=options["minor_errors"] == "fail",
        )

    def _node_name(self, keys, where: str) -> str | None:
        if "name" not in keys:
            return None
        node = keys["name"][1]
        name = self.report.string(node, f"{where}.name")
        if name is None:
            return None
        if not is_camel_case(name):
            self.report.error(
                node,
                f"node name {shown(name)} must be CamelCase letters and digits, such as "
                f"{shown(to_camel_case(name) or 'BrazeTrackProfile')}: it is the class name, the "
                "file name and the Design Studio Command",
            )
            return None
        problem = node_name_problem(name)
        if problem:
            self.report.error(node, f"node name {shown(name, 20)} {problem}")
            return None
        return name

    def _endpoint(self, keys) -> braze.Endpoint | None:
        if "endpoint" not in keys:
            return None
        node = keys["endpoint"][1]
        path = self.report.string(node, "endpoint")
        if path is None:
            return None
        path = path.strip().strip("/")
        endpoint = braze.ENDPOINTS.get(path)
        if endpoint is None:
            self.report.error(
                node,
                f"unknown endpoint {path!r}{did_you_mean(path, braze.ENDPOINTS)}; "
                f"allowed: {one_of(braze.ENDPOINTS)}",
            )
        return endpoint

    def _identifier(self, keys, endpoint, reader: BodyReader, where: str) -> dict | None:
        if "identifier" not in keys:
            return None
        key_node, value_node = keys["identifier"]
        if endpoint is not None and endpoint.path != "users/track":
            self.report.error(
                key_node,
                f"{where}: 'identifier' applies to users/track only; for {endpoint.path} put "
                "the identifier in the body",
            )
            return None
        node = self.report.mapping(value_node, f"{where}.identifier")
        if node is None:
            return None
        shape = braze._obj(dict(braze.TRACK_IDENTIFIERS))
        identifier = {}
        for k, v in node.value:
            key = key_text(k)
            if key not in braze.TRACK_IDENTIFIERS:
                self.report.error(
                    k,
                    f"unknown identifier {key!r}{did_you_mean(key, braze.TRACK_IDENTIFIERS)}; "
                    f"allowed: {one_of(braze.TRACK_IDENTIFIERS)}",
                )
                continue
            identifier[key] = reader.walk(
                v, shape.fields[key].shape, (key,), f"{where}.identifier.{key}"
            )
        if not node.value:
            self.report.error(node, f"{where}.identifier is empty; give one identifier")
        primary = [k for k in braze.PRIMARY_IDENTIFIERS if k in identifier]
        if len(primary) > 1:
            self.report.error(
                node,
                f"{where}.identifier has both {' and '.join(map(repr, primary))}: Braze rejects "
                "an object with more than one primary identifier (external_id, user_alias, "
                "braze_id); keep one",
            )
        return identifier

    def _body(self, node: MappingNode, endpoint, identifier, reader: BodyReader, where) -> dict:
        shape = endpoint.body
        if endpoint.path != "users/track":
            body = reader.walk(node, shape, (), f"{where}.body")
            self._endpoint_rules(node, endpoint, where)
            return body
        # users/track: the node's identifier is spread into every object of the three arrays.
        body: dict = {}
        report = self.report
        total = 0
        for key_node, value_node in node.value:
            key = key_text(key_node)
            field = shape.fields.get(key)
            child_where = f"{where}.body.{key}"
            if field is None:
                report.error(
                    key_node,
                    f"unknown key {key!r} in {where}.body{did_you_mean(key, shape.fields)}; "
                    f"allowed: {one_of(shape.fields)}",
                )
                continue
            seq = report.sequence(value_node, child_where)
            if seq is None:
                continue
            items = []
            for i, item in enumerate(seq.value):
                obj = report.mapping(item, f"{child_where}[{i}]")
                if obj is None:
                    continue
                result = reader.object(
                    obj, field.shape.items, (key, i), f"{child_where}[{i}]", identifier
                )
                if key in ("events", "purchases") and "time" not in result:
                    result["time"] = _now(reader)
                items.append(result)
            total += len(items)
            body[key] = items
        if not body:
            report.error(node, f"{where}.body needs one of {one_of(shape.fields)}")
        if total > braze.MAX_TRACK_OBJECTS:
            report.error(
                node,
                f"{where}.body has {total} objects; Braze accepts at most "
                f"{braze.MAX_TRACK_OBJECTS} attributes, events and purchases in all per request",
            )
        return body

    def _endpoint_rules(self, node: MappingNode, endpoint, where: str) -> None:
        """Rules of a whole body that the catalogue states per endpoint."""
        given = {key_text(k): v for k, v in node.value}
        broadcast = given.get("broadcast")
        is_broadcast = isinstance(broadcast, ScalarNode) and source.value(broadcast) is True
        audience = [k for k in endpoint.audience_keys if k in given]
        if endpoint.audience_keys and not audience and not is_broadcast:
            self.report.error(
                broadcast if broadcast is not None else node,
                f"{where}.body names no recipient: give "
                f"{one_of(repr(k) for k in endpoint.audience_keys)}, or write "
                "'broadcast: true' to send to the whole segment or audience "
                f"(Braze rejects {endpoint.path} with neither)",
            )
        if is_broadcast:
            for key in [*audience, "attachments"]:
                if key in given:
                    self.report.error(
                        _key_node(node, key),
                        f"{where}.body: {key!r} cannot go with 'broadcast: true' (Braze "
                        f"rejects it); a broadcast goes to the whole segment or audience, so "
                        f"remove {key!r} or the broadcast",
                    )
        if endpoint.path == "v2/subscription/status/set":
            self._mixed_channels(given.get("subscription_groups"), where)
        for key, why in endpoint.recommended:
            if key not in given:
                self.report.warning(node, f"{where}.body has no {key!r}: {why}")

    def _mixed_channels(self, groups, where: str) -> None:
        """§3.12: email and SMS groups go together only when users are named by external_ids."""
        if not isinstance(groups, source.SequenceNode):
            return
        keys = [
            {key_text(k) for k, _ in g.value} for g in groups.value if isinstance(g, MappingNode)
        ]
        if any("emails" in k for k in keys) and any("phones" in k for k in keys):
            self.report.error(
                groups,
                f"{where}.body.subscription_groups mixes email groups (emails) and SMS groups "
                "(phones): Braze takes both in one request only when users are given by "
                "external_ids; use two nodes, or external_ids",
            )

    def _outputs(self, entry, where: str) -> tuple[Output, ...]:
        if entry is None:
            return ()
        report = self.report
        node = report.mapping(entry[1], f"{where}.outputs")
        if node is None:
            return ()
        outputs = []
        for key_node, value_node in node.value:
            variable = key_text(key_node)
            if not is_upper_case(variable):
                report.error(
                    key_node,
                    f"output {variable!r} must be an UPPER_CASE Pypestream variable, such as "
                    f"{to_upper_case(variable) or 'BRAZE_VALUE'!r}",
                )
                continue
            if variable in ("BRAZE_STATUS", "BRAZE_ERROR"):
                report.error(
                    key_node, f"output {variable!r} is set by every node already; choose another"
                )
                continue
            text = report.string(value_node, f"{where}.outputs.{variable}")
            if text is None:
                continue
            if not _OUTPUT_PATH.fullmatch(text):
                report.error(
                    value_node,
                    f"output {variable}: {text!r} is not a path into Braze's answer; write "
                    "keys separated by dots with [N] for list items, e.g. users[0].first_name",
                )
                continue
            outputs.append(Output(variable, _parse_path(text), text))
        return tuple(outputs)


def _now(reader: BodyReader):
    from ..model import Now

    reader.uses_now = True
    reader.conversions.add("now")
    return Now()


def _increments(body) -> bool:
    """True when an attribute uses {"inc": N}: repeating the request would add twice."""
    if isinstance(body, dict):
        if "inc" in body and len(body) == 1:
            return True
        return any(_increments(v) for k, v in body.items() if k != SPREAD_IDENTIFIER)
    if isinstance(body, list):
        return any(_increments(v) for v in body)
    return False


def _parse_path(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for segment in text.split("."):
        name, *indexes = re.split(r"\[", segment)
        parts.append(name)
        parts.extend(int(i.rstrip("]")) for i in indexes)
    return tuple(parts)


def _key_node(node: MappingNode, key: str):
    return next((k for k, _ in node.value if key_text(k) == key), node)


def _first_value(node, key: str):
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if key_text(k) == key:
                return v
    return None


def _find_param(entry, param: str):
    if entry is None:
        return None
    stack = [entry[1]]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if key_text(k) == "param" and isinstance(v, ScalarNode) and v.value == param:
                    return v
                stack.append(v)
        elif isinstance(node, source.SequenceNode):
            stack.extend(node.value)
    return None


__all__ = ["SPEC_VERSION", "Level", "SpecError", "load_solution"]
