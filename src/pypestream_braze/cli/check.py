"""`check FILE` validates a spec; `check SOLUTION_DIR` tells whether a solution is up to date."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import Level, Location, Problem, SpecError
from .output import print_problems


def run(args) -> int:
    """Exit 0 when the spec has no errors (warnings are printed), 2 on any error.

    With --strict a warning counts as an error. Nothing is written.
    """
    from ..mapping.load import load_spec
    from . import fleet

    if fleet.wanted(args.path):
        return fleet.check(args)
    path: Path = args.path[0]
    if path.is_dir():
        return _check_solution_folder(path, strict=args.strict, conventions=args.conventions)
    try:
        problems = load_spec(path, conventions=args.conventions).warnings
    except SpecError as err:
        problems = err.problems
    except RecursionError:
        problems = [Problem(Location(str(path)), Level.ERROR, "the spec is nested too deeply")]
    except Exception as err:
        message = (
            f"could not check this spec ({type(err).__name__}: {err}); "
            "please report it with the file attached"
        )
        problems = [Problem(Location(str(path)), Level.ERROR, message)]
    for problem in problems:
        print(problem)
    failing = [p for p in problems if p.level is Level.ERROR or args.strict]
    return 2 if failing else 0


def _check_solution_folder(path: Path, strict: bool, conventions: Path | None = None) -> int:
    """Exit 0 when a regen would change nothing, 1 otherwise; hand edits are named, not judged.

    With --strict, warnings in its mapping (team naming conventions among them) fail it: 2.
    """
    from ..solution.fleet import notes
    from ..solution.regen import check_solution

    result = check_solution(path.resolve(), conventions)
    for note in notes(result):
        print(note)
    if result.state_missing:
        print("no generation state: run 'pypestream-braze regen' to record it")
    for change in result.would_change:
        print(f"would be {change.action.value}: {change.path}")
    for relative in result.unresolved:
        print(f"unresolved conflict markers: {relative}")
    for relative in result.edited:
        print(f"hand-edited: {relative}")
    for relative in result.orphans:
        print(f"orphaned (no longer generated): {relative}")
    if strict and result.warnings:
        print_problems(result.warnings)
        count = len(result.warnings)
        print(f"{count} warning{'s' * (count != 1)} with --strict", file=sys.stderr)
        return 2
    if result.up_to_date:
        print("up to date")
        return 0
    if result.would_change or result.state_missing:
        print(f"out of date: run 'pypestream-braze regen {path}'")
    if result.unresolved:
        print("resolve the conflict markers by hand, then check again")
    return 1
