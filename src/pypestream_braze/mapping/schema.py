"""The JSON Schema (draft 2020-12) of the mapping spec, built from the catalogue, the value types
and the reader's own keys.

    schema() -> dict        schema_text() -> the JSON, as committed in mappings/schema.json

It helps editors (the YAML language server) complete and flag keys while a spec is typed. The
reader (reader.py and the modules that read each part of a spec) stays the authority: it knows
more than a schema can say (placeholders, params declared per environment, near misses), so the
schema errs on the side of accepting what the reader decides about.
"""

from __future__ import annotations

import json
from itertools import combinations

from .. import braze
from ..braze.endpoint import Endpoint
from ..braze.instances import INSTANCES
from ..braze.objects import TRACK_IDENTIFIERS
from ..braze.shapes import (
    ANY,
    ARRAY,
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    MAX_STRING,
    NUMBER,
    OBJECT,
    STRING,
    Shape,
    obj,
)
from ..values import DURATION, IDENTIFIERS, VALUE_TYPES, ZONE
from . import environments, routes
from .body import RESERVED_PROPERTY_KEYS
from .defaults import DEFAULT_KEYS, MAX_TIMEOUT, MINOR_ERRORS
from .endpoint_name import endpoint_pattern
from .node import NODE_KEYS
from .reader import REQUIRED_TOP_KEYS, SPEC_VERSION, TOP_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_UPPER = "^[A-Z][A-Z0-9_]*$"
_CAMEL = "^[A-Z][A-Za-z0-9]*$"
_PLACEHOLDER = r"\{[A-Z][A-Z0-9_]*\}"
_JSON_TYPES = {
    STRING: "string",
    DATE: "string",
    DATETIME: "string",
    INTEGER: "integer",
    NUMBER: "number",
    BOOLEAN: "boolean",
    OBJECT: "object",
    ARRAY: "array",
}
_DYNAMIC = {"$ref": "#/$defs/dynamic"}


def schema() -> dict:
    defs: dict[str, dict] = {
        "dynamic": {
            "description": "A value read when the node runs",
            "anyOf": [
                {"$ref": "#/$defs/placeholder"},
                {"$ref": "#/$defs/var"},
                {"$ref": "#/$defs/param"},
                {"$ref": "#/$defs/context"},
                {"$ref": "#/$defs/now"},
            ],
        },
        "placeholder": {
            "description": 'Text with {VAR} placeholders, filled from the payload: "{FIRST_NAME}"',
            "type": "string",
            "pattern": _PLACEHOLDER,
        },
        "var": {
            "description": "payload[VAR] converted to a type",
            "type": "object",
            "properties": {
                "var": {"type": "string", "pattern": _UPPER},
                "as": {"enum": list(VALUE_TYPES)},
                "format": {"type": "string", "description": "strptime pattern, e.g. %m/%d/%Y"},
                "default": {"type": ["string", "number", "boolean"]},
                "required": {
                    "type": "boolean",
                    "description": "true: a missing or unusable answer stops the call (false)",
                },
                "zone": {
                    "type": "string",
                    "description": "as: datetime: the zone of an answer given without one, "
                    "UTC or an offset such as +02:00",
                    "pattern": f"^(?:{ZONE.pattern})$",
                },
            },
            "required": ["var"],
            "additionalProperties": False,
        },
        "now": {
            "description": "The moment of the call plus an ISO 8601 duration: {now: P3D}",
            "type": "object",
            "properties": {"now": {"type": "string", "pattern": f"^{DURATION.pattern}$"}},
            "required": ["now"],
            "additionalProperties": False,
        },
        "param": {
            "description": "app.PARAMS[env][NAME], declared under every environment's params",
            "type": "object",
            "properties": {"param": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}},
            "required": ["param"],
            "additionalProperties": False,
        },
        "context": {
            "description": "context[KEY], e.g. chat_id",
            "type": "object",
            "properties": {"context": {"type": "string"}},
            "required": ["context"],
            "additionalProperties": False,
        },
        "node_number": {
            "description": "A Design Studio node number",
            "anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?\d+$"}],
        },
        "environment": _environment(),
        "complete_environment": {"oneOf": [{"required": ["instance"]}, {"required": ["url"]}]},
        "options": options_schema(),
        "routing": _routing(),
        "track_identifier": _object_schema(obj(dict(TRACK_IDENTIFIERS))),
    }
    conditions = [_request(defs, endpoint) for endpoint in braze.ENDPOINTS.values()]
    node_properties = {
        "name": {
            "description": "Class name = file name = Design Studio Command; CamelCase",
            "type": "string",
            "pattern": _CAMEL,
        },
        "renamed_from": {
            "description": "The name this node had before: regen moves its file, hand edits "
            "included, instead of making a new node",
            "type": "string",
            "pattern": _CAMEL,
        },
        "endpoint": {
            "description": "A Braze endpoint's path, optionally after its method: "
            "users/track, GET /subscription/status/get",
            "type": "string",
            "anyOf": [
                {"pattern": endpoint_pattern(endpoint)} for endpoint in braze.ENDPOINTS.values()
            ],
        },
        "description": {"type": "string"},
        "identifier": {
            "description": "users/track only: added to every attributes/events/purchases object",
            "$ref": "#/$defs/track_identifier",
        },
        "path": {
            "type": "object",
            "description": "The values of the endpoint's {parameters}, such as item_id",
        },
        "body": {"type": "object", "description": "Mirrors Braze's JSON body for the endpoint"},
        "query": {"type": "object", "description": "A GET endpoint's query parameters"},
        "outputs": {
            "description": "UPPER_CASE variable <- path in Braze's JSON answer",
            "type": "object",
            "propertyNames": {"pattern": _UPPER},
            "additionalProperties": {"type": "string"},
        },
        "routing": {"$ref": "#/$defs/routing"},
        **options_schema()["properties"],
    }
    check_keys(node_properties, NODE_KEYS)
    defs["node"] = {
        "type": "object",
        "properties": node_properties,
        "required": ["name", "endpoint"],
        "additionalProperties": False,
        "allOf": conditions,
    }
    top = {
        "version": {"const": SPEC_VERSION},
        "customer": {"type": "string", "description": "app.NAME", "minLength": 1},
        "solution": {
            "type": "string",
            "description": "The CSV_BOTS entry; CamelCase",
            "pattern": _CAMEL,
        },
        "package": {"type": "string", "pattern": "^[a-z_][a-z0-9_]*$"},
        "conventions": {
            "type": "string",
            "minLength": 1,
            "description": "The team's conventions file, relative to this spec",
        },
        "environments": {
            "type": "object",
            "properties": {
                name: {"$ref": "#/$defs/environment"} for name in environments.ENVIRONMENTS
            },
            "required": list(environments.ENVIRONMENTS),
            "additionalProperties": False,
        },
        "defaults": _defaults(),
        "nodes": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/node"}},
    }
    check_keys(top, TOP_KEYS)
    return {
        "$schema": DRAFT,
        "title": f"pypestream-braze mapping spec, version {SPEC_VERSION}",
        "description": "Generated by 'pypestream-braze schema' from the Braze catalogue; "
        "do not edit by hand.",
        "type": "object",
        "properties": top,
        "required": list(REQUIRED_TOP_KEYS),
        "additionalProperties": False,
        # Team conventions can give the environments, their instances and their keys: only a
        # spec without them must give every environment in full.
        "if": {"not": {"required": ["conventions"]}},
        "then": {
            "required": ["environments"],
            "properties": {
                "environments": {
                    "required": list(environments.ENVIRONMENTS),
                    "additionalProperties": {"$ref": "#/$defs/complete_environment"},
                }
            },
        },
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def check_keys(properties: dict, keys: tuple[str, ...]) -> None:
    """The schema and the reader must name the same keys; a mismatch is a bug found in tests."""
    if set(properties) != set(keys):
        raise AssertionError(f"schema keys {sorted(properties)} differ from {sorted(keys)}")


def _environment() -> dict:
    properties = {
        "instance": {
            "type": "string",
            "description": f"A Braze instance: {', '.join(INSTANCES)}",
            "pattern": environments.instance_pattern(),
        },
        "url": {"type": "string", "pattern": "^https?://"},
        "api_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
        "params": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$", "not": {"pattern": "^braze_"}},
            "additionalProperties": {"type": ["string", "number", "boolean"]},
        },
    }
    check_keys(properties, environments.ENV_KEYS)
    return {
        "type": "object",
        "properties": properties,
        "not": {"required": ["instance", "url"]},
        "additionalProperties": False,
    }


def _defaults() -> dict:
    properties = {
        **options_schema()["properties"],
        "error_node": {"$ref": "#/$defs/node_number"},
        "create_error_node": {
            "type": "boolean",
            "description": "Add the error node's row to design_studio.csv (a solution without one)",
        },
    }
    check_keys(properties, DEFAULT_KEYS)
    return {"type": "object", "properties": properties, "additionalProperties": False}


def options_schema() -> dict:
    return {
        "properties": {
            "timeout": {"type": "number", "minimum": 0.5, "maximum": MAX_TIMEOUT},
            "minor_errors": {"enum": list(MINOR_ERRORS)},
            "resend_events": {"type": "boolean"},
        }
    }


def _routing() -> dict:
    keys = (*routes.ROUTING_KEYS, *routes.ROUTING_SYNONYMS)
    return {
        "type": "object",
        "description": "success is the decision value true, failure is false",
        "properties": {key: {"$ref": "#/$defs/node_number"} for key in keys},
        "additionalProperties": False,
    }


def _request(defs: dict, endpoint: Endpoint) -> dict:
    """What a node for the endpoint gives: its body or query, and its path's parameters."""
    part = endpoint.takes
    name = f"{part}_{endpoint.slug}"
    defs[name] = {"description": endpoint.summary, **_shape(endpoint.shape)}
    then: dict = {"properties": {part: {"$ref": f"#/$defs/{name}"}}}
    required = [part] if part == "body" or endpoint.query_required else []
    absent = ["query" if part == "body" else "body"]
    if endpoint.query is None and part == "query":
        absent.append("query")
    if endpoint.parameters:
        then["properties"]["path"] = {
            "type": "object",
            "properties": {p: _shape(endpoint.path_value(p)) for p in endpoint.parameters},
            "required": list(endpoint.parameters),
            "additionalProperties": False,
        }
        required.append("path")
    else:
        absent.append("path")
    then["required"] = required
    then["not"] = {"anyOf": [{"required": [key]} for key in absent]}
    return {
        "if": {
            "properties": {"endpoint": {"pattern": endpoint_pattern(endpoint)}},
            "required": ["endpoint"],
        },
        "then": then,
    }


def _shape(shape: Shape | None) -> dict:
    """The schema of one place of a body."""
    if shape is None:
        return {}
    if shape.is_object:
        return _object_schema(shape)
    concrete: dict = {}
    types = list(dict.fromkeys(_JSON_TYPES[k] for k in shape.kinds if k in _JSON_TYPES))
    if ANY in shape.kinds or not types:
        return {}
    concrete["type"] = types[0] if len(types) == 1 else types
    if ARRAY in shape.kinds:
        concrete["items"] = _shape(shape.items)
        if shape.max_items:
            concrete["maxItems"] = shape.max_items
    if shape.enum and not shape.enum_is_open:
        concrete["enum"] = list(shape.enum)
    if shape.max_length or shape.max_bytes:  # a byte limit also bounds the characters
        concrete["maxLength"] = shape.max_length or shape.max_bytes
    if shape.minimum is not None:
        concrete["minimum"] = shape.minimum
    if shape.maximum is not None:
        concrete["maximum"] = shape.maximum
    if shape.pattern:
        concrete["pattern"] = shape.pattern
    if shape.identifier:  # the rule a node and check apply, whole (JSON Schema's is a search)
        concrete["pattern"] = f"^(?:{IDENTIFIERS[shape.identifier][0]})$"
    return {"anyOf": [concrete, _DYNAMIC]}


def _object_schema(shape: Shape) -> dict:
    result: dict = {"type": "object"}
    if shape.fields:
        result["properties"] = {key: _shape(f.shape) for key, f in shape.fields.items()}
    required = [key for key, f in shape.fields.items() if f.required]
    if required:
        result["required"] = required
    if shape.custom is None:
        result["additionalProperties"] = False
    else:
        names: dict = {"maxLength": MAX_STRING, "pattern": r"^[^$]"}
        if shape.custom == "property":
            names["not"] = {"enum": list(RESERVED_PROPERTY_KEYS)}
        result["propertyNames"] = names
    rules: list[dict] = []
    if shape.one_of:
        rules.append({"anyOf": [{"required": [key]} for key in shape.one_of]})
    if len(shape.exclusive) > 1:
        pairs = [{"required": list(pair)} for pair in combinations(shape.exclusive, 2)]
        rules.append({"not": {"anyOf": pairs}})
    if rules:
        result["allOf"] = rules
    return result
