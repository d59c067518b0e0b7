"""`check` and `regen` over several solutions: one line per solution, a summary, the worst exit.

    solutions/acme_claims: up to date
    solutions/globex: would change 3 files (2 updated, 1 merged); generated under an older ...
    solutions/initech: bad spec: 1 error
    3 solutions: 1 up to date, 1 would change, 1 bad spec

Problems (a bad spec's, located) go to stderr as `file:line:col: level: message`.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..errors import UsageError, printable
from ..solution import fleet
from ..solution.fleet import Outcome, Status
from .output import print_problems


def wanted(paths: list[Path]) -> bool:
    """Whether the paths ask for many solutions: several of them, or a folder holding some.

    Spec files alone are checked one after the other, each with its own report.
    """
    if len(paths) > 1:
        return any(path.is_dir() for path in paths)
    path = paths[0]
    return path.is_dir() and not fleet.is_solution(path) and bool(fleet.find(paths))


def check(args) -> int:
    roots = _roots(args.paths)
    return report(fleet.check(roots, args.conventions, args.strict), "check")


def regen(args) -> int:
    if args.mapping:
        raise UsageError("--mapping names the spec of one solution; give one SOLUTION_DIR with it")
    roots = _roots(args.solutions)
    preview = args.dry_run or args.diff or args.check  # like black and ruff: these never write
    outcomes = fleet.regen(roots, args.conventions, preview, args.prune, args.diff)
    return report(outcomes, "regen --dry-run" if preview else "regen")


def report(outcomes: list[Outcome], command: str) -> int:
    for outcome in outcomes:
        print(printable(f"{outcome.root}: {describe(outcome)}"))
        if outcome.diff:
            print(outcome.diff, end="")
        print_problems(outcome.problems)
    counts = Counter(outcome.status for outcome in outcomes)
    summary = ", ".join(
        f"{counts[status]} {'valid' if status is Status.VALID else status.value}"
        for status in Status
        if counts[status]
    )
    print(f"{_what(outcomes)}: {summary}")
    if counts[Status.WOULD_CHANGE] and command == "check":
        print("run 'pypestream-braze regen' on the solutions that would change", file=sys.stderr)
    if counts[Status.CONFLICT]:
        print("resolve the marked lines by hand in the solutions with conflicts", file=sys.stderr)
    return max((outcome.exit_code for outcome in outcomes), default=2)


def _what(outcomes: list[Outcome]) -> str:
    """'3 solutions', '2 specs' or '2 solutions and 1 spec'."""
    specs = sum(1 for outcome in outcomes if outcome.root.is_file())
    solutions = len(outcomes) - specs
    parts = [
        f"{n} {noun}{'s' * (n != 1)}"
        for n, noun in ((solutions, "solution"), (specs, "spec"))
        if n or not outcomes
    ]
    return " and ".join(parts)


def describe(outcome: Outcome) -> str:
    files = f"{outcome.files} file{'s' * (outcome.files != 1)}"
    actions = ", ".join(f"{n} {action}" for action, n in outcome.actions)
    detail = {
        Status.VALID: _valid(outcome),
        Status.UP_TO_DATE: "up to date",
        Status.UPDATED: f"updated {files}" if outcome.files else "generation state refreshed",
        Status.WOULD_CHANGE: f"would change {files}" if outcome.files else "no generation state",
        Status.CONFLICT: f"conflict: markers in {files} to resolve by hand",
        Status.BAD_SPEC: _bad_spec(outcome),
        Status.FAILED: f"failed: {outcome.message}",
    }[outcome.status]
    if actions and outcome.status in (Status.UPDATED, Status.WOULD_CHANGE):
        detail += f" ({actions})"
    return "; ".join([detail, *outcome.notes])


def _valid(outcome: Outcome) -> str:
    warnings = len(outcome.problems)
    return "valid spec" + (f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else "")


def _bad_spec(outcome: Outcome) -> str:
    if outcome.message:
        return f"bad spec: {outcome.message}"
    errors = fleet.problem_count(outcome)
    if errors:
        return f"bad spec: {errors} error{'s' * (errors != 1)}"
    warnings = len(outcome.problems)
    return f"bad spec: {warnings} warning{'s' * (warnings != 1)} (--strict)"


def _roots(paths: list[Path]) -> list[Path]:
    roots = fleet.find(paths)
    if not roots:
        raise UsageError(f"{' '.join(map(str, paths))}: no solutions found")
    return roots
