"""What a node module carries besides its class: the definitions of values.py it runs, and the
imports those and the call machinery (templates/_braze_call.py.jinja) need."""

from __future__ import annotations

from ..model import Node
from ..values import CONVERTERS
from . import inline

# Every node settles its body against its rules, reports what is missing and sets its outputs.
_ALWAYS = {"_settle", "_why_missing", "_at", "_prune", "_text_of", "_output_text"}
# Modules the call machinery imports, whatever the node converts.
_CALL_IMPORTS = (
    "contextlib",
    "json",
    "math",
    "os",
    "random",
    "re",
    "socket",
    "threading",
    "time",
)
_FROM_DATETIME = ("datetime", "timezone")


def values_source(node: Node) -> str:
    return inline.definitions(_definitions(node))


def plain_imports(node: Node) -> list[str]:
    used = set(inline.imports(_definitions(node))) - set(_FROM_DATETIME)
    return sorted(used | set(_CALL_IMPORTS))


def datetime_imports(node: Node) -> list[str]:
    used = inline.imports(_definitions(node))
    return [name for name in _FROM_DATETIME if name in used]


def _definitions(node: Node) -> set[str]:
    names = set(_ALWAYS)
    converted = node.conversions & set(CONVERTERS)
    if converted:
        names |= {"_value", "_string"} | {CONVERTERS[t].__name__ for t in converted}
    optional = {"fill": "_fill", "now": "_now"}
    names |= {definition for kind, definition in optional.items() if kind in node.conversions}
    if node.params:
        names.add("_param")
    if node.context_keys:
        names.add("_context")
    if node.endpoint.parameters:
        names.add("_url_path")
    if node.endpoint.takes == "query":
        names.add("_query_string")
    return names
