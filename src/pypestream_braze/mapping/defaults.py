"""The spec's `defaults`, and the options a node may set for itself: what every node has unless
it says otherwise.

    read_defaults(report, entry, inherited) -> {key: value}   every default, read or inherited
    read_options(report, keys, into, where)   timeout, minor_errors and resend_events, into a dict

A team's conventions file gives defaults the same way (mapping/conventions.py reads them with
read_defaults), so a default is valid there exactly where it is valid in a spec.
"""

from __future__ import annotations

from collections.abc import Mapping

from .naming import one_of
from .report import Report
from .routes import read_node_number

DEFAULT_KEYS = ("timeout", "error_node", "create_error_node", "minor_errors", "resend_events")
MINOR_ERRORS = ("succeed", "fail")
DEFAULT_TIMEOUT = 8.0
MAX_TIMEOUT = 60.0


def read_defaults(report: Report, entry, inherited: Mapping[str, object] | None = None) -> dict:
    """Every default: the spec's `defaults` entry (key node, value node) where it gives one,
    else what inherited (a team's conventions) gives, else the generator's own."""
    result = {
        "timeout": DEFAULT_TIMEOUT,
        "error_node": None,
        "minor_errors": "succeed",
        "resend_events": False,
        "create_error_node": False,
        **(inherited or {}),
    }
    if entry is None:
        return result
    node = report.mapping(entry[1], "defaults")
    if node is None:
        return result
    keys = report.keys(node, "defaults", DEFAULT_KEYS)
    read_options(report, keys, result, "defaults")
    if "error_node" in keys:
        result["error_node"] = read_node_number(
            report, keys["error_node"][1], "defaults.error_node"
        )
    if "create_error_node" in keys:
        flag_node = keys["create_error_node"][1]
        flag = report.boolean(flag_node, "defaults.create_error_node")
        if flag and result["error_node"] is None:
            report.error(
                flag_node,
                "defaults.create_error_node needs defaults.error_node, the number the "
                "new error node gets (such as 99990)",
            )
        result["create_error_node"] = bool(flag)
    return result


def read_options(report: Report, keys, into: dict, where: str) -> None:
    """timeout, minor_errors and resend_events, shared by the defaults and every node."""
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
