"""A node's request: which of path, body and query its endpoint takes, the path's parameters,
the body or query of any endpoint but a track one (track.py), and the rules Braze states of a
whole body or query (who receives a message, what goes with what), as the endpoint's record
declares them (audience_keys, recommended, checks).

    check_request_keys(report, node, keys, endpoint, item, where)   path, body, query as taken
    read_path(report, values, entry, endpoint, where) -> {parameter: value}
    read_request(report, node, endpoint, body, where) -> the body, or a GET's query
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..braze.checks import Distinct, NotBoth, UnmixedItems
from ..braze.endpoint import Endpoint
from ..braze.messaging import LOCAL_SCHEDULE, LOCAL_SCHEDULE_FLAGS
from ..braze.shapes import Field, Shape
from ..model import Const
from .body import BodyReader
from .naming import did_you_mean, one_of
from .report import Report, key_text, value_of
from .source import MappingNode, ScalarNode, SequenceNode, value
from .value_forms import ValueReader


def check_request_keys(
    report: Report, node: MappingNode, keys, endpoint: Endpoint | None, item: str, where: str
) -> None:
    """Which of path, body and query the endpoint takes: a POST's body, a GET's query, and
    its path's parameters. item is where the node is in the list, where its name."""
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
                f"{item} needs the key 'query': {endpoint.display} takes its parameters there",
            )
    path_given = "path" in keys or report.misspelt(node, "path")
    if endpoint is not None and endpoint.parameters and not path_given:
        _missing_path(report, node, endpoint, where)


def read_path(report: Report, values: ValueReader, entry, endpoint: Endpoint, where: str) -> dict:
    """The values of the endpoint's path parameters, each read like a value of a body."""
    names = endpoint.parameters
    if entry is None:
        return {}
    key_node, value_node = entry
    if not names:
        report.error(
            key_node,
            f"{where}: 'path' gives the parameters of an endpoint's path, and "
            f"{endpoint.path} has none; remove it",
        )
        return {}
    mapping = report.mapping(value_node, f"{where}.path")
    if mapping is None:
        return {}
    path: dict = {}
    for name_node, node in mapping.value:
        name = key_text(name_node)
        if name not in names:
            report.error(
                name_node,
                f"unknown path parameter {name!r} in {where}.path{did_you_mean(name, names)}; "
                f"{endpoint.path} takes {' and '.join(names)}",
            )
            continue
        leaf = values.leaf(node, endpoint.path_value(name), f"{where}.path.{name}")
        if isinstance(node, MappingNode | SequenceNode) and not values.is_form(node):
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            report.error(
                node,
                f"{where}.path.{name} takes one value (text, a whole number or a value form "
                f'such as "{{VAR}}"), not {kind}',
            )
        if leaf is not None:
            path[name] = leaf
    missing = [name for name in names if name not in {key_text(k) for k, _ in mapping.value}]
    if missing:
        report.error(
            mapping,
            f"{where}.path needs {' and '.join(map(repr, missing))}: {endpoint.path} is "
            "called with every parameter of its path",
        )
    return path


def _missing_path(report: Report, node: MappingNode, endpoint: Endpoint, where: str) -> None:
    """A node whose endpoint has path parameters and whose spec gives no `path`."""
    names = endpoint.parameters
    example = ", ".join(f"{name}: ..." for name in names)
    report.error(
        node,
        f"{where} needs the key 'path' with {' and '.join(names)}, the parameters of "
        f"{endpoint.path}, such as path: {{{example}}}",
    )


def read_request(
    report: Report, node: MappingNode, endpoint: Endpoint, body: BodyReader, where: str
) -> dict:
    """The body of a POST, or the query of a GET, of any endpoint but a track one."""
    request = body.walk(node, _request_shape(node, endpoint), (), f"{where}.{endpoint.takes}")
    _check_request(report, node, request, endpoint, where)
    return request


def _request_shape(node: MappingNode, endpoint: Endpoint) -> Shape:
    """The shape the spec's body (or query) is read by. A schedule sent in users' local time
    takes its time without a zone, so the time is converted (and checked) as such."""
    shape = endpoint.shape
    schedule = value_of(node, "schedule")
    if "schedule" in shape.fields and isinstance(schedule, MappingNode):
        local = any(
            isinstance(flag, ScalarNode) and value(flag) is True
            for flag in (value_of(schedule, key) for key in LOCAL_SCHEDULE_FLAGS)
        )
        if local:
            fields = dict(shape.fields, schedule=Field(LOCAL_SCHEDULE, required=True))
            return replace(shape, fields=fields)
    return shape


def _check_request(report: Report, node: MappingNode, body: dict, endpoint: Endpoint, where):
    """Rules of a whole body or query that the catalogue states per endpoint."""
    given = {key_text(k): v for k, v in node.value}
    what = f"{where}.{endpoint.takes}"
    broadcast = given.get("broadcast")
    is_broadcast = isinstance(broadcast, ScalarNode) and value(broadcast) is True
    audience = [k for k in endpoint.audience_keys if k in given]
    if endpoint.audience_keys and not audience and not is_broadcast:
        report.error(
            broadcast if broadcast is not None else node,
            f"{what} names no recipient: give "
            f"{one_of(repr(k) for k in endpoint.audience_keys)}, or write "
            "'broadcast: true' to send to the whole segment or audience "
            f"(Braze rejects {endpoint.path} with neither)",
        )
    if is_broadcast:
        for key in [*audience, "attachments"]:
            if key in given:
                report.error(
                    _key_node(node, key),
                    f"{what}: {key!r} cannot go with 'broadcast: true' (Braze "
                    f"rejects it); a broadcast goes to the whole segment or audience, so "
                    f"remove {key!r} or the broadcast",
                )
    for check in endpoint.checks:
        _APPLY[type(check)](report, check, node, given, body, what)
    for key, why in endpoint.recommended:
        if key not in given:
            report.warning(node, f"{what} has no {key!r}: {why}")


def _not_both(report: Report, check: NotBoth, node, given: dict, body: dict, what: str) -> None:
    first, second = check.keys
    if {first, second} <= set(given) and check.unless not in given:
        report.error(
            _key_node(node, second),
            f"{what} has both {first!r} and {second!r}: Braze refuses both without an "
            f"{check.unless!r}; {check.advice}",
        )


def _unmixed(report: Report, check: UnmixedItems, node, given: dict, body: dict, what: str):
    items = given.get(check.key)
    if not isinstance(items, SequenceNode):
        return
    keys = [{key_text(k) for k, _ in i.value} for i in items.value if isinstance(i, MappingNode)]
    if all(any(kind in k for k in keys) for kind in check.kinds):
        report.error(items, f"{what}.{check.key} mixes {check.what}: {check.why}")


def _distinct(report: Report, check: Distinct, node, given: dict, body: dict, what: str) -> None:
    written = given.get(check.key)
    if not isinstance(written, SequenceNode):
        return
    for index, item in enumerate(body.get(check.key) or []):
        if not isinstance(item, dict) or index >= len(written.value):
            continue
        first, second = item.get(check.first), item.get(check.second)
        if first is not None and first == second and not isinstance(first, dict | list):
            same = "the same constant" if isinstance(first, Const) else "the same answer"
            report.error(
                value_of(written.value[index], check.second) or written.value[index],
                f"{what}.{check.key}[{index}]: {check.second} is {same} as {check.first}; "
                f"{check.why}",
            )


_APPLY: dict[type, Callable[..., None]] = {
    NotBoth: _not_both,
    UnmixedItems: _unmixed,
    Distinct: _distinct,
}


def _key_node(node: MappingNode, key: str):
    return next((k for k, _ in node.value if key_text(k) == key), node)
