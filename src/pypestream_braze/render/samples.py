"""Plausible Parameter Input for a node: realistic answers of the kind each variable is read as
(an email address for an email, a date in the node's own format), used in a solution's tests,
its README and dry runs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from ..model import Node, Var

_BIRTHDAY = date(1990, 4, 1)
_MOMENT = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)  # %z reads an offset
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
# Words in a variable's name that say what kind of text it holds.
_BY_WORD = {"EMAIL": "email", "PHONE": "phone", "MOBILE": "phone", "COUNTRY": "country"}


def sample_payload(node: Node) -> dict[str, str]:
    read_as: dict[str, Var] = {}
    for leaf in node.sent_values:
        if isinstance(leaf, Var):
            read_as.setdefault(leaf.name, leaf)
    # Answers for an identifier whose form Braze documents: letters, digits, - and _ fit them all.
    strict = {name for names in node.strict for name in names.split(", ")}
    payload = {}
    for name in node.variables:
        sample = _sample(name, read_as.get(name))
        payload[name] = re.sub(r"[^A-Za-z0-9_-]+", "-", sample) if name in strict else sample
    return payload


def _sample(name: str, var: Var | None) -> str:
    as_type = var.as_type if var else _kind_of(name)
    if as_type == "date":
        return _BIRTHDAY.strftime(var.format or "%Y-%m-%d") if var else "1990-04-01"
    if as_type in ("datetime", "local_datetime"):
        if var and var.format:
            return _MOMENT.strftime(var.format)
        return _MOMENT.isoformat().replace("+00:00", "Z" if as_type == "datetime" else "")
    if as_type in ("integer", "float") and var:
        return _number_within(_BY_TYPE[as_type], dict(var.limits))
    if as_type in _BY_TYPE:
        return _BY_TYPE[as_type]
    return _BY_NAME.get(name, name.replace("_", " ").title())


def _kind_of(name: str) -> str:
    """What a variable read as plain text (or filled into a text) most likely holds."""
    return next((kind for word, kind in _BY_WORD.items() if word in name), "string")


def _number_within(sample: str, limits: dict) -> str:
    number = float(sample)
    if "maximum" in limits:
        number = min(number, limits["maximum"])
    if "minimum" in limits:
        number = max(number, limits["minimum"])
    return sample if number == float(sample) else f"{number:g}"
