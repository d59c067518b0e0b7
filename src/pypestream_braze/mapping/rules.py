"""The rules a node applies to its body before it calls Braze (see model.Rule), derived from the
catalogue: what must be there for the request to mean what the spec says.

    rules_for(body, shape, audience_keys) -> tuple[Rule, ...]     deepest first

Who receives a request and what it sends must never change because an answer is missing:
- a required or essential key that an answer fills makes its object incomplete when missing
  (ALL); an incomplete object that is optional is left out, one that is required makes its
  parent incomplete in turn, up to the body, where it stops the call (MUST);
- an object that needs one of several keys (one identifier, one recipient list) is incomplete
  when every one of them is missing (ANY);
- a list whose items each mean something of their own (events, identify pairs, message
  attachments) is incomplete when one item is (EACH); other lists (recipient ids) lose the item;
- message content (an email, an SMS) is sent as the spec writes it or not at all.
Constants are never missing, so only what answers, params or context fill gets a rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..braze.objects import PRIMARY_IDENTIFIERS, SECONDARY_IDENTIFIERS
from ..braze.shapes import Shape
from ..model import (
    ALL,
    ANY,
    EACH,
    MUST,
    SPREAD_IDENTIFIER,
    Const,
    ContextValue,
    Fill,
    Now,
    Param,
    Rule,
    Var,
    leaves,
)


def rules_for(body: dict, shape: Shape, audience_keys: Iterable[str] = ()) -> tuple[Rule, ...]:
    found: list[Rule] = []
    children = _children(body)
    for key, child in children.items():
        field = shape.fields.get(key)
        _walk(child, field.shape if field else None, (key,), False, found)
    for keys in _needed(children, shape, content=shape.content):
        found.append(Rule(MUST, (), keys, inputs(children[k] for k in keys)))
    audience = tuple(k for k in audience_keys if k in children)
    if audience and all(can_go_missing(children[k]) for k in audience):
        found.append(Rule(MUST, (), audience, inputs(children[k] for k in audience)))
    return tuple(found)


def _walk(tree, shape: Shape | None, path: tuple, content: bool, found: list[Rule]) -> None:
    content = content or bool(shape and shape.content)
    if isinstance(tree, list):
        items = shape.items if shape else None
        for index, item in enumerate(tree):
            _walk(item, items, (*path, index), content, found)
        if (content or (shape and shape.every)) and can_go_missing(tree):
            found.append(Rule(EACH, path, (), inputs(tree)))
        return
    if not isinstance(tree, dict) or (shape is None and not content):
        return  # a leaf, or free-form data (custom attributes, properties): nothing required
    children = _children(tree)
    for key, child in children.items():
        field = shape.fields.get(key) if shape else None
        _walk(child, field.shape if field else None, (*path, key), content, found)
    for keys in _needed(children, shape, content):
        kind = ALL if len(keys) == 1 else ANY
        found.append(Rule(kind, path, keys, inputs(children[k] for k in keys)))


def _needed(children: dict, shape: Shape | None, content: bool) -> list[tuple[str, ...]]:
    """Groups of keys of which one must be there (a single key: that key), if answers fill them."""
    groups: list[tuple[str, ...]] = []
    for key, child in children.items():
        field = shape.fields.get(key) if shape else None
        essential = content or (field is not None and (field.required or field.essential))
        if essential and can_go_missing(child):
            groups.append((key,))
    alternatives = [shape.one_of] if shape else []
    if shape and shape.identified:
        # The user an object is about: its primary identifier, when the spec gives one (an
        # email beside it is then only an attribute, and must not become who is updated).
        primary = [k for k in PRIMARY_IDENTIFIERS if k in children]
        alternatives.append(tuple(primary) or SECONDARY_IDENTIFIERS)
    for group in alternatives:
        given = tuple(k for k in group if k in children)
        if given and given not in groups and all(can_go_missing(children[k]) for k in given):
            groups.append(given)
    return groups


def _children(tree: dict) -> dict:
    """An object's keys and values, with a users/track node's identifier spread into it."""
    children = {k: v for k, v in tree.items() if k != SPREAD_IDENTIFIER}
    children.update(tree.get(SPREAD_IDENTIFIER) or {})
    return children


def can_go_missing(tree) -> bool:
    """Whether a conversation can leave this part of a body without a value."""
    return any(isinstance(leaf, Var | Fill | Param | ContextValue) for leaf in leaves(tree))


def inputs(trees) -> tuple[str, ...]:
    """What fills the parts of a body: variables, "param NAME" and "context KEY", in order."""
    names: list[str] = []
    for leaf in leaves(list(trees)):
        if isinstance(leaf, Var):
            names.append(leaf.name)
        elif isinstance(leaf, Fill):
            names.extend(leaf.names)
        elif isinstance(leaf, Param):
            names.append(f"param {leaf.name}")
        elif isinstance(leaf, ContextValue):
            names.append(f"context {leaf.key}")
        elif not isinstance(leaf, Const | Now):
            raise TypeError(f"not a model value: {leaf!r}")
    return tuple(dict.fromkeys(names))


def path_rules(path: dict) -> tuple[Rule, ...]:
    """A path parameter that a conversation can leave empty stops the call: without it there is
    no URL to call."""
    return tuple(
        Rule(MUST, (), (name,), inputs([leaf]))
        for name, leaf in path.items()
        if can_go_missing(leaf)
    )
