"""The value rules, as `check` and the generator use them: the converter of each `as` type.

The rules themselves are in runtime.py, the module every generated node carries below its
marker line, so `check`, the generator and every node run one implementation of each rule.
`check` runs the converters on a spec's constants and defaults; the generator runs them to
know the request a node's tests must see (render/expected.py).
"""

from .runtime import (
    _boolean,
    _country,
    _date,
    _decimal,
    _email,
    _gender,
    _integer,
    _language,
    _local_timestamp,
    _phone,
    _string,
    _timestamp,
)

# The converter of each `as` type of a spec (nodes call them by name).
CONVERTERS = {
    "string": _string,
    "email": _email,
    "phone": _phone,
    "date": _date,
    "datetime": _timestamp,
    "local_datetime": _local_timestamp,
    "gender": _gender,
    "country": _country,
    "language": _language,
    "integer": _integer,
    "float": _decimal,
    "boolean": _boolean,
}
