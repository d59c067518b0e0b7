"""The value types a spec's `as` names, one record each, and the value rules `check` and the
generator share with the nodes.

    VALUE_TYPES[name] -> ValueType          every `as` type, in the README's order

A ValueType says everything the generator knows of a type: the Braze kinds it may feed, which
limits apply to its result, what `var` keys it takes, how a constant written for a field of the
type is held to it, the converter a node runs, a plausible answer for a solution's tests and
its line in the README's table. The reader, the JSON Schema, the constant checks, the generated
code and the sample answers all read these records; a new type is a record here and its
converter in runtime.py.

The rules themselves are in runtime.py, the module every generated node carries below its
marker line, so `check`, the generator and every node run one implementation of each rule.
runtime.py names everything with a leading underscore (it shares each node file's namespace);
this module gives the generator public names for the rules it uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import runtime
from .braze.shapes import BOOLEAN, DATE, DATETIME, INTEGER, NUMBER, STRING

# What a converter gives, which decides the limits a node checks of it: a text's length, bytes
# and identifier form, or a number's range.
TEXT, NUMERIC, FLAG = "text", "number", "boolean"


@dataclass(frozen=True)
class ValueType:
    name: str  # as written after `as:`
    converter: Callable[..., object]  # the runtime function a node calls on an answer
    kinds: frozenset[str]  # the Braze kinds of field it may feed (braze/shapes.py)
    result: str  # TEXT, NUMERIC or FLAG
    sent_as: str  # the README: what a node sends
    read_from: str  # the README: which answers it reads
    sample: str | None = None  # an answer for a solution's tests; None: chosen by the name
    takes_format: bool = False  # `format`: the answer's strptime pattern
    takes_zone: bool = False  # `zone`: the zone of an answer given without one
    # A constant written where a field converts to this type is sent as written, so it must
    # already be what the converter gives: this says what that is (an error otherwise).
    exact: str = ""
    # ... or only should be: a constant in another form is a warning naming this form.
    recommended: str = ""


def _types(*types: ValueType) -> Mapping[str, ValueType]:
    return MappingProxyType({value_type.name: value_type for value_type in types})


VALUE_TYPES = _types(
    ValueType(
        "string",
        runtime._string,
        frozenset({STRING}),
        TEXT,
        sent_as="the answer as text, trimmed",
        read_from="any answer",
    ),
    ValueType(
        "email",
        runtime._email,
        frozenset({STRING}),
        TEXT,
        sent_as="an email address",
        read_from="an email address",
        sample="ada@example.com",
    ),
    ValueType(
        "phone",
        runtime._phone,
        frozenset({STRING}),
        TEXT,
        sent_as="E.164: `+14155552671`",
        read_from="a number with its country code, spaces, dots, dashes and brackets allowed, "
        "`00` for `+`",
        sample="+14155552671",
        recommended="E.164",
    ),
    ValueType(
        "date",
        runtime._date,
        frozenset({DATE, DATETIME, STRING}),
        TEXT,
        sent_as="`YYYY-MM-DD`",
        read_from="the answer in `format`, the input's strptime pattern, or ISO, always "
        "accepted; `%y` is warned about, and a format written in words, `DD/MM/YYYY`, is "
        "answered with its pattern, `%d/%m/%Y`",
        sample="2024-03-14",  # any date: an incident, a renewal, an appointment
        takes_format=True,
        exact="a date as YYYY-MM-DD, such as 1990-04-01",
    ),
    ValueType(
        "datetime",
        runtime._timestamp,
        frozenset({DATETIME, STRING}),
        TEXT,
        sent_as="ISO 8601 in UTC, `2024-05-01T10:30:00Z`",
        read_from="unless a `format` is given, `YYYY-MM-DD`, optionally followed by `T`, `t` "
        "or a space and `hh`, `hh:mm` or `hh:mm:ss` with any fraction, and a zone `Z`, `+hh`, "
        "`+hhmm` or `+hh:mm`: the same forms on every Python a node may run on; an answer "
        "without a zone is refused, never taken as UTC, unless the spec says `zone: UTC` or a "
        'fixed offset such as `zone: "+02:00"`, and a `format` without `%z` needs a `zone`',
        sample="2024-05-17T14:30:00Z",  # past noon, so %I and %H differ
        takes_format=True,
        takes_zone=True,
    ),
    ValueType(
        "local_datetime",
        runtime._local_timestamp,
        frozenset({DATETIME, STRING}),
        TEXT,
        sent_as="a date and time without a zone, `2024-05-02T09:00:00`",
        read_from="ISO 8601 or `format`; a zone the answer gives is left out: what a schedule "
        "with `in_local_time` or `at_optimal_time` takes, and what its `time` is read as there",
        sample="2024-05-17T14:30:00",
        takes_format=True,
        exact="a date and time without a zone, such as 2024-05-01T10:30:00 (Braze sends at "
        "that time in each user's own time zone)",
    ),
    ValueType(
        "gender",
        runtime._gender,
        frozenset({STRING}),
        TEXT,
        sent_as="`M`, `F`, `O`, `N` or `P`",
        read_from='a code or a word such as "female"',
        sample="female",
        exact="one of M, F, O, N or P",
    ),
    ValueType(
        "country",
        runtime._country,
        frozenset({STRING}),
        TEXT,
        sent_as="ISO 3166 alpha-2",
        read_from="a code, an English name or a common alias: `uk`, `England` and `GBR` are `GB`",
        sample="GB",
        exact="an ISO 3166 alpha-2 country code, such as GB",
    ),
    ValueType(
        "language",
        runtime._language,
        frozenset({STRING}),
        TEXT,
        sent_as="ISO 639-1",
        read_from="a code, also of a locale such as `en-US`",
        sample="en",
        exact="an ISO 639-1 language code, such as en",
    ),
    ValueType(
        "integer",
        runtime._integer,
        frozenset({INTEGER, NUMBER}),
        NUMERIC,
        sent_as="a whole number",
        read_from="a number, read without guessing (below)",
        sample="42",
    ),
    ValueType(
        "float",
        runtime._decimal,
        frozenset({NUMBER}),
        NUMERIC,
        sent_as="a number",
        read_from="a number, read without guessing (below)",
        sample="9.99",
    ),
    ValueType(
        "boolean",
        runtime._boolean,
        frozenset({BOOLEAN}),
        FLAG,
        sent_as="`true` or `false`",
        read_from="yes/no, true/false, 1/0",
        sample="yes",
    ),
)

# The other rules `check` and the JSON Schema hold a spec to, as the nodes apply them.
text_of = runtime._text_of  # an answer as trimmed text; None when it is missing
within = runtime._within  # a converted value held to Braze's limits of its field
identifier = runtime._identifier  # text held to the form Braze documents for an identifier
IDENTIFIERS = runtime._IDENTIFIERS  # identifier kind -> (pattern, what it is)
zone = runtime._zone  # a zone a spec names: UTC or a fixed offset
ZONE = runtime._ZONE
duration = runtime._duration  # an ISO 8601 duration added to the moment of the call
DURATION = runtime._DURATION
