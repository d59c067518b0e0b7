"""Design Studio rows for a solution's action nodes, in the 26-column solution CSV format."""

from __future__ import annotations

import csv
import io
import json

from ..model import Node, Solution

COLUMNS = (
    "Node Number",
    "Node Type",
    "Node Name",
    "Intent",
    "Entity Type",
    "Entity",
    "NLU Disabled?",
    "Next Nodes",
    "Message",
    "Rich Asset Type",
    "Rich Asset Content",
    "Answer Required?",
    "Behaviors",
    "Command",
    "Description",
    "Output",
    "Node Input",
    "Parameter Input",
    "Decision Variable",
    "What Next?",
    "Node Tags",
    "Skill Tag",
    "Variable",
    "Platform Flag",
    "Flows",
    "CSS Classname",
)
ERROR_NODE_NAME = "Braze error"
ERROR_MESSAGE = "Sorry, something went wrong on our side. Let's try that again."


def action_row(node: Node) -> dict[str, str]:
    return {
        "Node Number": _number(node.routes.node),
        "Node Type": "A",
        "Node Name": node.name,
        "Command": node.name,
        "Description": node.description,
        "Output": ",".join(("success", *node.output_variables)),
        "Parameter Input": parameter_input(node),
        "Decision Variable": "success",
        "What Next?": node.routes.what_next(),
        "Variable": ",".join(dict.fromkeys((*node.variables, *node.output_variables))),
    }


def error_row(number: int) -> dict[str, str]:
    """The shared error node every "error" route can lead to: a message and a way back."""
    return {
        "Node Number": str(number),
        "Node Type": "D",
        "Node Name": ERROR_NODE_NAME,
        "Message": ERROR_MESSAGE,
        "Rich Asset Type": "button",
        "Rich Asset Content": "Start over~1",
    }


def parameter_input(node: Node) -> str:
    """The JSON to paste as Parameter Input: exactly the payload keys the script reads."""
    return json.dumps(node.parameter_input, ensure_ascii=False)


def rows(solution: Solution) -> list[dict[str, str]]:
    result = [action_row(node) for node in solution.nodes]
    if solution.create_error_node and solution.error_node is not None:
        result.append(error_row(solution.error_node))
    return result


def render(solution: Solution) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(solution))
    return buffer.getvalue()


def _number(number: int | None) -> str:
    return "" if number is None else str(number)
