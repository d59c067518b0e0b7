"""A spec's constants and defaults, judged by the same converters the nodes run (runtime.py).

    check_constant(report, node, constant, shape, where)    problems onto the report
    convert_default(report, node, as_type, fmt, limits, where) -> the default as Braze gets it
    limits_of(shape, as_type) -> Limits                       what a node checks of an answer

A constant is sent as written, so it must already be in the form Braze reads (a dob as
YYYY-MM-DD, a country as its ISO code). A default stands in for an answer, so it is converted
exactly as the answer would be (a dob default in the node's own format becomes YYYY-MM-DD).
"""

from __future__ import annotations

import math
import re

from ..braze.shapes import (
    ANY,
    ARRAY,
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    OBJECT,
    STRING,
    Shape,
)
from ..model import Limits
from ..values import NUMERIC, TEXT, VALUE_TYPES, identifier, text_of, within
from .naming import did_you_mean, one_of
from .report import Report, describe, is_bool_word
from .source import ScalarNode

_CONST_KINDS = {
    str: {STRING, DATE, DATETIME},
    bool: {BOOLEAN},
    int: {INTEGER, NUMBER},
    float: {NUMBER},
    list: {ARRAY},
    dict: {OBJECT},
}


def limits_of(shape: Shape | None, as_type: str) -> Limits:
    if shape is None:
        return ()
    limits: list[tuple[str, float | str]] = []
    result = VALUE_TYPES[as_type].result
    if result == TEXT:
        limits += [("max_length", shape.max_length)] if shape.max_length else []
        limits += [("max_bytes", shape.max_bytes)] if shape.max_bytes else []
        limits += [("identifier", shape.identifier)] if shape.identifier else []
    elif result == NUMERIC:
        limits += [("minimum", shape.minimum)] if shape.minimum is not None else []
        limits += [("maximum", shape.maximum)] if shape.maximum is not None else []
    return tuple(limits)


def check_constant(report: Report, node: ScalarNode, constant, shape: Shape, where: str) -> None:
    kinds = _CONST_KINDS.get(type(constant), set())
    if ANY not in shape.kinds and not kinds & set(shape.kinds):
        hint = ""
        if is_bool_word(node):
            hint = f'; YAML reads {node.value} as a boolean: quote it, "{node.value}"'
        report.error(node, f"{where} takes {one_of(shape.kinds)}, not {describe(node)}{hint}")
        return
    if isinstance(constant, float) and not math.isfinite(constant):
        report.error(node, f"{where} is {node.value}; Braze takes finite numbers only")
        return
    if shape.as_type and isinstance(constant, str):
        _check_form(report, node, constant, shape, where)
    if shape.enum and constant not in shape.enum:
        message = (
            f"{where}: {constant!r} is not a value Braze knows here"
            f"{did_you_mean(str(constant), map(str, shape.enum))}; "
            f"allowed: {one_of(map(str, shape.enum))}"
        )
        if shape.enum_is_open:
            report.warning(node, message)
        elif not _exact_form(shape.as_type):  # reported with its Braze form already
            report.error(node, message)
    if isinstance(constant, int | float) and not isinstance(constant, bool):
        _check_range(report, node, constant, shape, where)
    if isinstance(constant, str):
        _check_text(report, node, constant, shape, where)


def _check_range(report: Report, node, number: float, shape: Shape, where: str) -> None:
    low, high = shape.minimum, shape.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            accepted = f"{low:g} to {high:g}"
        else:
            accepted = f"at least {low:g}" if low is not None else f"at most {high:g}"
        report.error(node, f"{where} is {number:g}; Braze accepts {accepted}")


def _check_text(report: Report, node, text: str, shape: Shape, where: str) -> None:
    if shape.pattern and not re.fullmatch(shape.pattern, text):
        hint = shape.pattern_hint or "in the form Braze expects"
        report.error(node, f"{where}: {text!r} is not {hint}")
    if shape.identifier:
        try:  # the rule a node applies to an answer here
            identifier(text, shape.identifier)
        except ValueError as err:
            report.error(node, f"{where}: {text!r} is {err}, as Braze requires")
    for limit, size, unit in (
        (shape.max_length, len(text), "characters"),
        (shape.max_bytes, len(text.encode()), "bytes (UTF-8)"),
    ):
        if limit and size > limit:
            report.error(
                node, f"{where} is {size} {unit} long; Braze accepts at most {limit}: shorten it"
            )


def convert_default(report: Report, node, as_type: str, args: tuple, limits: Limits, where: str):
    """The default as Braze gets it, converted like an answer (args: the converter's format and
    zone); None (reported) if it cannot be."""
    text = text_of(node.value) if isinstance(node, ScalarNode) else None
    if text is None:
        report.error(node, f"{where}: default must be a value, not {describe(node)}")
        return None
    try:
        return within(VALUE_TYPES[as_type].converter(text, *args), **dict(limits))
    except ValueError as err:
        report.error(
            node,
            f"{where}: default {text!r} is {err}; a default is converted like the answer it "
            "stands in for",
        )
        return None


def _check_form(report: Report, node: ScalarNode, constant: str, shape: Shape, where: str) -> None:
    if shape.as_type is None:  # no form to hold the constant to
        return
    value_type = VALUE_TYPES[shape.as_type]
    try:
        converted = value_type.converter(constant.strip())
    except ValueError as err:
        if value_type.recommended and not shape.pattern:
            report.warning(
                node, f"{where}: {constant!r} is {err}; Braze recommends {value_type.recommended}"
            )
        elif value_type.exact:
            report.error(node, f"{where}: {constant!r} is not {value_type.exact}")
        elif not shape.pattern:  # a pattern reports it in its own words
            report.error(node, f"{where}: {constant!r} is {err}")
        return
    if value_type.exact and converted != constant:
        report.error(
            node,
            f"{where}: {constant!r} is not {value_type.exact}; Braze expects {converted!r} here",
        )
    elif value_type.recommended and converted != constant and not shape.pattern:
        report.warning(
            node, f"{where}: write {constant!r} as {converted!r} ({value_type.recommended})"
        )


def _exact_form(as_type: str | None) -> str:
    """What a constant must already be where a field converts to as_type ("" when nothing)."""
    return VALUE_TYPES[as_type].exact if as_type is not None else ""
