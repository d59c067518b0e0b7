"""Design Studio rows for a solution's action nodes, in the 26-column solution CSV format.

The columns (COLUMNS) are those of a Design Studio export, which mapping/flow.py reads.

A spreadsheet opening the CSV runs a cell that starts with =, +, -, @, a tab or a carriage
return as a formula. Such a cell (a description, say) is written with a leading apostrophe, the
spreadsheet convention for "this is text": a spreadsheet shows the text, and Design Studio,
which reads cells as text, shows the apostrophe in front of it. A plain number such as a
negative node number is left as it is.
"""

from __future__ import annotations

import csv
import io
import json
import re

from ..mapping.flow import COLUMNS
from ..model import Node, Solution

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
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
    writer.writerows(
        {column: as_text(cell) for column, cell in row.items()} for row in rows(solution)
    )
    return buffer.getvalue()


def as_text(cell: str) -> str:
    """The cell as a spreadsheet reads it as text, never as a formula."""
    if cell.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _number(number: int | None) -> str:
    return "" if number is None else str(number)
