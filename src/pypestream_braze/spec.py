"""Mapping spec (version 1) to the model, collecting every problem with its file, line and column.

    load_solution(path) -> (Solution, warnings)    raises SpecError listing every error

See docs/mapping.md for the reference users read; mapping-spec v1 is a contract: a file valid
today keeps its meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from . import braze, numbering, source
from .body import BodyReader, leaves
from .errors import Level, Problem, SpecError
from .model import (
    SPREAD_IDENTIFIER,
    Environment,
    Node,
    Output,
    Routes,
    Solution,
)
from .naming import (
    did_you_mean,
    is_camel_case,
    is_package_name,
    is_upper_case,
    one_of,
    package_name,
    to_camel_case,
    to_upper_case,
)
from .report import Report, describe, is_bool_word, key_text
from .source import MappingNode, ScalarNode
from .source import Node as YamlNode

SPEC_VERSION = 1
TOP_KEYS = ("version", "customer", "solution", "package", "environments", "defaults", "nodes")
ENVIRONMENTS = ("sandbox", "live")
ENV_KEYS = ("instance", "url", "api_key_env", "params")
DEFAULT_KEYS = ("timeout", "error_node", "minor_errors", "resend_events")
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
ROUTING_KEYS = ("node", "success", "failure", "error")
# Design Studio decision values a user may write as routing keys, and what they mean here.
ROUTING_SYNONYMS = {"true": "success", "false": "failure"}
MINOR_ERRORS = ("succeed", "fail")
DEFAULT_TIMEOUT = 8.0
MAX_NODE_NUMBER = 2**31 - 1  # numbers are integers in Design Studio; keep them in 32 bits
MAX_TIMEOUT = 60.0
_OUTPUT_PATH = re.compile(r"^[A-Za-z_$][\w$-]*(\[\d+\])*(\.[A-Za-z_$][\w$-]*(\[\d+\])*)*$")
_PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def load_solution(
    path: str | Path,
    text: str | None = None,
    assigned_numbers: Mapping[str, int] | None = None,
) -> tuple[Solution, list[Problem]]:
    """Read a spec; return the model and its warnings, or raise SpecError with every error.

    assigned_numbers: the node numbers an earlier generation assigned to nodes whose spec gives
    none (the solution's state); they are kept while still free, see numbering.py.
    """
    src = source.load(path, text)
    report = Report(src)
    solution = _SpecReader(report, assigned_numbers).solution(src.root)
    if report.has_errors or solution is None:
        raise SpecError(report.problems)
    warnings = sorted(report.problems, key=lambda p: p.location)
    return solution, warnings


class _SpecReader:
    def __init__(self, report: Report, assigned_numbers: Mapping[str, int] | None = None):
        self.report = report
        self.previous_numbers = dict(assigned_numbers or {})

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
        if solution is not None and not is_camel_case(solution):
            report.error(
                keys["solution"][1],
                f"solution {solution!r} must be CamelCase letters and digits, such as "
                f"{to_camel_case(solution) or 'AcmeClaims'!r}: it names the Design Studio solution",
            )
        package = package_name(solution or "")
        if "package" in keys:
            package = self._text(keys, "package") or package
            if not is_package_name(package):
                report.error(
                    keys["package"][1],
                    f"package {package!r} must be a Python package name: lower case letters, "
                    "digits and underscores, not starting with a digit, and not 'tests' (the "
                    "solution's test folder)",
                )
        defaults = self._defaults(keys.get("defaults"))
        environments = self._environments(top, keys.get("environments"))
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
        return text.strip() if text else text

    # -- defaults -------------------------------------------------------------------------------

    def _defaults(self, entry) -> dict:
        result = {
            "timeout": DEFAULT_TIMEOUT,
            "error_node": None,
            "minor_errors": "succeed",
            "resend_events": False,
        }
        if entry is None:
            return result
        node = self.report.mapping(entry[1], "defaults")
        if node is None:
            return result
        keys = self.report.keys(node, "defaults", DEFAULT_KEYS)
        self._options(keys, result, "defaults")
        if "error_node" in keys:
            result["error_node"] = self._node_number(keys["error_node"][1], "defaults.error_node")
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

    def _environments(self, top: MappingNode, entry) -> tuple[Environment, ...]:
        report = self.report
        if entry is None:
            report.error(
                top,
                "the spec needs 'environments' with 'sandbox' and 'live', each naming a Braze "
                "'instance' (such as US-01) or a 'url'",
            )
            return ()
        node = report.mapping(entry[1], "environments")
        if node is None:
            return ()
        found: dict[str, Environment] = {}
        for key_node, value_node in node.value:
            name = key_text(key_node)
            if name == "prod":
                report.error(
                    key_node,
                    "name the production environment 'live' (Pypestream's name); app.py "
                    "also answers to 'prod' with the same settings",
                )
            elif name not in ENVIRONMENTS:
                report.error(
                    key_node,
                    f"unknown environment {name!r}{did_you_mean(name, ENVIRONMENTS)}; "
                    f"allowed: {one_of(ENVIRONMENTS)}",
                )
            else:
                env = self._environment(name, value_node)
                if env is not None:
                    found[name] = env
        for name in ENVIRONMENTS:
            written = {key_text(k) for k, _ in node.value}
            if name not in written and not (name == "live" and "prod" in written):
                report.error(
                    node,
                    f"environments needs {name!r}, with an 'instance' (such as US-01) or a 'url'",
                )
        params = [set(env.params) for env in found.values()]
        if len(params) == 2 and params[0] != params[1]:
            for env in found.values():
                other = next(e for e in found.values() if e is not env)
                for missing in sorted(set(other.params) - set(env.params)):
                    report.error(
                        node,
                        f"environment {env.name!r} lacks param {missing!r} that "
                        f"{other.name!r} has; every environment must declare the same params",
                    )
        return tuple(found[name] for name in ENVIRONMENTS if name in found)

    def _environment(self, name: str, value_node) -> Environment | None:
        report = self.report
        where = f"environments.{name}"
        node = report.mapping(value_node, where)
        if node is None:
            return None
        keys = report.keys(node, where, ENV_KEYS)
        url = instance = None
        if "instance" in keys and "url" in keys:
            report.error(keys["url"][0], f"{where}: give either 'instance' or 'url', not both")
        elif "instance" in keys:
            instance = report.string(keys["instance"][1], f"{where}.instance")
            if instance is not None:
                instance = instance.strip().upper()
                url = braze.INSTANCES.get(instance)
                if url is None:
                    report.error(
                        keys["instance"][1],
                        f"unknown Braze instance {instance!r}"
                        f"{did_you_mean(instance, braze.INSTANCES)}; "
                        f"allowed: {one_of(braze.INSTANCES)}, or give a 'url' instead",
                    )
        elif "url" in keys:
            url = self._url(keys["url"][1], where)
        else:
            report.error(
                node, f"{where} needs 'instance' (such as US-01) or 'url' (the REST endpoint)"
            )
        api_key_env = f"BRAZE_API_KEY_{name.upper()}"
        if "api_key_env" in keys:
            api_key_env = report.string(keys["api_key_env"][1], f"{where}.api_key_env") or ""
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", api_key_env):
                report.error(
                    keys["api_key_env"][1],
                    f"{where}.api_key_env must name an environment variable (letters, digits "
                    f"and _), not {api_key_env!r}; it is the variable's name, never the key",
                )
        params = self._params(keys.get("params"), where)
        if url is None:
            return None
        return Environment(name, url, instance, api_key_env, params)

    def _url(self, node, where: str) -> str | None:
        report = self.report
        url = report.string(node, f"{where}.url")
        if url is None:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            report.error(
                node,
                f"{where}.url must be an http(s) URL such as https://rest.iad-01.braze.com, "
                f"not {url!r}",
            )
            return None
        if parts.query or parts.fragment:
            report.error(node, f"{where}.url must not have a query or fragment")
            return None
        host = parts.hostname
        if not (host.startswith("rest.") and host.endswith(braze.REST_HOST_SUFFIXES)):
            report.warning(
                node,
                f"{where}.url: {host!r} is not a Braze REST host (rest.*.braze.com or "
                ".braze.eu); fine for a test server, wrong for a real solution",
            )
        elif parts.scheme != "https":
            report.error(node, f"{where}.url: Braze answers on https only")
        return url.strip().rstrip("/")

    def _params(self, entry, where: str) -> dict[str, object]:
        if entry is None:
            return {}
        report = self.report
        node = report.mapping(entry[1], f"{where}.params")
        if node is None:
            return {}
        params: dict[str, object] = {}
        for key_node, value_node in node.value:
            name = key_text(key_node)
            if not _PARAM_NAME.fullmatch(name):
                report.error(
                    key_node,
                    f"param name {name!r} must be lower_case letters, digits and _ "
                    "(it becomes a key of app.PARAMS)",
                )
                continue
            if name == "braze_url" or name.startswith("braze_"):
                report.error(
                    key_node,
                    f"param {name!r}: names starting with 'braze_' are reserved for the Braze "
                    "URL, API key and endpoint paths in app.PARAMS; choose another name",
                )
                continue
            if not isinstance(value_node, ScalarNode) or source.is_null(value_node):
                report.error(
                    value_node,
                    f"param {name!r} must be a single value, not " f"{describe(value_node)}",
                )
                continue
            if is_bool_word(value_node):
                report.warning(
                    value_node,
                    f"param {name!r}: YAML reads {value_node.value!r} "
                    "as a boolean; quote it if you mean the text",
                )
            params[name] = source.value(value_node)
        return params

    # -- nodes ----------------------------------------------------------------------------------

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
        routes = self._routes(keys.get("routing"), defaults, where)
        if len(report.problems) == errors:  # a rejected routing key is reported already
            self._missing_routes(routes, keys, node, where)
        description = ""
        if "description" in keys:
            description = report.string(keys["description"][1], f"{where}.description") or ""
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
            required=tuple(dict.fromkeys(reader.required)),
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
                f"node name {name!r} must be CamelCase letters and digits, such as "
                f"{to_camel_case(name) or 'BrazeTrackProfile'!r}: it is the class name, the file "
                "name and the Design Studio Command",
            )
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
        if endpoint.audience_keys and not any(k in given for k in endpoint.audience_keys):
            broadcast = given.get("broadcast")
            if broadcast is None or not (
                isinstance(broadcast, ScalarNode) and source.value(broadcast) is True
            ):
                self.report.error(
                    broadcast if broadcast is not None else node,
                    f"{where}.body names no recipient: give "
                    f"{one_of(repr(k) for k in endpoint.audience_keys)}, or write "
                    "'broadcast: true' to send to the whole segment or audience "
                    f"(Braze rejects {endpoint.path} with neither)",
                )
        for key, why in endpoint.recommended:
            if key not in given:
                self.report.warning(node, f"{where}.body has no {key!r}: {why}")

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

    def _routes(self, entry, defaults: dict, where: str) -> Routes:
        error_default = defaults["error_node"]
        values: dict[str, int | None] = {k: None for k in ROUTING_KEYS}
        values["error"] = error_default
        if entry is None:
            return Routes(**values)
        report = self.report
        node = report.mapping(entry[1], f"{where}.routing")
        if node is None:
            return Routes(**values)
        for key_node, value_node in node.value:
            key = key_text(key_node)
            if key_node.tag == "tag:yaml.org,2002:bool":
                meaning = "success" if source.value(key_node) else "failure"
                if is_bool_word(key_node):
                    report.error(
                        key_node,
                        f"YAML reads {key!r} as a boolean; write '{meaning}:' for the "
                        f"decision value {'true' if meaning == 'success' else 'false'}",
                    )
                    continue
                key = meaning
            key = ROUTING_SYNONYMS.get(key, key)
            if key not in ROUTING_KEYS:
                report.error(
                    key_node,
                    f"unknown key {key!r} in {where}.routing"
                    f"{did_you_mean(key, ROUTING_KEYS)}; allowed: {one_of(ROUTING_KEYS)} "
                    "(success is the decision value true, failure is false)",
                )
                continue
            values[key] = self._node_number(value_node, f"{where}.routing.{key}")
        return Routes(**values)

    def _missing_routes(self, routes: Routes, keys, node, where: str) -> None:
        """Warn about each decision value that leads nowhere: What Next? leaves it out."""
        at = keys["routing"][1] if "routing" in keys else keys.get("name", (None, node))[1]
        hints = {
            "true": "routing.success, the node to go to when Braze accepts the request",
            "false": "routing.failure, the node to go to when Braze refuses the request or a "
            "required value is missing",
            "error": "routing.error, the node to go to when no answer comes, or "
            "defaults.error_node, one shared error node (such as 99990) for every node",
        }
        for value in routes.missing:
            key = {"true": "success", "false": "failure"}.get(value, value)
            self.report.warning(
                at,
                f"{where} has no {key} route: add {hints[value]}; until then What Next? has "
                f"no '{value}~' and Design Studio will not know where '{value}' goes",
            )
        for key in ("success", "failure"):  # an error route looping back is caught elsewhere
            if routes.node is not None and getattr(routes, key) == routes.node:
                self.report.warning(
                    at,
                    f"{where}: routing.{key} leads back to this node ({routes.node}), which would "
                    "call Braze again in a loop; route it to the node that comes next",
                )

    def _node_number(self, node, what: str) -> int | None:
        if (
            isinstance(node, ScalarNode)
            and node.tag == "tag:yaml.org,2002:str"
            and re.fullmatch(r"-?\d+", node.value.strip())
        ):
            number = int(node.value)
        else:
            number = self.report.integer(node, what)
        if number is not None and abs(number) > MAX_NODE_NUMBER:
            self.report.error(
                node,
                f"{what}: {number} is not a node number Design Studio takes "
                f"(at most {MAX_NODE_NUMBER:,} either side of 0)",
            )
            return None
        return number


def _now(reader: BodyReader):
    from .model import Now

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


__all__ = ["SPEC_VERSION", "Level", "SpecError", "leaves", "load_solution"]
