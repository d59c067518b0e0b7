"""The JSON Schema (draft 2020-12) of a team's conventions file, for editors.

    schema() -> dict        schema_text() -> the JSON, as committed in conventions/schema.json

Like the spec's schema (schema.py), it helps an editor complete and flag keys; the reader in
conventions.py stays the authority and reports every problem with its line.
"""

from __future__ import annotations

import json

from .. import braze
from ..braze.instances import INSTANCES
from . import conventions
from .schema import DRAFT, check_keys, options_schema

_NAME = r"\{(SOLUTION|CUSTOMER)\}"  # a placeholder of api_key_env
_RANGE = {
    "description": "The first and the last Design Studio node number: [4000, 4999] or 4000-4999",
    "anyOf": [
        {
            "type": "array",
            "prefixItems": [{"type": "integer"}, {"type": "integer"}],
            "minItems": 2,
            "maxItems": 2,
        },
        {"type": "string", "pattern": r"^\s*-?\d+\s*-\s*-?\d+\s*$"},
    ],
}


def schema() -> dict:
    rule_properties = {
        "prefix": {"type": "string", "description": "The name starts with it"},
        "case": {"enum": list(conventions.CASES)},
        "pattern": {"type": "string", "description": "A regular expression the whole name matches"},
    }
    check_keys(rule_properties, conventions.RULE_KEYS)
    rule = {
        "anyOf": [
            {"enum": list(conventions.CASES)},
            {
                "type": "object",
                "properties": rule_properties,
                "minProperties": 1,
                "additionalProperties": False,
            },
        ]
    }
    naming: dict[str, dict] = {key: {"$ref": "#/$defs/name_rule"} for key in conventions.SUBJECTS}
    naming["description"] = {"enum": ["required", "optional", True, False]}
    check_keys(naming, conventions.NAMING_KEYS)
    endpoints = {"type": "array", "items": {"enum": list(braze.ENDPOINTS)}}
    endpoint_rules = {"allowed": endpoints, "forbidden": endpoints}
    check_keys(endpoint_rules, conventions.ENDPOINT_KEYS)
    policy = {
        "endpoints": {
            "type": "object",
            "properties": endpoint_rules,
            "additionalProperties": False,
        },
        "never_send": {
            "description": "Attributes a chat never sends, such as dob",
            "anyOf": [
                {"type": "array", "items": {"type": "string", "minLength": 1}},
                {"type": "string", "minLength": 1},
            ],
        },
        "node_numbers": {
            "description": "One range for every solution, or a range per solution name "
            f"(the spec's `solution`) and {conventions.DEFAULT_RANGE!r} for the others",
            "anyOf": [
                {"$ref": "#/$defs/range"},
                {
                    "type": "object",
                    "propertyNames": {
                        "pattern": f"^([A-Z][A-Za-z0-9]*|{conventions.DEFAULT_RANGE})$"
                    },
                    "additionalProperties": {"$ref": "#/$defs/range"},
                },
            ],
        },
    }
    check_keys(policy, conventions.POLICY_KEYS)
    environment = {
        "instance": {"enum": list(INSTANCES)},
        "url": {"type": "string", "pattern": "^https?://"},
        "api_key_env": {
            "description": "The API key variable's name; {SOLUTION} and {CUSTOMER} are the "
            "spec's names in UPPER_CASE",
            "type": "string",
            "pattern": rf"^([A-Za-z_]|{_NAME})([A-Za-z0-9_]|{_NAME})*$",
        },
    }
    check_keys(environment, conventions.ENV_KEYS)
    top = {
        "version": {"const": conventions.VERSION},
        "team": {"type": "string"},
        "defaults": {
            "description": "What a spec's `defaults` starts from",
            "type": "object",
            "properties": {
                **options_schema()["properties"],
                "error_node": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
            },
            "additionalProperties": False,
        },
        "environments": {
            "type": "object",
            "properties": {
                name: {"$ref": "#/$defs/environment"} for name in conventions.ENVIRONMENTS
            },
            "additionalProperties": False,
        },
        "naming": {
            "description": "Style: a break is a warning (an error with check --strict)",
            "type": "object",
            "properties": naming,
            "additionalProperties": False,
        },
        "policy": {
            "description": "A break is an error",
            "type": "object",
            "properties": policy,
            "additionalProperties": False,
        },
        "templates": {
            "description": "The folder of the team's Jinja templates, relative to this file",
            "type": "string",
            "minLength": 1,
        },
    }
    check_keys(top, conventions.TOP_KEYS)
    return {
        "$schema": DRAFT,
        "title": f"pypestream-braze team conventions, version {conventions.VERSION}",
        "description": "Generated by 'pypestream-braze schema --conventions'; do not edit by hand.",
        "type": "object",
        "properties": top,
        "additionalProperties": False,
        "$defs": {
            "name_rule": rule,
            "range": _RANGE,
            "environment": {
                "type": "object",
                "properties": environment,
                "not": {"required": ["instance", "url"]},
                "additionalProperties": False,
            },
        },
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
