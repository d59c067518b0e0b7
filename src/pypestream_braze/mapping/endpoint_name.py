"""A node's `endpoint`: the text that names a Braze endpoint of the catalogue.

    read_endpoint(report, keys) -> Endpoint | None
    endpoint_parts(text) -> (method as written, path)
    endpoint_pattern(endpoint) -> the regular expression of every text naming it (the schema's)

An endpoint is written as its path, with or without slashes around it, and may start with its
method, as Braze's pages write it: "GET /subscription/status/get". One definition serves the
reader (endpoint_parts) and the JSON Schema (endpoint_pattern).
"""

from __future__ import annotations

import json
import re

from .. import braze
from ..braze.endpoint import Endpoint
from .naming import did_you_mean, one_of
from .report import Report

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def read_endpoint(report: Report, keys) -> Endpoint | None:
    """The catalogue's endpoint the node's `endpoint` names; None (reported) when none."""
    if "endpoint" not in keys:
        return None
    node = keys["endpoint"][1]
    path = report.string(node, "endpoint")
    if path is None:
        return None
    method, path = endpoint_parts(path)
    endpoint = braze.ENDPOINTS.get(path)
    if endpoint is not None and method and method.upper() != endpoint.method:
        report.error(
            node,
            f"{endpoint.path} is a {endpoint.method} endpoint, not {method.upper()}; write "
            f"endpoint: {endpoint.display}",
        )
        return None
    filled = _filled_template(path)
    if endpoint is None and filled is not None:
        template, values = filled
        given = ", ".join(f"{name}: {_yaml_text(text)}" for name, text in values.items())
        report.error(
            node,
            f"endpoint {path!r} has its parameters filled in; write the endpoint as "
            f"{template.path!r} and give the values under path: {{{given}}}",
        )
    elif endpoint is None:
        report.error(
            node,
            f"unknown endpoint {path!r}{did_you_mean(path, braze.ENDPOINTS)}; "
            f"allowed: {one_of(braze.ENDPOINTS)}",
        )
    return endpoint


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
