"""A node's `outputs`: the UPPER_CASE variables it sets from Braze's answer.

read_outputs(report, entry, endpoint, where) -> (Output, ...)
warn_outputs_read_as_inputs(report, nodes, items)   an output another node also reads
"""

from __future__ import annotations

import re

from ..braze.endpoint import Endpoint
from ..model import Node, Output
from .naming import did_you_mean, is_upper_case, one_of, to_upper_case
from .report import Report, key_text, value_of
from .source import Node as YamlNode

_OUTPUT_KEY = r"([A-Za-z_$][\w$-]*|\*)(\[\d+\])*"
_OUTPUT_PATH = re.compile(rf"^{_OUTPUT_KEY}(\.{_OUTPUT_KEY})*$")


def read_outputs(
    report: Report, entry, endpoint: Endpoint | None, where: str
) -> tuple[Output, ...]:
    """The outputs of the `outputs` entry (key node, value node), read against what Braze
    documents of the endpoint's answer."""
    if entry is None:
        return ()
    node = report.mapping(entry[1], f"{where}.outputs")
    if node is None:
        return ()
    outputs = []
    for key_node, value_node in node.value:
        variable = key_text(key_node)
        if not is_upper_case(variable):
            report.error(
                key_node,
                f"output {variable!r} must be an UPPER_CASE Pypestream variable, such as "
                f"{to_upper_case(variable) or 'BRAZE_VALUE'!r}",
            )
            continue
        if variable in ("BRAZE_STATUS", "BRAZE_ERROR"):
            report.error(
                key_node, f"output {variable!r} is set by every node already; choose another"
            )
            continue
        text = report.string(value_node, f"{where}.outputs.{variable}")
        if text is None:
            continue
        if not _OUTPUT_PATH.fullmatch(text):
            report.error(
                value_node,
                f"output {variable}: {text!r} is not a path into Braze's answer; write "
                "keys separated by dots with [N] for list items and * for the first entry, "
                "e.g. users[0].first_name or status.*",
            )
            continue
        path = _parse_path(text)
        fields = endpoint.answer.fields if endpoint is not None else ()
        if endpoint is not None and fields and path[0] not in fields:
            report.warning(
                value_node,
                f"output {variable}: Braze's answer to {endpoint.display} has no "
                f"{path[0]!r}{did_you_mean(str(path[0]), fields)}; it has {one_of(fields)}",
            )
        outputs.append(Output(variable, path, text))
    return tuple(outputs)


def warn_outputs_read_as_inputs(report: Report, nodes: list[Node], items: list[YamlNode]) -> None:
    """An output that is also an input gets overwritten, with "" when Braze has no value.
    items: each node's item in the spec, in the order of nodes."""
    readers: dict[str, str] = {}
    for node in nodes:
        for variable in node.variables:
            readers.setdefault(variable, node.name)
    for node, item in zip(nodes, items, strict=True):
        outputs = value_of(item, "outputs")
        for key_node, _ in getattr(outputs, "value", []):
            variable = key_text(key_node)
            if variable in readers:
                report.warning(
                    key_node,
                    f"output {variable} is also an input of {readers[variable]}: when "
                    f'Braze has no value (or the call fails) {node.name} sets it to "" '
                    "and the conversation loses what it collected; name it differently, "
                    f"such as BRAZE_{variable}",
                )


def _parse_path(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for segment in text.split("."):
        name, *indexes = re.split(r"\[", segment)
        parts.append(name)
        parts.extend(int(i.rstrip("]")) for i in indexes)
    return tuple(parts)
