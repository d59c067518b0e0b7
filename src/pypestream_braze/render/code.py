"""Model values as Python source for the generated nodes.

Every value that comes from a spec is emitted with repr(), never pasted into source, so a quote,
a backslash or a newline in a spec can only ever be data. black formats the result afterwards.
"""

from __future__ import annotations

from ..model import SPREAD_IDENTIFIER, Const, ContextValue, Fill, Now, Param, Var

# The _Inputs method that converts each `as` type (templates/_inputs.py.jinja).
CONVERTERS = {
    "string": "text",
    "email": "email",
    "phone": "phone",
    "date": "date",
    "datetime": "timestamp",
    "gender": "gender",
    "country": "country",
    "language": "language",
    "integer": "integer",
    "float": "decimal",
    "boolean": "boolean",
}


def expression(tree) -> str:
    """A Python expression that builds tree at run time from `inputs` (and `identifier`)."""
    if isinstance(tree, dict):
        items = []
        for key, child in tree.items():
            if key == SPREAD_IDENTIFIER:
                items.append("**identifier")
            else:
                items.append(f"{key!r}: {expression(child)}")
        return "{" + ", ".join(items) + (", " if len(items) > 1 else "") + "}"
    if isinstance(tree, list):
        # A trailing comma makes black keep one item per line: used where items are objects.
        exploded = any(isinstance(item, dict) for item in tree)
        return "[" + ", ".join(expression(item) for item in tree) + (", " if exploded else "") + "]"
    return _leaf(tree)


def _leaf(leaf) -> str:
    if isinstance(leaf, Const):
        return repr(leaf.value)
    if isinstance(leaf, Var):
        args = [repr(leaf.name)]
        if leaf.format is not None:
            args.append(repr(leaf.format))
        if leaf.default is not None:
            args.append(f"default={leaf.default!r}")
        return f"inputs.{CONVERTERS[leaf.as_type]}({', '.join(args)})"
    if isinstance(leaf, Fill):
        return f"inputs.fill({leaf.template!r})"
    if isinstance(leaf, Param):
        return f"inputs.param({leaf.name!r})"
    if isinstance(leaf, ContextValue):
        return f"inputs.context({leaf.key!r})"
    if isinstance(leaf, Now):
        return "inputs.now()"
    raise TypeError(f"not a model value: {leaf!r}")


def literal(value) -> str:
    """A constant as Python source (tuples of paths, dicts of outputs, numbers)."""
    return repr(value)
