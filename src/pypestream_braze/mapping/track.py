"""users/track and users/track/sync: the node's `identifier`, and a body whose arrays of
attributes, events and purchases each get that identifier spread into every object.

    read_identifier(report, keys, endpoint, body, where) -> {key: value} or None
    read_track_body(report, node, endpoint, identifier, body, where) -> the body
"""

from __future__ import annotations

from ..braze.endpoint import Endpoint
from ..braze.objects import PRIMARY_IDENTIFIERS, TRACK_IDENTIFIERS
from ..braze.shapes import obj
from .body import BodyReader
from .naming import did_you_mean, one_of
from .report import Report, key_text
from .source import MappingNode

# Objects Braze records at the moment of the call when they give no time.
TIMED = ("events", "purchases")


def read_identifier(
    report: Report, keys, endpoint: Endpoint | None, body: BodyReader, where: str
) -> dict | None:
    """The node's `identifier`, which only a track endpoint takes."""
    if "identifier" not in keys:
        return None
    key_node, value_node = keys["identifier"]
    if endpoint is not None and not endpoint.tracks:
        report.error(
            key_node,
            f"{where}: 'identifier' applies to users/track and users/track/sync only; for "
            f"{endpoint.path} put the identifier in the {endpoint.takes}",
        )
        return None
    node = report.mapping(value_node, f"{where}.identifier")
    if node is None:
        return None
    shape = obj(dict(TRACK_IDENTIFIERS))
    identifier = {}
    for k, v in node.value:
        key = key_text(k)
        if key not in TRACK_IDENTIFIERS:
            report.error(
                k,
                f"unknown identifier {key!r}{did_you_mean(key, TRACK_IDENTIFIERS)}; "
                f"allowed: {one_of(TRACK_IDENTIFIERS)}",
            )
            continue
        identifier[key] = body.walk(v, shape.fields[key].shape, (key,), f"{where}.identifier.{key}")
    if not node.value:
        report.error(node, f"{where}.identifier is empty; give one identifier")
    primary = [k for k in PRIMARY_IDENTIFIERS if k in identifier]
    if len(primary) > 1:
        report.error(
            node,
            f"{where}.identifier has both {' and '.join(map(repr, primary))}: Braze rejects "
            "an object with more than one primary identifier (external_id, user_alias, "
            "braze_id); keep one",
        )
    return identifier


def read_track_body(
    report: Report,
    node: MappingNode,
    endpoint: Endpoint,
    identifier: dict | None,
    body: BodyReader,
    where: str,
) -> dict:
    """A track endpoint's body: the node's identifier is spread into every object of its
    arrays, which hold at most the endpoint's max_objects together."""
    shape = endpoint.shape
    result: dict = {}
    total, most = 0, endpoint.max_objects or 0
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
            written = report.mapping(item, f"{child_where}[{i}]")
            if written is None:
                continue
            read = body.object(
                written, field.shape.items, (key, i), f"{child_where}[{i}]", identifier
            )
            if key in TIMED and "time" not in read:
                read["time"] = body.values.now()
            items.append(read)
        total += len(items)
        result[key] = items
    if not result:
        report.error(node, f"{where}.body needs one of {one_of(shape.fields)}")
    if len(result) > 1 and shape.exclusive:
        report.error(
            node,
            f"{where}.body has {' and '.join(map(repr, result))}; {endpoint.path} takes one "
            f"of {one_of(shape.exclusive)} per request: use one node for each",
        )
    elif total > most:
        report.error(
            node,
            f"{where}.body has {total} objects; Braze accepts at most "
            + (
                f"{most} attributes, events and purchases in all per request"
                if most > 1
                else f"one object per {endpoint.path} request: use one node for each"
            ),
        )
    return result
