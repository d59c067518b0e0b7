"""Names as Pypestream and Python need them: CamelCase commands, UPPER_CASE variables, packages."""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Iterable

CAMEL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
UPPER_CASE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Folders a solution already has: its package must be another one.
RESERVED_PACKAGES = frozenset({"tests"})


def is_camel_case(name: str) -> bool:
    """A Design Studio command: starts upper case, letters and digits only (no _ or spaces)."""
    return (
        bool(CAMEL_CASE.fullmatch(name))
        and any(c.islower() for c in name)
        and not keyword.iskeyword(name)  # None, True, False
    )


def is_upper_case(name: str) -> bool:
    """A Pypestream global variable: capital letters, digits and underscores."""
    return bool(UPPER_CASE.fullmatch(name))


def is_package_name(name: str) -> bool:
    return (
        bool(PACKAGE.fullmatch(name))
        and not keyword.iskeyword(name)
        and name not in RESERVED_PACKAGES
    )


def to_camel_case(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name + "Node" if keyword.iskeyword(name) else name


def to_upper_case(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", snake_case(text)).strip("_").upper()


def snake_case(text: str) -> str:
    """'AcmeClaims' -> 'acme_claims', 'HTTPNode2' -> 'http_node2', 'Acme Co' -> 'acme_co'."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def package_name(solution: str) -> str:
    """The Python package a solution's code lives in; always a valid, non-keyword identifier."""
    name = snake_case(solution) or "solution"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"solution_{name}"
    return name


def placeholders(text: str) -> list[str]:
    """The names inside {…} in a string, in order, as written."""
    return PLACEHOLDER.findall(text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''. Case-insensitive first, then fuzzy."""
    choices = list(choices)
    for choice in choices:
        if choice.lower() == word.lower() and choice != word:
            return f" (did you mean {choice!r}?)"
    close = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1, cutoff=0.75)
    if close:
        original = next(c for c in choices if c.lower() == close[0])
        return f" (did you mean {original!r}?)"
    return ""


def one_of(choices: Iterable[str]) -> str:
    """'a, b or c' for messages."""
    items = [str(c) for c in choices]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
