"""The questions of an interactive `new`, each answer checked as it is typed.

The questions and their wording are the template's (cookiecutter.json's `__prompts__`), their
defaults the spec's own values. A wrong answer is explained and asked again; the mapping
is asked only when --mapping was not given, and a spec with errors is shown with every problem
and asked again, so it can be fixed in an editor and the same path confirmed.
Prompts go to stderr: stdout carries only the result.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..errors import Problem, SpecError
from ..mapping import answers, source
from ..mapping.naming import customer_problem, solution_problem
from ..mapping.reader import load_solution
from .output import print_problems
from .template import template_dir


@dataclass
class Answered:
    mapping: Path
    answers: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)  # already shown


def ask(mapping: Path | None, bundled: Path) -> Answered:
    from rich.console import Console
    from rich.prompt import Prompt
    from rich.text import Text

    console = Console(stderr=True, highlight=False)
    prompts = _prompts()
    typed_at_a_terminal = sys.stdin.isatty()

    class Question(Prompt):
        shown_default = ""

        def render_default(self, default) -> Text:
            return Text(f"({self.shown_default or default})", "prompt.default")

    def question(key: str, default: str, check, shown_default: str = "") -> str:
        """The answer (Enter takes the default), asked until check finds nothing wrong."""
        prompt = Question(Text(prompts.get(key, key)), console=console)
        prompt.shown_default = shown_default
        while True:
            try:
                value = prompt(default=default) if default else prompt()
            finally:
                if not typed_at_a_terminal:  # nothing echoed the answer's newline
                    console.line()
            problem = check(value)
            if not problem:
                return value
            console.print(Text(problem, style="prompt.invalid"), soft_wrap=True)

    if mapping is None:
        loaded: dict[str, tuple[Path, tuple[str, list[Problem]]]] = {}

        def readable(value: str) -> str:
            path = Path(value).expanduser()
            try:
                loaded["answer"] = path, _validated(path)
            except SpecError as err:
                print_problems(err.problems)  # unwrapped, whatever the terminal's width
                return "fix the spec and press Enter, or give another file"
            return ""

        question("mapping", str(bundled), readable, "the bundled partner example")
        mapping, spec = loaded["answer"]
    else:
        spec = _validated(mapping)
    text, warnings = spec
    print_problems(warnings)
    defaults = answers.defaults(source.load(str(mapping), text))
    answered: dict[str, str] = {}
    for key in answers.QUESTIONS:
        solution = answered.get("solution", defaults.get("solution", ""))
        answered[key] = question(key, defaults[key], partial(_wrong, key, solution=solution))
    return Answered(mapping, answered, warnings)


def _validated(path: Path) -> tuple[str, list[Problem]]:
    """The spec's text and warnings; SpecError naming every problem."""
    text = source.read(path)
    _, warnings = load_solution(str(path), text)
    return text, warnings


def _wrong(question: str, value: str, solution: str = "") -> str:
    """Why an answer cannot be used, or ''; a customer or solution name the spec's reader would
    warn about is asked again too, with the same rule."""
    asked = f"answer '{question}'"
    problems = [p for p in answers.check({question: value}) if p.location.file == asked]
    if problems:
        return problems[0].message
    if question == "customer":
        return customer_problem(value.strip(), solution, "answer {}") or ""
    if question == "solution":
        return solution_problem(value.strip()) or ""
    return ""


def _prompts() -> dict[str, str]:
    with open(template_dir() / "cookiecutter.json", encoding="utf-8") as handle:
        prompts = json.load(handle).get("__prompts__", {})
    return {key: str(text) for key, text in prompts.items()}
