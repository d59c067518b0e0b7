"""Cookiecutter answers written back into a mapping's text, keeping its comments and layout.

The answers to `customer`, `solution` and the instances override the spec, and the solution's
own mapping.yaml must say what was generated, or the next regeneration would undo the answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..braze.instances import INSTANCES
from ..errors import Level, Location, Problem, SpecError
from . import source
from .naming import did_you_mean, is_camel_case, one_of
from .report import key_text
from .source import MappingNode, ScalarNode

QUESTIONS = ("customer", "solution", "sandbox_instance", "live_instance")


def defaults(src: source.Source) -> dict[str, str]:
    """The spec's own answers to the questions, and its package (empty where it has none)."""
    top = src.root if isinstance(src.root, MappingNode) else MappingNode("", [])
    result = {q: "" for q in (*QUESTIONS, "package")}
    for key in ("customer", "solution", "package"):
        node = _child(top, key)
        if isinstance(node, ScalarNode):
            result[key] = node.value
    for env in ("sandbox", "live"):
        target = _env_target(top, env)
        if target is not None and isinstance(target[1], ScalarNode):
            result[f"{env}_instance"] = target[1].value
    return result


def check(answers: Mapping[str, str]) -> list[Problem]:
    """Problems with the answers themselves, named by question."""
    problems = []

    def wrong(question: str, message: str) -> None:
        problems.append(Problem(Location(f"answer '{question}'"), Level.ERROR, message))

    if "customer" in answers and not str(answers["customer"]).strip():
        wrong("customer", "the customer name must not be empty")
    solution = str(answers.get("solution", "AcmeClaims"))
    if not is_camel_case(solution):
        wrong("solution", f"{solution!r} must be CamelCase letters and digits, such as AcmeClaims")
    for env in ("sandbox", "live"):
        question = f"{env}_instance"
        if question not in answers:
            continue
        answer = str(answers[question]).strip()
        if not answer:  # keep what the spec says, or inherits from its team's conventions
            continue
        if answer.upper() in INSTANCES or answer.startswith(("http://", "https://")):
            continue
        wrong(
            question,
            f"{answer!r} is not a Braze instance{did_you_mean(answer.upper(), INSTANCES)}; "
            f"allowed: {one_of(INSTANCES)}, or an http(s) URL",
        )
    return problems


def apply(text: str, path: str, answers: Mapping[str, str]) -> str:
    """text with the answered values in place of the spec's; unchanged when they agree."""
    problems = check(answers)
    if problems:
        raise SpecError(problems)
    src = source.load(path, text)
    if not isinstance(src.root, MappingNode):
        return text
    edits: list[tuple[int, int, str]] = []
    for key in ("customer", "solution"):
        node = _child(src.root, key)
        wanted = str(answers.get(key, "")).strip()
        if wanted and isinstance(node, ScalarNode) and node.value != wanted:
            edits.append((node.start_mark.index, node.end_mark.index, _quoted(wanted)))
    for env in ("sandbox", "live"):
        wanted = str(answers.get(f"{env}_instance", "")).strip()
        target = _env_target(src.root, env)
        if wanted and target is None:
            message = (
                f"the spec gives no instance or url for {env} (it comes from the team's "
                f"conventions); to use {wanted!r}, write it under environments.{env} in the spec"
            )
            raise SpecError([Problem(Location(f"answer '{env}_instance'"), Level.ERROR, message)])
        if not wanted or target is None or target[1].value == wanted:
            continue
        key_node, value_node = target
        kind = "url" if wanted.startswith(("http://", "https://")) else "instance"
        replacement = f"{kind}: {_quoted(wanted if kind == 'url' else wanted.upper())}"
        edits.append((key_node.start_mark.index, value_node.end_mark.index, replacement))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _child(node: MappingNode, key: str):
    for k, v in node.value:
        if key_text(k) == key:
            return v
    return None


def _env_target(top: MappingNode, env: str):
    environments = _child(top, "environments")
    env_node = _child(environments, env) if isinstance(environments, MappingNode) else None
    if not isinstance(env_node, MappingNode):
        return None
    for k, v in env_node.value:
        if key_text(k) in ("instance", "url") and isinstance(v, ScalarNode):
            return k, v
    return None


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)
