"""Names as Pypestream and Python need them: CamelCase commands, UPPER_CASE variables, packages."""

from __future__ import annotations

import builtins
import difflib
import keyword
import re
import sys
from collections.abc import Iterable

from ..model import customer_id

CAMEL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
UPPER_CASE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Folders a solution already has: its package must be another one.
RESERVED_PACKAGES = frozenset({"tests"})

# Lengths that keep every path in a solution portable. The longest a solution holds, counted
# from the folder it is in, is `<package>/.pypestream-braze/baseline/<package>/actions/<Node>.py`
# (140 characters at these limits), and 180 while a regeneration stages it; Windows allows 260
# for a whole path, and the folder the solution is in needs the rest.
MAX_NAME = 40  # a node or solution name
MAX_PACKAGE = 30
# Device names Windows reserves in every folder, whatever the case and extension.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {
        f"{port}{n}"
        for port in ("com", "lpt")
        for n in (*"0123456789", "\u00b9", "\u00b2", "\u00b3")
    }
)
# Top-level modules a solution imports, itself or through requests, pytest and the tools run in
# its folder: a package of the same name in the solution's root would be imported instead.
THIRD_PARTY_MODULES = frozenset(
    {
        "requests", "urllib3", "idna", "certifi", "charset_normalizer", "chardet",
        "pytest", "_pytest", "pluggy", "iniconfig", "packaging", "py", "exceptiongroup",
        "tomli", "pygments", "colorama", "pip", "setuptools", "pkg_resources",
        "_distutils_hack", "sitecustomize", "usercustomize", "black", "ruff",
    }
)  # fmt: skip
# Names a generated node's module imports (tests/mapping/test_hostile_spec.py keeps this in
# step with the templates). A node class of the same name would replace one of them.
NODE_MODULE_NAMES = frozenset(
    {
        "app", "contextlib", "datetime", "functools", "json", "math", "os", "random", "re",
        "socket", "sys", "threading", "time", "timedelta", "timezone", "types", "unicodedata",
        "urllib",
    }
)  # fmt: skip


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


def node_name_problem(name: str) -> str | None:
    """Why a CamelCase node name cannot be a node's class and file name, or None."""
    if len(name) > MAX_NAME:
        return _too_long(MAX_NAME)
    if name.lower() in WINDOWS_DEVICES:
        return (
            f"is a device name Windows reserves ({name}.py could not be created there); "
            f"choose another, such as {'Braze' + name!r}"
        )
    if name in NODE_MODULE_NAMES or name in _LATER_BUILTINS or hasattr(builtins, name):
        what = (
            "a name the node's module imports"
            if name in NODE_MODULE_NAMES
            else "one of Python's built-in names"
        )
        return (
            f"is {what}; the node's class would hide it in its own module: choose another, "
            f"such as {'Braze' + name!r}"
        )
    return None


def package_problem(name: str) -> str | None:
    """Why a well-formed package name cannot be a solution's package, or None."""
    if len(name) > MAX_PACKAGE:
        return _too_long(MAX_PACKAGE)
    if name in RESERVED_PACKAGES:
        return "is the solution's test folder"
    if name.lower() in WINDOWS_DEVICES:
        return "is a device name Windows reserves (the folder could not be created there)"
    if name.startswith("__") and name.endswith("__"):
        return "is a name Python reserves for itself (such as __main__ or __pycache__)"
    if name in sys.stdlib_module_names or name in THIRD_PARTY_MODULES:
        whose = (
            "Python's standard library"
            if name in sys.stdlib_module_names
            else "requests, pytest or the tools the solution uses"
        )
        return (
            f"is the name of a module of {whose}; a package of that name in the solution's "
            "folder would be imported in its place"
        )
    return None


# Builtins of Python versions newer than the one running this, which a solution may run on.
_LATER_BUILTINS = frozenset({"PythonFinalizationError"})


def _too_long(limit: int) -> str:
    return (
        f"is longer than the {limit} characters allowed, so that every path in the solution "
        "stays short enough for Windows and archive tools"
    )


def to_camel_case(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name + "Node" if keyword.iskeyword(name) else name


def camel_case_example(text: str, fallback: str) -> str:
    """A CamelCase name made from text for a message's "such as", else fallback: never one
    that is itself wrong ('B' has no lower-case letter, so it is no example for 'B')."""
    name = to_camel_case(text)
    return name if is_camel_case(name) and name != text else fallback


def to_upper_case(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", snake_case(text)).strip("_").upper()


def snake_case(text: str) -> str:
    """'AcmeClaims' -> 'acme_claims', 'HTTPNode2' -> 'http_node2', 'Acme Co' -> 'acme_co'."""
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", text)  # linear, unlike ([A-Z]+)([A-Z][a-z])
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
    meant = closest(word, choices)
    return f" (did you mean {meant!r}?)" if meant is not None else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice word is a near miss of, if any (not word itself)."""
    choices = list(choices)
    for choice in choices:
        if choice.lower() == word.lower() and choice != word:
            return choice
    close = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1, cutoff=0.75)
    if close:
        return next(c for c in choices if c.lower() == close[0])
    return None


def shown(text: str, limit: int = 40) -> str:
    """text as a message quotes it: repr, cut to about limit characters."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"


def one_of(choices: Iterable[str]) -> str:
    """'a, b or c' for messages."""
    items = [str(c) for c in choices]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def solution_problem(solution: str) -> str | None:
    """Why solution cannot name a Design Studio solution, or None."""
    if not is_camel_case(solution):
        example = shown(camel_case_example(solution, "AcmeClaims"))
        return (
            f"solution {shown(solution)} must be CamelCase letters and digits, such as "
            f"{example}: it names the Design Studio solution"
        )
    if len(solution) > MAX_NAME:
        return f"solution {shown(solution, 20)} is longer than the {MAX_NAME} characters allowed"
    return None


def customer_problem(customer: str, solution: str, fix: str = "write customer: {}") -> str | None:
    """Why customer is not a Pypestream customer id, or None; fix says how to write the id."""
    if customer_id(customer) == customer:
        return None
    return (
        f"customer {shown(customer)} is not a Pypestream customer id (letters and digits only): "
        f"Pypestream names the solution {customer_id(customer) + '.' + solution!r}; "
        f"{fix.format(customer_id(customer) or 'Acme')} (it becomes app.NAME)"
    )
