"""What Braze accepts at one place of a request: the Shape of a value, the Field of an object,
the kinds of value and the documented limits, and the builders the catalogue is written with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_TRACK_OBJECTS = 75  # users/track: 75 objects in all per request, in every pricing model
MAX_STRING = 255  # custom attribute values and keys, event names, property keys and values
MAX_ALIAS_BYTES = 236  # the user alias object: alias_name and alias_label
MAX_EXTERNAL_ID_BYTES = 987  # users/track's error EXTERNAL_USER_ID_TOO_LARGE
MAX_PURCHASE_QUANTITY = 100  # the purchase object
MAX_RECIPIENTS = 50  # identifiers, aliases and recipients per request, on each endpoint's page
E164 = r"\+[1-9][0-9]{6,14}"  # phone numbers for the subscription endpoints
# A value's kind as Braze reads it. "datetime" and "date" are strings in a documented format.
STRING, INTEGER, NUMBER, BOOLEAN = "string", "integer", "number", "boolean"
DATE, DATETIME, OBJECT, ARRAY, ANY = "date", "datetime", "object", "array", "any"


@dataclass(frozen=True, eq=False)
class Shape:
    """What Braze accepts at one place of a request body."""

    kinds: tuple[str, ...]
    fields: Mapping[str, Field] = field(default_factory=dict)
    custom: str | None = None  # objects only: None (closed), "attribute" or "property" keys
    custom_values: Shape | None = None  # the shape of a custom key's value, if Braze limits it
    items: Shape | None = None  # arrays only
    max_items: int | None = None
    exclusive_items: tuple[object, ...] = ()  # arrays: values that exclude each other
    enum: tuple[object, ...] = ()
    enum_is_open: bool = False  # an unknown enum value is a warning, not an error
    max_length: int | None = None  # characters
    max_bytes: int | None = None  # bytes of UTF-8
    minimum: float | None = None  # numbers only
    maximum: float | None = None
    pattern: str | None = None  # a constant string must match it (re.fullmatch)
    pattern_hint: str = ""  # what the pattern means, for messages
    # An identifier whose form Braze documents (runtime._IDENTIFIERS: send_id, catalog_name, ...):
    # `check` holds constants and defaults to it, and a node answers false for an answer that
    # breaks it rather than send what Braze would refuse.
    identifier: str | None = None
    identified: bool = False  # an object that names one user (a users/track object)
    one_of: tuple[str, ...] = ()  # at least one of these keys
    exclusive: tuple[str, ...] = ()  # at most one of these keys
    # (key, key it needs): an email recipient needs its prioritization
    needs: tuple[tuple[str, str], ...] = ()
    as_type: str | None = None  # the conversion a bare "{VAR}" gets here (e.g. dob -> date)
    # Arrays: an item that cannot be sent whole makes the whole array unsendable, where leaving
    # it out would change what the request means (an event, an identify pair); otherwise such an
    # item is left out (one of several recipients, a push token).
    every: bool = False
    # Objects: message content. Every value the spec writes here must be sent as written: an
    # email without the subject the spec gives is not the email the spec describes.
    content: bool = False

    @property
    def is_object(self) -> bool:
        return self.kinds == (OBJECT,)


@dataclass(frozen=True)
class Field:
    shape: Shape
    required: bool = False  # Braze refuses the object without it
    note: str = ""
    # Braze accepts the object without it, but not with the meaning the spec gives: a segment
    # that narrows who receives a message, the user an alias is added to.
    essential: bool = False


# The builders the catalogue is written with: a value, an object, an array, and an object's
# fields as Braze treats them.
def value(*kinds: str, **options) -> Shape:
    """A value of kinds (text when none is given), with Shape's options."""
    return Shape(kinds=kinds or (STRING,), **options)


def obj(fields: Mapping[str, Field] | None = None, **options) -> Shape:
    """A JSON object with fields, with Shape's options."""
    return Shape(kinds=(OBJECT,), fields=dict(fields or {}), **options)


def array(items: Shape, max_items: int | None = None, every: bool = False) -> Shape:
    return Shape(kinds=(ARRAY,), items=items, max_items=max_items, every=every)


def required(shape: Shape, note: str = "") -> Field:
    """Braze refuses the object without it."""
    return Field(shape, required=True, note=note)


def optional(shape: Shape, note: str = "") -> Field:
    return Field(shape, note=note)


def essential(shape: Shape, note: str = "") -> Field:
    """Optional for Braze, essential for the meaning: when the spec gives it, it must be sent."""
    return Field(shape, note=note, essential=True)


TEXT = value(STRING, max_length=MAX_STRING)
FLAG = value(BOOLEAN)
OPEN_OBJECT = obj(custom="property")  # an object Braze takes any keys in
# The user attributes and event objects: custom attribute values, nested keys included, and
# event and purchase property values: text up to 255 characters.
CUSTOM_VALUE = value(ANY, max_length=MAX_STRING)
PROPERTY_VALUE = value(ANY, max_length=MAX_STRING)
PROPERTIES = obj(custom="property", custom_values=PROPERTY_VALUE)
