"""A node's `routing`: its Design Studio number and where true, false and error lead."""

from __future__ import annotations

import re

from ..model import Routes
from . import source
from .naming import did_you_mean, one_of
from .report import Report, is_bool_word, key_text
from .source import ScalarNode

ROUTING_KEYS = ("node", "success", "failure", "error")
# Design Studio decision values a user may write as routing keys, and what they mean here.
ROUTING_SYNONYMS = {"true": "success", "false": "failure"}
MAX_NODE_NUMBER = 2**31 - 1  # numbers are integers in Design Studio; keep them in 32 bits


def read_routes(report: Report, entry, defaults: dict, where: str) -> Routes:
    error_default = defaults["error_node"]
    values: dict[str, int | None] = {k: None for k in ROUTING_KEYS}
    values["error"] = error_default
    if entry is None:
        return Routes(**values)
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
        values[key] = read_node_number(report, value_node, f"{where}.routing.{key}")
    return Routes(**values)


def warn_missing_routes(report: Report, routes: Routes, keys, node, where: str) -> None:
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
        report.warning(
            at,
            f"{where} has no {key} route: add {hints[value]}; until then What Next? has "
            f"no '{value}~' and Design Studio will not know where '{value}' goes",
        )
    for key in ("success", "failure"):  # an error route looping back is caught elsewhere
        if routes.node is not None and getattr(routes, key) == routes.node:
            report.warning(
                at,
                f"{where}: routing.{key} leads back to this node ({routes.node}), which would "
                "call Braze again in a loop; route it to the node that comes next",
            )


def read_node_number(report: Report, node, what: str) -> int | None:
    if (
        isinstance(node, ScalarNode)
        and node.tag == "tag:yaml.org,2002:str"
        and re.fullmatch(r"-?\d+", node.value.strip())
    ):
        number: int | None = int(node.value)
    else:
        number = report.integer(node, what)
    if number is not None and abs(number) > MAX_NODE_NUMBER:
        report.error(
            node,
            f"{what}: {number} is not a node number Design Studio takes "
            f"(at most {MAX_NODE_NUMBER:,} either side of 0)",
        )
        return None
    return number
