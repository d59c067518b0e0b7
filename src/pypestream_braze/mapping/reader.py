"""Mapping spec (version 1) to the model, collecting every problem with its file, line and column.

    load_solution(path) -> (Solution, warnings)    raises SpecError listing every error

The reference users read is the README's "Mapping reference"; version 1 is a contract: a file valid
today keeps its meaning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .. import braze
from ..braze.endpoint import Endpoint
from ..braze.objects import PRIMARY_IDENTIFIERS, TRACK_IDENTIFIERS
from ..braze.shapes import obj
from ..errors import Level, Problem, SpecError
from ..model import SPREAD_IDENTIFIER, Node, Output, Solution
from . import numbering, source
from .body import BodyReader
from .environments import read_environments, warn_unused_params
from .inherited import NOTHING, Inherited
from .naming import (
    camel_case_example,
    customer_problem,
    did_you_mean,
    is_camel_case,
    is_package_name,
    is_upper_case,
    node_name_problem,
    one_of,
    package_name,
    package_problem,
    shown,
    solution_problem,
    to_upper_case,
)
from .report import Report, key_text
from .request import check_request, missing_path, read_path, request_shape
from .routes import read_node_number, read_routes, warn_missing_routes
from .rules import path_rules, rules_for
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
REQUIRED_TOP_KEYS = ("customer", "solution", "nodes")
DEFAULT_KEYS = ("timeout", "error_node", "create_error_node", "minor_errors", "resend_events")
NODE_KEYS = (
    "name",
    "endpoint",
    "description",
    "identifier",
    "path",
    "body",
    "query",
    "outputs",
    "routing",
    "timeout",
    "minor_errors",
    "resend_events",
    "renamed_from",
)
MINOR_ERRORS = ("succeed", "fail")
DEFAULT_TIMEOUT = 8.0
MAX_TIMEOUT = 60.0
# Unicode's bidirectional embeddings, overrides and isolates (and the marks pylint flags): in a
# docstring or a document they can make text display in another order than it is stored.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OUTPUT_KEY = r"([A-Za-z_$][\w$-]*|\*)(\[\d+\])*"
_OUTPUT_PATH = re.compile(rf"^{_OUTPUT_KEY}(\.{_OUTPUT_KEY})*$")


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
        keys = report.keys(top, "the spec", TOP_KEYS, REQUIRED_TOP_KEYS)
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
        wrong_solution = solution_problem(solution) if solution is not None else None
        if wrong_solution:
            report.error(keys["solution"][1], wrong_solution)
        valid_solution = solution if not wrong_solution else None  # None: missing or wrong
        if (
            customer
            and valid_solution
            and (wrong_customer := customer_problem(customer, valid_solution))
        ):
            report.warning(keys["customer"][1], wrong_customer)
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
                f"solution {shown(valid_solution)} makes the package name {shown(package)}, which "
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
        warn_unused_params(report, top, environments, {p for node in nodes for p in node.params})
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
            previous=self._previous_numbers(nodes),
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

    def _previous_numbers(self, nodes: list[Node]) -> dict[str, int]:
        """The numbers earlier generations assigned, by name; a renamed node keeps the number
        its old name had."""
        previous = dict(self.previous_numbers)
        for node in nodes:
            if node.renamed_from in self.previous_numbers:
                previous[node.name] = self.previous_numbers[node.renamed_from]
        return previous

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
        self._check_renames(nodes, items, names)
        error_node = defaults["error_node"]
        if error_node is not None and error_node in numbers:
            report.error(
                numbers[error_node],
                f"node number {error_node} is also defaults.error_node, the shared error node "
                "design_studio.csv adds; give this node another number or choose another "
                "error_node",
            )
        return nodes

    def _check_renames(
        self, nodes: list[Node], items: list[YamlNode], names: dict[str, YamlNode]
    ) -> None:
        """renamed_from names a node that is no longer in the spec, and only one node's."""
        claimed: dict[str, YamlNode] = {}
        for node, item in zip(nodes, items, strict=True):
            old = node.renamed_from
            if old is None:
                continue
            at = _first_value(item, "renamed_from") or item
            if old == node.name:
                self.report.error(
                    at, f"{node.name}: renamed_from names the node itself; remove renamed_from"
                )
            elif old in names:
                line = self.report.source.at(names[old]).line
                self.report.error(
                    at,
                    f"{node.name}: renamed_from {old!r} is the name of another node (line "
                    f"{line}); renamed_from gives the name this node had before, which no node "
                    "has now",
                )
            elif old in claimed:
                line = self.report.source.at(claimed[old]).line
                self.report.error(
                    at,
                    f"{node.name}: renamed_from {old!r} is also given on line {line}; only one "
                    "node can have been called that",
                )
            claimed.setdefault(old, at)

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
        keys = report.keys(node, where, NODE_KEYS, ("name", "endpoint"))
        name = self._node_name(keys, where)
        renamed_from = self._node_name(keys, where, "renamed_from")
        endpoint = self._endpoint(keys)
        self._request_keys(node, keys, endpoint, where, name or where)
        if name:
            where = name
        options = dict(defaults)
        self._options(keys, options, where)
        reader = BodyReader(report, identifier_misspelt=report.misspelt(node, "identifier"))
        identifier = self._identifier(keys, endpoint, reader, where)
        path = {}
        if endpoint is not None:
            path = read_path(report, reader, keys.get("path"), endpoint, where)
        body = {}
        part = endpoint.takes if endpoint is not None else "body"
        if part in keys and endpoint is not None:
            body_node = report.mapping(keys[part][1], f"{where}.{part}")
            if body_node is not None:
                body = self._body(body_node, endpoint, identifier, reader, where)
        for param in reader.params:
            if param not in declared and report.known("params"):
                found = (_find_param(keys.get(k), param) for k in ("path", "body", "query"))
                report.error(
                    next((at for at in found if at is not None), node),
                    f"param {param!r} is not declared in the environments' params"
                    f"{did_you_mean(param, declared)}; add it under environments.sandbox.params "
                    "and environments.live.params",
                )
        outputs = self._outputs(keys.get("outputs"), endpoint, where)
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
        unsafe_arrays = [key for key in endpoint.unsafe_keys if body.get(key)]
        repeat_safe = endpoint.repeat_safe and not unsafe_arrays and not _increments(body)
        if endpoint.dedupe_key in body or options["resend_events"]:
            # Braze de-duplicates on the key, which a node always sends when the spec gives it.
            repeat_safe = True
        return Node(
            name=name,
            endpoint=endpoint,
            description=" ".join(description.split()) or endpoint.summary,
            routes=routes,
            timeout=options["timeout"],
            identifier=identifier,
            body=body,
            rules=rules_for(body, endpoint.shape, endpoint.audience_keys),
            outputs=outputs,
            variables=tuple(reader.variables),
            conversions=frozenset(reader.conversions),
            params=tuple(reader.params),
            context_keys=tuple(reader.context_keys),
            uses_now=reader.uses_now,
            repeat_safe=repeat_safe,
            minor_errors_fail=options["minor_errors"] == "fail",
            path=path,
            path_rules=path_rules(path),
            renamed_from=renamed_from,
        )

    def _request_keys(self, node: MappingNode, keys, endpoint, item: str, where: str) -> None:
        """Which of path, body and query the endpoint takes: a POST's body, a GET's query, and
        its path's parameters. item is where the node is in the list, where its name."""
        report = self.report
        if endpoint is None and ("endpoint" in keys or report.misspelt(node, "endpoint")):
            pass  # an endpoint that is not known: what it takes is not known either
        elif endpoint is None or endpoint.method == "POST":
            if "body" not in keys and not report.misspelt(node, "body"):
                report.error(node, f"{item} needs the key 'body'")
            if endpoint is not None and "query" in keys:
                report.error(
                    keys["query"][0],
                    f"{where}: {endpoint.display} takes a JSON body, not a query; write its "
                    "values under 'body'",
                )
        else:
            if "body" in keys:
                report.error(
                    keys["body"][0],
                    f"{where}: {endpoint.display} takes no body; "
                    + (
                        "write its parameters under 'query'"
                        if endpoint.query is not None
                        else f"give its {' and '.join(endpoint.parameters)} under 'path'"
                    ),
                )
            if endpoint.query is None and "query" in keys:
                report.error(
                    keys["query"][0],
                    f"{where}: {endpoint.display} takes no query; give its "
                    f"{' and '.join(endpoint.parameters)} under 'path'",
                )
            elif (
                endpoint.query_required
                and "query" not in keys
                and "body" not in keys
                and not report.misspelt(node, "query")
            ):
                report.error(
                    node,
                    f"{item} needs the key 'query': {endpoint.display} takes its parameters "
                    "there",
                )
        path_given = "path" in keys or report.misspelt(node, "path")
        if endpoint is not None and endpoint.parameters and not path_given:
            missing_path(report, node, endpoint, where)

    def _node_name(self, keys, where: str, key: str = "name") -> str | None:
        """The node's name, or with key="renamed_from" the name it had before."""
        if key not in keys:
            return None
        node = keys[key][1]
        name = self.report.string(node, f"{where}.{key}")
        if name is None:
            return None
        what = "node name" if key == "name" else key
        if not is_camel_case(name):
            why = (
                "it is the class name, the file name and the Design Studio Command"
                if key == "name"
                else "it gives the name the node had before, and node names are CamelCase"
            )
            self.report.error(
                node,
                f"{what} {shown(name)} must be CamelCase letters and digits, such as "
                f"{shown(camel_case_example(name, 'BrazeTrackProfile'))}: {why}",
            )
            return None
        problem = node_name_problem(name)
        if problem:
            self.report.error(node, f"{what} {shown(name, 20)} {problem}")
            return None
        return name

    def _endpoint(self, keys) -> Endpoint | None:
        if "endpoint" not in keys:
            return None
        node = keys["endpoint"][1]
        path = self.report.string(node, "endpoint")
        if path is None:
            return None
        method, path = endpoint_parts(path)
        endpoint = braze.ENDPOINTS.get(path)
        if endpoint is not None and method and method.upper() != endpoint.method:
            self.report.error(
                node,
                f"{endpoint.path} is a {endpoint.method} endpoint, not {method.upper()}; write "
                f"endpoint: {endpoint.display}",
            )
            return None
        filled = _filled_template(path)
        if endpoint is None and filled is not None:
            template, values = filled
            given = ", ".join(f"{name}: {_yaml_text(text)}" for name, text in values.items())
            self.report.error(
                node,
                f"endpoint {path!r} has its parameters filled in; write the endpoint as "
                f"{template.path!r} and give the values under path: {{{given}}}",
            )
        elif endpoint is None:
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
        if endpoint is not None and not endpoint.tracks:
            self.report.error(
                key_node,
                f"{where}: 'identifier' applies to users/track and users/track/sync only; for "
                f"{endpoint.path} put the identifier in the {endpoint.takes}",
            )
            return None
        node = self.report.mapping(value_node, f"{where}.identifier")
        if node is None:
            return None
        shape = obj(dict(TRACK_IDENTIFIERS))
        identifier = {}
        for k, v in node.value:
            key = key_text(k)
            if key not in TRACK_IDENTIFIERS:
                self.report.error(
                    k,
                    f"unknown identifier {key!r}{did_you_mean(key, TRACK_IDENTIFIERS)}; "
                    f"allowed: {one_of(TRACK_IDENTIFIERS)}",
                )
                continue
            identifier[key] = reader.walk(
                v, shape.fields[key].shape, (key,), f"{where}.identifier.{key}"
            )
        if not node.value:
            self.report.error(node, f"{where}.identifier is empty; give one identifier")
        primary = [k for k in PRIMARY_IDENTIFIERS if k in identifier]
        if len(primary) > 1:
            self.report.error(
                node,
                f"{where}.identifier has both {' and '.join(map(repr, primary))}: Braze rejects "
                "an object with more than one primary identifier (external_id, user_alias, "
                "braze_id); keep one",
            )
        return identifier

    def _body(self, node: MappingNode, endpoint, identifier, reader: BodyReader, where) -> dict:
        """The node's body, or a GET's query."""
        shape = request_shape(node, endpoint)
        if not endpoint.tracks:
            request = reader.walk(node, shape, (), f"{where}.{endpoint.takes}")
            check_request(self.report, node, request, endpoint, where)
            return request
        # users/track(/sync): the node's identifier is spread into every object of the arrays.
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
        if len(body) > 1 and shape.exclusive:
            report.error(
                node,
                f"{where}.body has {' and '.join(map(repr, body))}; {endpoint.path} takes one "
                f"of {one_of(shape.exclusive)} per request: use one node for each",
            )
        elif total > (endpoint.max_objects or 0):
            most = endpoint.max_objects
            report.error(
                node,
                f"{where}.body has {total} objects; Braze accepts at most "
                + (
                    f"{most} attributes, events and purchases in all per request"
                    if most > 1
                    else f"one object per {endpoint.path} request: use one node for each"
                ),
            )
        return body

    def _outputs(self, entry, endpoint, where: str) -> tuple[Output, ...]:
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
                    "keys separated by dots with [N] for list items and * for the first entry, "
                    "e.g. users[0].first_name or status.*",
                )
                continue
            path = _parse_path(text)
            fields = endpoint.answer.fields if endpoint is not None else ()
            if fields and path[0] not in fields:
                report.warning(
                    value_node,
                    f"output {variable}: Braze's answer to {endpoint.display} has no "
                    f"{path[0]!r}{did_you_mean(str(path[0]), fields)}; it has {one_of(fields)}",
                )
            outputs.append(Output(variable, path, text))
        return tuple(outputs)


# An endpoint is written as its path, with or without slashes around it, and may start with its
# method, as Braze's pages write it: "GET /subscription/status/get". One definition serves the
# reader (endpoint_parts) and the JSON Schema (endpoint_pattern).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def endpoint_parts(text: str) -> tuple[str, str]:
    """(method as written, or "", path without slashes around it) of an endpoint's text."""
    method, _, rest = text.strip().partition(" ")
    if method.upper() in METHODS and rest.strip():
        return method, rest.strip().strip("/")
    return "", text.strip().strip("/")


def endpoint_pattern(endpoint: Endpoint) -> str:
    """A regular expression (ECMA 262 and Python alike) matching every text endpoint_parts reads
    as this endpoint with its own method."""
    method = "".join(f"[{c.upper()}{c.lower()}]" for c in endpoint.method)
    return rf"^\s*({method} \s*)?/*{re.escape(endpoint.path)}/*\s*$"


def _filled_template(path: str) -> tuple[Endpoint, dict[str, str]] | None:
    """The endpoint whose path template matches path with its {parameters} filled in, and the
    values written for them: catalogs/products/items/SKU-1 -> catalogs/{catalog_name}/...."""
    parts = path.split("/")
    for endpoint in braze.ENDPOINTS.values():
        template = endpoint.path.split("/")
        if not endpoint.parameters or len(template) != len(parts):
            continue
        values = {}
        for expected, given in zip(template, parts, strict=True):
            if expected.startswith("{"):
                values[expected.strip("{}")] = given
            elif expected != given:
                break
        else:
            return endpoint, values
    return None


def _yaml_text(text: str) -> str:
    """text as a YAML flow value: plain when it can be, else double-quoted ("{PRODUCT_ID}")."""
    return text if re.fullmatch(r"[\w.-]+", text) else json.dumps(text, ensure_ascii=False)


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
