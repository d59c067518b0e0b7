"""The structure of a node's request: its objects and lists, read against the endpoint's Shapes
in the Braze catalogue.

    BodyReader(report, values).walk(node, shape, path, where) -> the model's dicts, lists and
                                                                  values (values.leaf reads those)

Every object and list is checked against its Shape: unknown keys, required keys, custom
attribute and property names, identifiers, what excludes or needs what, sizes. Problems are
collected on the Report; nothing stops at the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..braze.objects import PRIMARY_IDENTIFIERS, RETIRED_ATTRIBUTES, SECONDARY_IDENTIFIERS
from ..braze.shapes import ANY, ARRAY, CUSTOM_VALUE, MAX_STRING, Shape
from ..model import SPREAD_IDENTIFIER
from .naming import closest, did_you_mean, one_of
from .report import Report, key_text
from .source import Node, ScalarNode, SequenceNode
from .value_forms import ValueReader

# Keys of a nested custom attribute that are operators, not data (the user attributes object).
NESTED_OPERATORS = frozenset(
    {"inc", "add", "remove", "$add", "$remove", "$update", "$time", "_merge_objects"}
    | {"$identifier_key", "$identifier_value", "$new_object"}
)
# Names people reach for that are not Braze's standard fields.
ATTRIBUTE_ALIASES = {
    "birthday": "dob",
    "birthdate": "dob",
    "date_of_birth": "dob",
    "city": "home_city",
    "firstname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "mobile": "phone",
    "phone_number": "phone",
    "email_address": "email",
    "timezone": "time_zone",
    "sex": "gender",
}
RESERVED_PROPERTY_KEYS = ("time", "event_name")


@dataclass
class BodyReader:
    """Reads the objects and lists of one node's request; its values go to values."""

    report: Report
    values: ValueReader
    identifier_misspelt: bool = False  # the node's `identifier` key was written as a near miss

    def walk(self, node: Node, shape: Shape | None, path: tuple, where: str):
        """The model value of node, read against shape (None: free-form data)."""
        leaf = self.values.leaf(node, shape, where)
        if leaf is not None or isinstance(node, ScalarNode) or self.values.is_form(node):
            return leaf
        if isinstance(node, SequenceNode):
            return self._list(node, shape, path, where)
        return self.object(node, shape, path, where, identifier=None)

    def _list(self, node: SequenceNode, shape: Shape | None, path: tuple, where: str) -> list:
        if shape is not None and ARRAY not in shape.kinds and ANY not in shape.kinds:
            self.report.error(node, f"{where} takes {one_of(shape.kinds)}, not a list")
            return []
        items_shape = shape.items if shape is not None else None
        if shape is not None and shape.max_items and len(node.value) > shape.max_items:
            self.report.error(
                node,
                f"{where} has {len(node.value)} items; Braze accepts at most {shape.max_items} "
                "per request",
            )
        items = [
            self.walk(item, items_shape, (*path, i), f"{where}[{i}]")
            for i, item in enumerate(node.value)
        ]
        if shape is not None and shape.exclusive_items:
            given = [item.value for item in node.value if isinstance(item, ScalarNode)]
            both = [v for v in shape.exclusive_items if v in given]
            if len(both) > 1:
                self.report.error(
                    node,
                    f"{where} has both {' and '.join(map(repr, both))}: Braze takes only one "
                    "of them in a list",
                )
        return items

    def object(self, node, shape: Shape | None, path: tuple, where: str, identifier) -> dict:
        """An object of the request; identifier (users/track) is spread into it."""
        if shape is not None and not shape.is_object and ANY not in shape.kinds:
            self.report.error(node, f"{where} takes {one_of(shape.kinds)}, not a mapping")
            return {}
        result: dict = {}
        if identifier is not None:
            result[SPREAD_IDENTIFIER] = identifier
        present: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_text(key_node)
            child_where = f"{where}.{key}" if where else key
            field_shape = self._field_shape(key_node, key, shape, child_where, node)
            present[key] = key_node
            result[key] = self.walk(value_node, field_shape, (*path, key), child_where)
        if shape is not None:
            self._check_object(node, shape, where, result, present, identifier)
        return result

    def _field_shape(self, key_node: Node, key: str, shape: Shape | None, where: str, parent):
        if shape is None:
            return None
        known = shape.fields.get(key)
        if known is not None:
            return known.shape
        if shape is CUSTOM_VALUE:  # a key of a nested custom attribute
            self._check_nested_key(key_node, key, where)
            return CUSTOM_VALUE
        if shape.custom == "attribute":
            self._check_custom_attribute(key_node, key, shape, where)
        elif shape.custom == "property":
            self._check_property_key(key_node, key, where)
        if shape.custom:
            return shape.custom_values
        if shape.fields:
            self.report.error(
                key_node,
                f"unknown key {key!r} in {where.rsplit('.', 1)[0] or 'body'}"
                f"{did_you_mean(key, shape.fields)}; allowed: {one_of(shape.fields)}",
            )
            meant = closest(key, shape.fields)
            if meant is not None:
                self.report.misspell(parent, meant)
        return None

    def _check_custom_attribute(self, key_node, key: str, shape: Shape, where: str) -> None:
        standard = [k for k in shape.fields if not k.startswith("_")]
        alias = ATTRIBUTE_ALIASES.get(key.lower())
        hint = did_you_mean(key, standard)
        if key in RETIRED_ATTRIBUTES:
            self.report.warning(key_node, f"{where}: {RETIRED_ATTRIBUTES[key]}")
        elif hint:
            self.report.warning(
                key_node,
                f"{where}: {key!r} is not a standard Braze field, so Braze stores it as a "
                f"custom attribute{hint}; standard field names are lower case",
            )
        elif alias:
            self.report.warning(
                key_node,
                f"{where}: {key!r} becomes a custom attribute; Braze's standard field for "
                f"this is {alias!r}",
            )
        self._check_custom_key(key_node, key, where, "custom attribute")

    def _check_property_key(self, key_node, key: str, where: str) -> None:
        if key in RESERVED_PROPERTY_KEYS:
            self.report.error(
                key_node,
                f"{where}: {key!r} is reserved by Braze in event properties; rename it",
            )
        self._check_custom_key(key_node, key, where, "property")

    def _check_nested_key(self, key_node, key: str, where: str) -> None:
        if key in NESTED_OPERATORS:
            return
        bad = [c for c in (" ", ".", "$") if c in key]
        if bad:
            self.report.error(
                key_node,
                f"{where}: a nested custom attribute key must not contain spaces, '.' or '$' "
                f"(this one has {' and '.join(map(repr, bad))}); rename it",
            )
        elif len(key) > MAX_STRING:
            self.report.error(
                key_node,
                f"{where}: the key is {len(key)} characters; Braze accepts at most "
                f"{MAX_STRING}",
            )

    def _check_custom_key(self, key_node, key: str, where: str, what: str) -> None:
        if not key:
            self.report.error(key_node, f"{where}: a {what} name must not be empty")
        elif key.startswith("$"):
            self.report.error(
                key_node,
                f"{where}: a {what} name must not start with '$' (Braze reserves it for "
                "operators such as $add and $time)",
            )
        elif len(key) > MAX_STRING:
            self.report.error(
                key_node,
                f"{where}: the {what} name is {len(key)} characters; Braze accepts at most "
                f"{MAX_STRING}",
            )

    def _check_object(self, node, shape: Shape, where, result, present, identifier):
        given = set(present) | set(identifier or ())
        what = where or "body"
        for key, spec_field in shape.fields.items():
            if spec_field.required and key not in given and not self.report.misspelt(node, key):
                note = f" ({spec_field.note})" if spec_field.note else ""
                self.report.error(node, f"{what} needs {key!r}{note}")
        meant = any(self.report.misspelt(node, key) for key in shape.one_of)
        if shape.one_of and not given & set(shape.one_of) and not meant:
            self.report.error(node, f"{what} needs one of {one_of(shape.one_of)}")
        chosen = [k for k in shape.exclusive if k in given]
        if len(chosen) > 1:
            self.report.error(
                present.get(chosen[1], node),
                f"{what} may have only one of {one_of(shape.exclusive)}, not both "
                f"{chosen[0]!r} and {chosen[1]!r}",
            )
        for key, needed in shape.needs:
            if key in given and needed not in given:
                self.report.error(
                    present.get(key, node),
                    f"{what}: Braze needs {needed!r} with {key!r} (which profile to pick when "
                    "several match), such as [unidentified, most_recently_updated]",
                )
        if shape.identified:
            self._check_identifiers(node, what, given, present)
        if "send_to_existing_only" in shape.fields:
            self._check_recipient(node, what, result, present)

    def _check_recipient(self, node, what: str, result: dict, present: dict) -> None:
        """campaigns/trigger/send: send_to_existing_only false needs attributes and cannot go with
        an alias."""
        flag = result.get("send_to_existing_only")
        if flag is None:
            return
        if "user_alias" in present:
            self.report.error(
                present["send_to_existing_only"],
                f"{what}: Braze does not take send_to_existing_only with a user_alias; remove it",
            )
        elif getattr(flag, "value", None) is False and "attributes" not in present:
            self.report.error(
                present["send_to_existing_only"],
                f"{what}: send_to_existing_only: false creates the user, so Braze needs their "
                "'attributes' in the same recipient",
            )

    def _check_identifiers(self, node, what, given: set[str], present) -> None:
        primary = [k for k in PRIMARY_IDENTIFIERS if k in given]
        secondary = [k for k in SECONDARY_IDENTIFIERS if k in given]
        own = [k for k in primary if k in present]
        if len(primary) > 1 and own:  # two in the node's identifier are reported there
            inherited = [k for k in primary if k not in present]
            origin = ""
            if inherited:
                origin = f" (the node's identifier gives {' and '.join(map(repr, inherited))})"
            self.report.error(
                present[own[-1]],
                f"{what} has both {' and '.join(map(repr, primary))}{origin}: Braze rejects an "
                "object with more than one primary identifier (external_id, user_alias, "
                "braze_id); keep one",
            )
        elif len(primary) > 1:
            pass
        elif not primary and not secondary and not self.identifier_misspelt:
            self.report.error(
                node,
                f"{what} names no user: give the node an 'identifier' (external_id, "
                "user_alias, braze_id, email or phone), or one in this object",
            )
