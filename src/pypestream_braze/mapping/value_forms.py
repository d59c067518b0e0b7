"""The values of a node's request: constants, "{VAR}" placeholders and the value forms
({var: ...}, {param: ...}, {context: ...}, {now: ...}), each read against the Shape of the place
it fills.

    ValueReader(report).leaf(node, shape, where) -> a model value (Const, Var, Fill, Param,
                                                    ContextValue, Now), or None
    ValueReader.is_form(node)                       a mapping that is (or tries to be) a value form

A ValueReader reads every value of one node and collects what the node reads and converts: its
variables, the value types and other conversions it uses, its params and context keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .. import values
from ..braze.shapes import ANY, BOOLEAN, DATETIME, Shape
from ..model import Const, ContextValue, Fill, Leaf, Now, Param, Var
from ..values import VALUE_TYPES
from .constants import check_constant, convert_default, limits_of
from .date_patterns import strptime_pattern
from .liquid import outside_liquid
from .naming import closest, did_you_mean, is_upper_case, one_of, placeholders, shown
from .report import Report, describe, is_bool_word, key_text
from .source import MappingNode, Node, ScalarNode, is_null, value

VALUE_FORM_KEYS = {
    "var": ("var", "as", "format", "default", "required", "zone"),
    "param": ("param",),
    "context": ("context",),
    "now": ("now",),
}
_DATE_PLACEHOLDERS = re.compile(r"%[YmdHMSfzjbBaAyIpZ]")


@dataclass
class ValueReader:
    """Reads the values of one node; collects what the node reads and converts."""

    report: Report
    variables: list[str] = field(default_factory=list)
    conversions: set[str] = field(default_factory=set)
    params: list[str] = field(default_factory=list)
    context_keys: list[str] = field(default_factory=list)
    uses_now: bool = False

    def leaf(self, node: Node, shape: Shape | None, where: str) -> Leaf | dict | list | None:
        """A value: a constant, a placeholder string or one of the {var|param|context} forms."""
        if isinstance(node, MappingNode):
            trap = _unquoted_placeholder(node)
            if trap:
                self.report.error(
                    node,
                    f"{where}: {{{trap}}} without quotes is a YAML mapping, not a placeholder; "
                    f'quote it: "{{{trap}}}"',
                )
                return None
            form = _value_form(node)
            if form:
                return self._value_form(node, form, shape, where)
            misspelt = _misspelt_value_form(node)
            if misspelt:
                key_node, form = misspelt
                self.report.error(
                    key_node,
                    f"{where}: {key_text(key_node)!r} looks like a misspelt {form!r} of a value "
                    f"read when the node runs (did you mean {form!r}?); a literal object would be "
                    "sent as it is written",
                )
                return None
            return None  # not a leaf: the caller walks it as an object
        if not isinstance(node, ScalarNode):  # a list, walked by the caller too
            return None
        if is_null(node):
            self.report.error(
                node,
                f"{where} is empty (null): Braze deletes a field sent as null; "
                "give it a value or remove the key",
            )
            return None
        if is_bool_word(node) and (shape is None or _takes_boolean(shape)):
            self.report.warning(
                node,
                f"{where}: YAML reads {node.value!r} as the boolean "
                f"{str(value(node)).lower()}; quote it if you mean the text",
            )
        constant = value(node)
        if isinstance(constant, str) and ("{" in constant or "}" in constant):
            return self._placeholder_string(node, constant, shape, where)
        if shape is not None:
            check_constant(self.report, node, constant, shape, where)
        return Const(constant)

    def _placeholder_string(self, node: ScalarNode, text: str, shape, where) -> Leaf | None:
        # Braze's own Liquid ({{${first_name}}}, {% if %}) is message content, passed as is.
        outside = outside_liquid(text)
        if "{" not in outside and "}" not in outside:
            if shape is not None:
                check_constant(self.report, node, text, shape, where)
            return Const(text)
        names = placeholders(outside)
        if outside.count("{") != outside.count("}") or not names:
            self.report.error(
                node,
                f"{where}: unbalanced braces in {shown(text)}; a placeholder is written {{VAR}}",
            )
            return None
        bad = [n for n in names if not is_upper_case(n)]
        if bad:
            self.report.error(
                node,
                f"{where}: placeholder {{{bad[0]}}} must name an UPPER_CASE Pypestream "
                f"variable, such as {{{_upper(bad[0])}}}",
            )
            return None
        for name in names:
            self._read_variable(name)
        if text == "{" + names[0] + "}":
            as_type = (shape.as_type if shape else None) or "string"
            self.conversions.add(as_type)
            return Var(names[0], as_type, limits=limits_of(shape, as_type))
        self.conversions.add("fill")
        return Fill(text, tuple(dict.fromkeys(names)), limits_of(shape, "string"))

    def _value_form(self, node: MappingNode, form: str, shape: Shape | None, where: str):
        keys = self.report.keys(node, f"{where} ({form} value)", VALUE_FORM_KEYS[form], (form,))
        name_node = keys[form][1]
        name = self.report.string(name_node, f"{where}: {form}")
        if name is None:
            return None
        if form == "param":
            if name not in self.params:
                self.params.append(name)
            return Param(name)
        if form == "context":
            if name not in self.context_keys:
                self.context_keys.append(name)
            return ContextValue(name)
        if form == "now":
            return self._later(name_node, name, shape, where)
        if not is_upper_case(name):
            self.report.error(
                name_node,
                f"{where}: var {name!r} must be an UPPER_CASE Pypestream variable, "
                f"such as {_upper(name)!r}",
            )
            return None
        as_type = (shape.as_type if shape else None) or "string"
        if "as" in keys:
            as_node = keys["as"][1]
            as_type = self.report.string(as_node, f"{where}: as") or as_type
            if as_type not in VALUE_TYPES:
                self.report.error(
                    as_node,
                    f"{where}: unknown type {as_type!r}{did_you_mean(as_type, VALUE_TYPES)}; "
                    f"allowed: {one_of(VALUE_TYPES)}",
                )
                return None
            if shape is not None and shape.as_type == "local_datetime" and as_type == "datetime":
                self.report.error(
                    as_node,
                    f"{where}: a schedule in users' local time takes a time without a zone, "
                    "which 'as: datetime' does not give; write 'as: local_datetime'",
                )
            elif (
                shape is not None
                and ANY not in shape.kinds
                and not VALUE_TYPES[as_type].kinds & set(shape.kinds)
            ):
                fitting = [t.name for t in VALUE_TYPES.values() if t.kinds & set(shape.kinds)]
                self.report.error(
                    as_node,
                    f"{where} takes {one_of(shape.kinds)}, which 'as: {as_type}' does not give; "
                    f"allowed here: {one_of(fitting)}",
                )
        fmt = None
        if "format" in keys:
            fmt = self._format(keys["format"][1], as_type, where, name)
        zone = self._zone(keys, as_type, fmt, where)
        limits = limits_of(shape, as_type)
        required = self._required(keys, where)
        default = None
        if "default" in keys:
            args = Var(name, as_type, fmt, zone=zone).converter_args
            default = convert_default(self.report, keys["default"][1], as_type, args, limits, where)
        self._read_variable(name)
        self.conversions.add(as_type)
        return Var(name, as_type, fmt, default, limits, required, zone)

    def _required(self, keys, where: str) -> bool:
        """`required: true`: a missing or unusable answer stops the call (false)."""
        if "required" not in keys:
            return False
        node = keys["required"][1]
        flag = value(node) if isinstance(node, ScalarNode) else None
        if not isinstance(flag, bool):
            self.report.error(node, f"{where}: required takes true or false, not {describe(node)}")
            return False
        if flag and "default" in keys:
            self.report.error(
                keys["required"][0],
                f"{where}: required and default exclude each other: a default already stands "
                "in for a missing or unusable answer; remove one",
            )
            return False
        return flag

    def _zone(self, keys, as_type: str, fmt: str | None, where: str) -> str | None:
        """The zone of an answer given without one (datetime only); never assumed."""
        takes_zone = VALUE_TYPES[as_type].takes_zone
        if "zone" not in keys:
            if takes_zone and fmt is not None and "%z" not in fmt and "%Z" not in fmt:
                self.report.error(
                    keys["format"][1],
                    f"{where}: format {fmt!r} reads no zone (%z), so every answer would be "
                    "refused as a time without one; add zone: UTC or the offset the "
                    "conversation's times are in, such as zone: '+02:00'",
                )
            return None
        zone_node = keys["zone"][1]
        zone = self.report.string(zone_node, f"{where}: zone")
        if zone is None:
            return None
        if not takes_zone:
            self.report.error(
                zone_node,
                f"{where}: zone applies to {_taking('takes_zone')} only (a time Braze takes in "
                "UTC)",
            )
            return None
        try:
            values.zone(zone)
        except ValueError:
            self.report.error(
                zone_node,
                f"{where}: zone {zone!r} is not UTC or a fixed offset such as +02:00 or -05:30 "
                "(a node has no time zone database, so names such as Europe/Paris are not read)",
            )
            return None
        return zone

    def _later(self, node: Node, duration: str, shape: Shape | None, where: str):
        """{now: P3D}: the moment of the call plus an ISO 8601 duration."""
        if shape is not None and shape.as_type == "local_datetime":
            self.report.error(
                node,
                f"{where}: a schedule in users' local time takes a wall-clock time without a "
                "zone, and {now: ...} is a moment in UTC; remove in_local_time and "
                "at_optimal_time, or give the time as an answer",
            )
            return None
        if shape is not None and not {DATETIME, ANY} & set(shape.kinds):
            self.report.error(
                node, f"{where} takes {one_of(shape.kinds)}, not a time ({{now: ...}})"
            )
            return None
        try:
            values.duration(duration)
        except ValueError as err:
            self.report.error(node, f"{where}: now {duration!r} is {err}")
            return None
        self.uses_now = True
        self.conversions.add("now")
        return Now(duration)

    def _format(self, fmt_node: Node, as_type: str, where: str, name: str) -> str | None:
        fmt = self.report.string(fmt_node, f"{where}: format")
        if not VALUE_TYPES[as_type].takes_format:
            taking = _taking("takes_format")
            self.report.error(fmt_node, f"{where}: format applies to {taking} only")
        elif fmt is not None and not _DATE_PLACEHOLDERS.search(fmt):
            meant = strptime_pattern(fmt)
            hint = (
                f"write it as {meant!r}"
                if meant is not None
                else "write it with directives: %d day, %m month, %Y year, such as %Y-%m-%d"
            )
            self.report.error(
                fmt_node, f"{where}: format {fmt!r} is not a strptime pattern; {hint}"
            )
        elif fmt is not None and "%y" in fmt:
            example = _written_in(fmt, datetime(1950, 3, 14, 9, 30))
            written = f"{name} {example!r}" if example else f"a {name} of 1950"
            self.report.warning(
                fmt_node,
                f"{where}: format {fmt!r} reads a two-digit year (%y), which Python places "
                f"between 1969 and 2068: {written} is read as the year 2050, not 1950; ask "
                "for %Y",
            )
        elif fmt is not None and as_type == "date" and "%Y" not in fmt and "%j" not in fmt:
            self.report.warning(
                fmt_node, f"{where}: format {fmt!r} has no year (%Y), so every date is in 1900"
            )
        return fmt

    def _read_variable(self, name: str) -> None:
        if name not in self.variables:
            self.variables.append(name)

    # -- structure ------------------------------------------------------------------------------

    def is_form(self, node: Node) -> bool:
        """Whether node is a value form, or a mapping meant as one (reported by leaf)."""
        return isinstance(node, MappingNode) and (
            _value_form(node) is not None
            or _unquoted_placeholder(node) is not None
            or _misspelt_value_form(node) is not None
        )

    def now(self) -> Now:
        """The moment of the call, where Braze's default for a missing time is that moment."""
        self.uses_now = True
        self.conversions.add("now")
        return Now()


def _taking(option: str) -> str:
    """The value types that take option ("takes_format"), for messages: 'as: date' and ..."""
    names = [f"'as: {t.name}'" for t in VALUE_TYPES.values() if getattr(t, option)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _takes_boolean(shape: Shape) -> bool:
    return BOOLEAN in shape.kinds or ANY in shape.kinds or shape.custom is not None


def _value_form(node: MappingNode) -> str | None:
    """var, param or context when node is one of those value forms, else None.

    A form is told from an object of the body by its keys: all of them belong to the form and
    the form's own key holds a single value (a Canvas recipient's `context` holds a mapping).
    Keys that are near misses of a form's keys (`as`, `format` with `var`) are reported later.
    """
    keys = {key_text(k): v for k, v in node.value}
    for form, allowed in VALUE_FORM_KEYS.items():
        if (
            form in keys
            and isinstance(keys[form], ScalarNode)
            and (form == "var" or set(keys) <= set(allowed))
        ):
            return form
    return None


def _misspelt_value_form(node: MappingNode) -> tuple[Node, str] | None:
    """(the key, the form) when node is a value form with its own key misspelt: `{vr: AGE, as:
    integer}`, `{parm: campaign_id}`. The form's other keys, or a value named the way the form
    names things, tell it from an object of custom attributes that happens to look alike."""
    keys = {key_text(k): (k, v) for k, v in node.value}
    for form, allowed in VALUE_FORM_KEYS.items():
        # One key outside the form's, and a near miss of its own key (asked only then: an
        # object of several custom attributes is told apart without comparing spellings).
        strangers = [k for k in keys if k not in allowed]
        if len(strangers) != 1 or closest(strangers[0], (form,)) != form:
            continue
        others = len(keys) - 1
        key_node, value_node = keys[strangers[0]]
        if not isinstance(value_node, ScalarNode):
            continue
        named = re.fullmatch(_NAMED[form], value_node.value)
        if others or named:
            return key_node, form
    return None


# How each form names what it reads: a variable, a param or context key, a duration.
_NAMED = {
    "var": r"[A-Z][A-Z0-9_]*",
    "param": r"[a-z_][a-z0-9_]*",
    "context": r"[a-z_][a-z0-9_]*",
    "now": r"P[0-9WDTHMS]+",
}


def _unquoted_placeholder(node: MappingNode) -> str | None:
    """FIRST_NAME when the user wrote `key: {FIRST_NAME}` (a flow mapping with one null key)."""
    if node.flow_style and len(node.value) == 1:
        key, val = node.value[0]
        if isinstance(key, ScalarNode) and is_null(val) and val.value == "":
            return key.value
    return None


def _upper(name: str) -> str:
    """An UPPER_CASE variable name to suggest in place of name."""
    upper = re.sub(r"[^A-Za-z0-9]+", "_", name).upper().strip("_")
    return upper if upper[:1].isalpha() else f"VAR_{upper}".rstrip("_")


def _written_in(fmt: str, moment: datetime) -> str | None:
    """moment as fmt writes it, or None when the platform's strftime refuses fmt."""
    try:
        return moment.strftime(fmt)
    except ValueError:
        return None
