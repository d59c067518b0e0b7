"""Mapping spec (version 1) to the model, collecting every problem with its file, line and column.

    load_solution(path) -> (Solution, warnings)    raises SpecError listing every error

This module reads the spec's top level: its version, the names of the customer, the solution
and its package, and the node numbers the generator assigns; the parts below it are read by
their own modules: `defaults` by defaults.py, `environments` by environments.py and `nodes` by
nodes.py (each node by node.py).

The reference users read is the README's "Mapping reference"; version 1 is a contract: a file valid
today keeps its meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..errors import Level, Problem, SpecError
from ..model import Node, Solution
from . import numbering, source
from .defaults import read_defaults
from .environments import read_environments, warn_unused_params
from .inherited import NOTHING, Inherited
from .naming import (
    customer_problem,
    is_package_name,
    package_name,
    package_problem,
    shown,
    solution_problem,
)
from .nodes import read_nodes
from .report import Report
from .source import Node as YamlNode

SPEC_VERSION = 1
TOP_KEYS = (
    "version",
    "customer",
    "solution",
    "package",
    "conventions",
    "environments",
    "defaults",
    "nodes",
)
REQUIRED_TOP_KEYS = ("customer", "solution", "nodes")


def load_solution(
    path: str | Path,
    text: str | None = None,
    assigned_numbers: Mapping[str, int] | None = None,
    inherited: Inherited = NOTHING,
    composed: source.Source | None = None,
) -> tuple[Solution, list[Problem]]:
    """Read a spec; return the model and its warnings, or raise SpecError with every error.

    assigned_numbers: the node numbers an earlier generation assigned to nodes whose spec gives
    none (the solution's state); they are kept while still free, see numbering.py.
    inherited: what the team's conventions give where the spec says nothing (the `conventions`
    key itself is read by mapping/load.py, which is what the commands call).
    composed: the spec's text already composed (by mapping/load.py), so it is parsed once.
    """
    src = composed if composed is not None else source.load(path, text)
    report = Report(src)
    solution = _solution(report, src.root, dict(assigned_numbers or {}), inherited)
    if report.has_errors or solution is None:
        raise SpecError(report.problems)
    warnings = sorted(report.problems, key=lambda p: p.location)
    return solution, warnings


def _solution(
    report: Report, root: YamlNode, previous: Mapping[str, int], inherited: Inherited
) -> Solution | None:
    """The solution the spec's root describes; None when it has errors (reported)."""
    top = report.mapping(root, "the spec")
    if top is None:
        return None
    keys = report.keys(top, "the spec", TOP_KEYS, REQUIRED_TOP_KEYS)
    if "version" in keys:
        version = report.integer(keys["version"][1], "version")
        if version is not None and version != SPEC_VERSION:
            report.error(
                keys["version"][1],
                f"version {version} is not supported; this generator reads version "
                f"{SPEC_VERSION}",
            )
    customer = _text(report, keys, "customer")
    solution = _text(report, keys, "solution")
    wrong_solution = solution_problem(solution) if solution is not None else None
    if wrong_solution:
        report.error(keys["solution"][1], wrong_solution)
    valid_solution = solution if not wrong_solution else None  # None: missing or wrong
    if (
        customer
        and valid_solution
        and (wrong_customer := customer_problem(customer, valid_solution))
    ):
        report.warning(keys["customer"][1], wrong_customer)
    package = package_name(solution or "")
    if "package" in keys:
        package = _text(report, keys, "package") or package
        if not is_package_name(package):
            report.error(
                keys["package"][1],
                f"package {shown(package)} must be a Python package name: lower case letters, "
                "digits and underscores, not starting with a digit, and not 'tests' (the "
                "solution's test folder)",
            )
        elif problem := package_problem(package):
            report.error(
                keys["package"][1],
                f"package {shown(package)} {problem}; choose another package name",
            )
    elif valid_solution and (problem := package_problem(package)):
        report.error(
            keys["solution"][1],
            f"solution {shown(valid_solution)} makes the package name {shown(package)}, which "
            f"{problem}; "
            "choose another solution name, or give a 'package'",
        )
    defaults = read_defaults(report, keys.get("defaults"), inherited.defaults)
    environments = read_environments(report, top, keys.get("environments"), inherited.environments)
    nodes = read_nodes(report, keys.get("nodes"), defaults, environments)
    if report.has_errors:
        return None
    warn_unused_params(report, top, environments, {p for node in nodes for p in node.params})
    nodes, assigned = _number(nodes, defaults["error_node"], previous, inherited)
    endpoints = tuple(dict.fromkeys(node.endpoint for node in nodes))
    return Solution(
        customer=customer or "",
        solution=solution or "",
        package=package,
        environments=environments,
        timeout=defaults["timeout"],
        error_node=defaults["error_node"],
        create_error_node=defaults["create_error_node"],
        nodes=tuple(nodes),
        endpoints=endpoints,
        assigned_numbers=assigned,
    )


def _number(
    nodes: list[Node], error_node: int | None, previous: Mapping[str, int], inherited: Inherited
) -> tuple[list[Node], dict]:
    """Give every node without routing.node a number, kept from earlier generations."""
    assigned = numbering.assign(
        ((node.name, node.routes.node) for node in nodes),
        targets=(t for n in nodes for t in (n.routes.success, n.routes.failure) if t is not None),
        error_targets=(t for t in [error_node, *(n.routes.error for n in nodes)] if t is not None),
        previous=_previous_numbers(nodes, previous),
        first=inherited.first_node,
        last=inherited.last_node,
    )
    numbered = [
        (
            replace(
                node,
                routes=replace(node.routes, node=assigned[node.name]),
                number_assigned=True,
            )
            if node.name in assigned
            else node
        )
        for node in nodes
    ]
    return numbered, assigned


def _previous_numbers(nodes: list[Node], previous: Mapping[str, int]) -> dict[str, int]:
    """The numbers earlier generations assigned, by name; a renamed node keeps the number
    its old name had."""
    numbers = dict(previous)
    for node in nodes:
        old = node.renamed_from
        if old is not None and old in previous:
            numbers[node.name] = previous[old]
    return numbers


def _text(report: Report, keys, name: str) -> str | None:
    if name not in keys:
        return None
    text = report.string(keys[name][1], name)
    if text is not None and not text.strip():
        report.error(keys[name][1], f"{name} must not be empty")
        return None
    if text is not None and not report.displayable(keys[name][1], text, name):
        return None
    return text.strip() if text else text


__all__ = ["SPEC_VERSION", "Level", "SpecError", "load_solution"]
