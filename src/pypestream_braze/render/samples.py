"""Plausible Parameter Input for a node: used in a solution's tests, README and dry runs."""

from __future__ import annotations

from datetime import date, datetime

from ..model import Node, Var, leaves

_BIRTHDAY = date(1990, 4, 1)
_MOMENT = datetime(2024, 5, 1, 10, 30)
_BY_NAME = {
    "USER_ID": "user-123",
    "EXTERNAL_ID": "user-123",
    "FIRST_NAME": "Ada",
    "LAST_NAME": "Lovelace",
    "CITY": "London",
    "HOME_CITY": "London",
    "OPERATING_SYSTEM": "iOS",
    "OS": "iOS",
}
_BY_TYPE = {
    "email": "ada@example.com",
    "phone": "+14155552671",
    "gender": "female",
    "country": "GB",
    "language": "en",
    "integer": "42",
    "float": "9.99",
    "boolean": "yes",
}


def sample_payload(node: Node) -> dict[str, str]:
    types = {}
    for leaf in leaves([node.identifier or {}, node.body]):
        if isinstance(leaf, Var):
            types.setdefault(leaf.name, leaf)
    return {name: _sample(name, types.get(name)) for name in node.variables}


def _sample(name: str, var: Var | None) -> str:
    as_type = var.as_type if var else "string"
    if as_type == "date":
        return _BIRTHDAY.strftime(var.format or "%Y-%m-%d")
    if as_type == "datetime":
        return _MOMENT.strftime(var.format) if var.format else _MOMENT.isoformat() + "Z"
    if as_type in _BY_TYPE:
        return _BY_TYPE[as_type]
    return _BY_NAME.get(name, name.replace("_", " ").title())
