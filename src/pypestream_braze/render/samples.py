"""Plausible Parameter Input for a node: realistic answers of the kind each variable is read as
(an email address for an email, a date in the node's own format), used in a solution's tests,
its README, dry runs and the drift probe.

Each sample is chosen so that a test built on it can fail: a date's day is above 12, so a node
that reads DD/MM as MM/DD (or the other way round) refuses it instead of sending another date;
a moment's hour is past noon, so %I and %H differ; an identifier looks like one of its kind
(POL-48213-7, not "Policy Number"), so a node that mangles text shows it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from ..model import Node, Var
from ..values import NUMERIC, VALUE_TYPES, ValueType

_BIRTHDAY = date(1990, 4, 17)
_BY_NAME = {  # compared without underscores: FIRSTNAME is FIRST_NAME
    "USERID": "user-123",
    "EXTERNALID": "user-123",
    "FIRSTNAME": "Ada",
    "LASTNAME": "Lovelace",
    "FULLNAME": "Ada Lovelace",
    "NAME": "Ada Lovelace",
    "CITY": "London",
    "HOMECITY": "London",
    "OPERATINGSYSTEM": "iOS",
    "OS": "iOS",
}
# Words in a variable's name that say what kind of text it holds.
_BY_WORD = {"EMAIL": "email", "PHONE": "phone", "MOBILE": "phone", "COUNTRY": "country"}
# Words in a text variable's name and an answer of that kind; the first word found wins.
_TEXT_BY_WORD = (
    ("POLICY", "POL-48213-7"),
    ("CLAIM", "CLM-2024-00917"),
    ("ORDER", "ORD-55102"),
    ("INVOICE", "INV-20931"),
    ("ACCOUNT", "ACC-30417"),
    ("MEMBER", "MBR-88213"),
    ("TICKET", "TCK-10472"),
    ("CASE", "CASE-10472"),
    ("SKU", "SKU-10423"),
    ("PRODUCT", "SKU-10423"),
    ("CHAT", "chat-7f3a9c"),
    ("SESSION", "sess-51c2e8"),
    ("ZIP", "94103"),
    ("POSTCODE", "SW1A 1AA"),
    ("POSTAL", "94103"),
    ("ADDRESS", "221B Baker Street"),
    ("STREET", "221B Baker Street"),
    ("URL", "https://example.com/claims/CLM-2024-00917"),
    ("LINK", "https://example.com/claims/CLM-2024-00917"),
    ("AMOUNT", "249.50"),
    ("PRICE", "249.50"),
    ("TOTAL", "249.50"),
    ("CURRENCY", "USD"),
    ("DATE", VALUE_TYPES["date"].sample),
    ("STATUS", "open"),
    ("TIER", "gold"),
    ("PLAN", "gold"),
    ("REASON", "Water damage in the kitchen"),
    ("DESCRIPTION", "Water damage in the kitchen"),
    ("NOTE", "Water damage in the kitchen"),
    ("COMMENT", "Water damage in the kitchen"),
    ("MESSAGE", "Water damage in the kitchen"),
    ("COMPANY", "Acme Insurance Ltd"),
    ("NAME", "Ada Lovelace"),
)


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
    """The sample answer of the variable's type (values.py), in the node's own format, within
    its limits; text chosen by the name where the type has none."""
    value_type = VALUE_TYPES[var.as_type if var else _kind_of(name)]
    if value_type.takes_format:
        return _written(name, value_type, var.format if var else None)
    if value_type.result == NUMERIC and var and value_type.sample is not None:
        return _number_within(value_type.sample, dict(var.limits))
    return value_type.sample if value_type.sample is not None else _text(name)


def _written(name: str, value_type: ValueType, fmt: str | None) -> str:
    """A date or a moment as the node reads it: the type's sample (a birthday for a date of
    birth), in fmt when the node has its own format. A moment is in UTC, so %z reads +0000."""
    assert value_type.sample is not None
    if value_type.name == "date":
        birthday = _has_word(name, ("BIRTH", "DOB"))
        day = _BIRTHDAY if birthday else date.fromisoformat(value_type.sample)
        return day.strftime(fmt or "%Y-%m-%d")
    if fmt is None:
        return value_type.sample
    return datetime.fromisoformat(value_type.sample).replace(tzinfo=UTC).strftime(fmt)


def _text(name: str) -> str:
    """A text answer for a variable named name: by its name, then by a word in it, then the
    name in words ("Favourite Colour" for FAVOURITE_COLOUR)."""
    known = _BY_NAME.get(name.replace("_", ""))
    if known is not None:
        return known
    found = next((text for word, text in _TEXT_BY_WORD if _has_word(name, (word,))), None)
    if found is not None:
        return found
    parts = name.lower().split("_")
    if "id" in parts[1:] or (len(parts) == 1 and len(name) > 4 and name.endswith("ID")):
        kind = parts[0] if len(parts) > 1 else name[:-2].lower()  # CUSTOMER_ID: cust-48213
        return f"{kind[:4]}-48213"
    return name.replace("_", " ").title()


def _has_word(name: str, words: tuple[str, ...]) -> bool:
    """Whether name holds one of words: as one of its parts (POLICY_NUMBER), or anywhere in a
    name without parts (POLICYNUMBER)."""
    parts = name.split("_")
    if len(parts) > 1:
        return any(word in parts for word in words)
    return any(word in name for word in words)


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
