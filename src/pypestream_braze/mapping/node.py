"""One item of the spec's `nodes`: an action node that calls one Braze endpoint.

    read_node(report, item, index, defaults, declared) -> Node, or None (reported)

Each part of the item is read by the module of that part: `endpoint` by endpoint_name.py,
`path`, `body` and `query` by request.py (a track endpoint's `identifier` and body by track.py,
the values in them by value_forms.py, their objects and lists by body.py), `outputs` by
outputs.py, `routing` by routes.py, the options by defaults.py. This module reads the rest (the
name, renamed_from, description) and puts the node together.
"""

from __future__ import annotations

from ..model import SPREAD_IDENTIFIER, Node
from .body import BodyReader
from .defaults import read_options
from .endpoint_name import read_endpoint
from .naming import camel_case_example, did_you_mean, is_camel_case, node_name_problem, shown
from .outputs import read_outputs
from .report import Report, key_text
from .request import check_request_keys, read_path, read_request
from .routes import read_routes, warn_missing_routes
from .rules import path_rules, rules_for
from .source import MappingNode, ScalarNode, SequenceNode
from .track import read_identifier, read_track_body
from .value_forms import ValueReader

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


def read_node(report: Report, item, index: int, defaults: dict, declared: set) -> Node | None:
    """The node of the item at index of `nodes`. defaults: the spec's (defaults.py); declared:
    the params its environments declare."""
    where = f"nodes[{index}]"
    node = report.mapping(item, where)
    if node is None:
        return None
    keys = report.keys(node, where, NODE_KEYS, ("name", "endpoint"))
    name = _node_name(report, keys, where)
    renamed_from = _node_name(report, keys, where, "renamed_from")
    endpoint = read_endpoint(report, keys)
    check_request_keys(report, node, keys, endpoint, where, name or where)
    if name:
        where = name
    options = dict(defaults)
    read_options(report, keys, options, where)
    values = ValueReader(report)
    body_reader = BodyReader(report, values, report.misspelt(node, "identifier"))
    identifier = read_identifier(report, keys, endpoint, body_reader, where)
    path = {}
    if endpoint is not None:
        path = read_path(report, values, keys.get("path"), endpoint, where)
    body = {}
    part = endpoint.takes if endpoint is not None else "body"
    if part in keys and endpoint is not None:
        body_node = report.mapping(keys[part][1], f"{where}.{part}")
        if body_node is not None and endpoint.tracks:
            body = read_track_body(report, body_node, endpoint, identifier, body_reader, where)
        elif body_node is not None:
            body = read_request(report, body_node, endpoint, body_reader, where)
    for param in values.params:
        if param not in declared and report.known("params"):
            found = (_find_param(keys.get(k), param) for k in ("path", "body", "query"))
            report.error(
                next((at for at in found if at is not None), node),
                f"param {param!r} is not declared in the environments' params"
                f"{did_you_mean(param, declared)}; add it under environments.sandbox.params "
                "and environments.live.params",
            )
    outputs = read_outputs(report, keys.get("outputs"), endpoint, where)
    errors = len(report.problems)
    routes = read_routes(report, keys.get("routing"), defaults, where)
    if len(report.problems) == errors:  # a rejected routing key is reported already
        warn_missing_routes(report, routes, keys, node, where)
    description = ""
    if "description" in keys:
        description = report.string(keys["description"][1], f"{where}.description") or ""
        if not report.displayable(keys["description"][1], description, f"{where}.description"):
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
        variables=tuple(values.variables),
        conversions=frozenset(values.conversions),
        params=tuple(values.params),
        context_keys=tuple(values.context_keys),
        uses_now=values.uses_now,
        repeat_safe=repeat_safe,
        minor_errors_fail=options["minor_errors"] == "fail",
        path=path,
        path_rules=path_rules(path),
        renamed_from=renamed_from,
    )


def _node_name(report: Report, keys, where: str, key: str = "name") -> str | None:
    """The node's name, or with key="renamed_from" the name it had before."""
    if key not in keys:
        return None
    node = keys[key][1]
    name = report.string(node, f"{where}.{key}")
    if name is None:
        return None
    what = "node name" if key == "name" else key
    if not is_camel_case(name):
        why = (
            "it is the class name, the file name and the Design Studio Command"
            if key == "name"
            else "it gives the name the node had before, and node names are CamelCase"
        )
        report.error(
            node,
            f"{what} {shown(name)} must be CamelCase letters and digits, such as "
            f"{shown(camel_case_example(name, 'BrazeTrackProfile'))}: {why}",
        )
        return None
    problem = node_name_problem(name)
    if problem:
        report.error(node, f"{what} {shown(name, 20)} {problem}")
        return None
    return name


def _increments(body) -> bool:
    """True when an attribute uses {"inc": N}: repeating the request would add twice."""
    if isinstance(body, dict):
        if "inc" in body and len(body) == 1:
            return True
        return any(_increments(v) for k, v in body.items() if k != SPREAD_IDENTIFIER)
    if isinstance(body, list):
        return any(_increments(v) for v in body)
    return False


def _find_param(entry, param: str):
    """Where the entry (key node, value node) reads {param: param}, to report it there."""
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
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return None
