"""Model values as Python source for the generated nodes.

Every value that comes from a spec is emitted with repr(), never pasted into source, so a quote,
a backslash or a newline in a spec can only ever be data. black formats the result afterwards.
"""

from __future__ import annotations

from ..model import SPREAD_IDENTIFIER, Const, ContextValue, Fill, Node, Now, Param, Var
from ..values import VALUE_TYPES


def rules_source(rules) -> str:
    """A tuple of rules (model.Rule) as the node's source: one (kind, path, keys, label) a line."""
    if not rules:
        return "()"
    rows = "".join(f"    {(r.kind, r.path, r.keys, r.label)!r},\n" for r in rules)
    return "(\n" + rows + ")"


def path_rules_source(node: Node) -> str:
    return rules_source(node.path_rules)


def expression(tree) -> str:
    """A Python expression that builds tree at run time from the answers (and `identifier`)."""
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
        if leaf.as_type != "string" or leaf.converter_args:
            args.append(VALUE_TYPES[leaf.as_type].converter.__name__)
        args.extend(map(repr, leaf.converter_args))
        if leaf.default is not None:
            args.append(f"default={leaf.default!r}")
        args.extend(f"{name}={limit!r}" for name, limit in leaf.limits)
        return f"value({', '.join(args)})"
    if isinstance(leaf, Fill):
        args = [repr(leaf.template), *map(repr, leaf.names)]
        args.extend(f"{name}={limit!r}" for name, limit in leaf.limits)
        return f"fill({', '.join(args)})"
    if isinstance(leaf, Param):
        return f"_param(params, {leaf.name!r})"
    if isinstance(leaf, ContextValue):
        return f"_context(context, {leaf.key!r})"
    if isinstance(leaf, Now):
        return "_now()" if leaf.after is None else f"_later({leaf.after!r})"
    raise TypeError(f"not a model value: {leaf!r}")
