"""`check FILE` validates a spec; `check SOLUTION_DIR` tells whether a solution is up to date."""

from __future__ import annotations

from pathlib import Path

from ..errors import Level, Location, Problem, SpecError
from .output import print_problems


def run(args) -> int:
    """Exit 0 when the spec has no errors (warnings are printed), 2 on any error.

    With --strict a warning counts as an error. Nothing is written.
    """
    path: Path = args.path
    if path.is_dir():
        return _check_solution_folder(path, strict=args.strict)
    from ..mapping.reader import load_solution

    try:
        _, problems = load_solution(path)
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


def _check_solution_folder(path: Path, strict: bool) -> int:
    """Exit 0 when a regen would change nothing, 1 otherwise; hand edits are named, not judged."""
    from ..solution.regen import check_solution

    result = check_solution(path.resolve())
    print_problems(result.notes)  # an interrupted command finished or undone first
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
    if result.up_to_date:
        print("up to date")
        return 0
    if result.would_change or result.state_missing:
        print(f"out of date: run 'pypestream-braze regen {path}'")
    if result.unresolved:
        print("resolve the conflict markers by hand, then check again")
    return 1
