"""Outcomes in the form a reader asks for: `--output-format text|json|github`.

    printer(form, command, configuration=None) -> Printer
        .one(outcome)       a path's outcome (text: printed at once, in detail)
        .many(outcomes)     several paths' outcomes (text: a line each and a summary)
        .finish(code)       json: the one document; github: the workflow commands
    findings(outcome, command) -> [Finding]     every problem of one path, each with its code

text is show.py's, unchanged. json is one document on stdout with every finding and every
path's outcome; github is one workflow command per finding (`::error file=...,line=...::`),
which GitHub Actions shows on the line of the pull request, then a plain line per path. The
exit code is never decided here: it is the outcomes' (solution/outcome.py), whatever the form.

A finding's code says what kind of problem it is. Problems are created in hundreds of places
that carry no code, so the code is derived from what every problem of a kind has in common (one
place makes each of these forms), and tests pin each code to a real case:

    yaml            the file is not YAML ("this is not valid YAML: ...")
    unknown-key     a key the spec, a body or the conventions do not know ("unknown key ...")
    convention      a break of the team's conventions ("... (team convention KEY, FILE:L:C)")
    flow            a problem with the Design Studio export, or the spec against it (--flow)
    recovery        an interrupted change finished or undone (in .pypestream-braze/)
    spec            any other problem in a spec or a conventions file
    strict          warnings that fail the path because --strict was given
    out-of-date     a file regen would change
    conflict        conflict markers, written or left in a file
    drift           a hand-edited node that no longer builds the request its mapping describes
    failed          a refusal: not a solution, locked, unreadable, a link ...
    orphaned        (note) a file no node generates any more, kept
    generation      (note) how the solution was generated, when it differs from now
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Level, Problem
from ..solution.outcome import Outcome, Status
from ..solution.regen import PENDING
from ..solution.state import STATE_DIR
from . import show
from .output import FORMATS, PROGRAM, display, say

if TYPE_CHECKING:
    from .config import Configuration

JSON_FORMAT = 1  # the document's "format": raised when a key changes meaning or goes away

_CONVENTION = re.compile(r"\(team convention [\w.]+, ")
_FLOW = re.compile(r"\bthe flow\b")  # every message of a --flow check names it so


def add_argument(command) -> None:
    """--output-format on a command's parser (None when not given: pyproject.toml may say)."""
    command.add_argument(
        "--output-format",
        choices=FORMATS,
        default=None,
        help="text for people (the default), json for programs, github for workflow "
        "annotations on the spec's lines",
    )


@dataclass(frozen=True)
class Finding:
    """One problem of one path, as json and github give it."""

    path: str  # as every line shows it (relative to the current folder), or the program
    line: int | None
    column: int | None
    level: str  # error, warning or note
    code: str
    message: str

    def as_json(self, outcome: str) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "outcome": outcome,
        }


def code(problem: Problem) -> str:
    """The kind of problem (see the module's docstring)."""
    message = problem.message
    if message.startswith("this is not valid YAML"):
        return "yaml"
    if message.startswith("unknown key "):
        return "unknown-key"
    if _CONVENTION.search(message):
        return "convention"
    if problem.location.file.lower().endswith(".csv") or _FLOW.search(message):
        return "flow"
    if STATE_DIR in Path(problem.location.file).parts:
        return "recovery"
    return "spec"


def findings(outcome: Outcome, command: str) -> list[Finding]:
    """Every problem of one path: its spec's, its files', its drift, why it failed."""
    root = outcome.path or Path()
    # What a check finds a regen would change is out of date, whatever else it found (text
    # shows the same); a refused solution's files were not looked at to the end.
    checked = command == "check" and outcome.status not in (Status.BAD_SPEC, Status.FAILED)
    found = [_problem(problem) for problem in outcome.problems]
    if outcome.cause is not None:  # bundle: the check that refused it
        found = [*findings(outcome.cause, "check"), *found]
    for note in outcome.notes:
        found.append(Finding(display(root), None, None, "note", "generation", note))
    for file in outcome.files:
        where = display(root / file.path)
        # A check's "conflict" is one a regen would make: the solution is out of date.
        if file.action == "unresolved" or (file.action == "conflict" and command == "regen"):
            found.append(Finding(where, None, None, "error", "conflict", _said(file.note)))
        elif file.action == "orphaned":
            found.append(Finding(where, None, None, "note", "orphaned", _said(file.note)))
        elif file.action in PENDING and (checked or outcome.status is Status.WOULD_CHANGE):
            message = f"out of date: {file.note or f'regen would change it ({file.action})'}"
            found.append(Finding(where, None, None, "error", "out-of-date", message))
    for drift in outcome.drift:
        found.append(
            Finding(display(root / drift.path), None, None, "error", "drift", drift.message)
        )
    if outcome.status is Status.WOULD_CHANGE and not any(f.code == "out-of-date" for f in found):
        message = f"out of date: {outcome.message or 'generation state to refresh'}"
        found.append(Finding(display(root), None, None, "error", "out-of-date", message))
    if outcome.message and outcome.status in (Status.BAD_SPEC, Status.FAILED):
        about = outcome.where if outcome.where is not None else outcome.path
        kind = "failed" if outcome.status is Status.FAILED else "spec"
        if outcome.status is Status.BAD_SPEC and outcome.problems and not outcome.errors:
            kind = "strict"
        found.append(Finding(display(about), None, None, "error", kind, outcome.message))
    return found


def printer(form: str | None, command: str, configuration: Configuration | None = None) -> Printer:
    return Printer(form or "text", command, configuration)


class Printer:
    """Prints outcomes in one form; text as they come, json and github once all are in."""

    def __init__(self, form: str, command: str, configuration: Configuration | None):
        self.form = form
        self.command = command
        self.configuration = configuration
        self.outcomes: list[Outcome] = []

    def one(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if self.form == "text":
            show.detail(outcome, self.command)

    def many(self, outcomes: Sequence[Outcome]) -> None:
        self.outcomes.extend(outcomes)
        if self.form == "text":
            show.many(list(outcomes), self.command)

    def finish(self, code: int) -> None:
        """Print what is left to print; code is the command's exit code (the outcomes')."""
        if self.form == "json":
            say(json.dumps(self.document(code), indent=2, ensure_ascii=False), raw=True)
        elif self.form == "github":
            for outcome in self.outcomes:
                for finding in findings(outcome, self.command):
                    say(workflow_command(finding))
            for outcome in self.outcomes:
                say(f"{display(outcome.path)}: {show.line(outcome)}")

    def document(self, code: int) -> dict[str, object]:
        from .. import __version__

        problems = [
            finding.as_json(display(outcome.path))
            for outcome in self.outcomes
            for finding in findings(outcome, self.command)
        ]
        return {
            "format": JSON_FORMAT,
            "tool": PROGRAM,
            "version": __version__,
            "command": self.command,
            "exit_code": code,
            "configuration": display(self.configuration.path) if self.configuration else None,
            "problems": problems,
            "outcomes": [_outcome(outcome) for outcome in self.outcomes],
        }


def _outcome(outcome: Outcome) -> dict[str, object]:
    root = outcome.path or Path()
    return {
        "path": display(outcome.path),
        "status": _token(outcome.status),
        "exit_code": outcome.exit_code,
        "verdict": show.line(outcome),  # as text says it
        "summary": outcome.summary,
        "message": outcome.message,
        "wrote": outcome.wrote,
        "notes": list(outcome.notes),
        "files": [
            {"path": display(root / f.path), "action": f.action, "note": f.note, "diff": f.diff}
            for f in outcome.files
        ],
        "drift": [{"path": display(root / d.path), "message": d.message} for d in outcome.drift],
        "errors": outcome.errors,
        "warnings": sum(1 for p in outcome.problems if p.level is Level.WARNING),
    }


def _token(status: Status) -> str:
    """'out of date' -> 'out-of-date': a status as a program compares it."""
    return status.value.replace(" ", "-")


def _problem(problem: Problem) -> Finding:
    where = problem.location
    return Finding(
        display(where.file),
        where.line or None,
        where.column or None,
        problem.level.value,
        code(problem),
        problem.message,
    )


def _said(note: str) -> str:
    return note or "see the file"


# -- GitHub Actions workflow commands ---------------------------------------------------------
# https://docs.github.com/actions/reference/workflow-commands-for-github-actions: a message
# escapes %, CR and LF; a property value also ':' and ','.

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def workflow_command(finding: Finding) -> str:
    properties: list[tuple[str, object]] = []
    if finding.path != PROGRAM:
        properties.append(("file", finding.path))
    if finding.line:
        properties.append(("line", finding.line))
        if finding.column:
            properties.append(("col", finding.column))
    properties.append(("title", f"{PROGRAM} ({finding.code})"))
    listed = ",".join(f"{name}={_property(str(value))}" for name, value in properties)
    return f"::{_COMMANDS[finding.level]} {listed}::{_data(finding.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
