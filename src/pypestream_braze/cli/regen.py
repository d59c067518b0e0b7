"""`regen SOLUTION_DIR...`: bring solutions up to date with their mappings, keeping hand edits.

Like black and ruff, `--diff` and `--check` only look: with them, or with `--dry-run`, nothing
is written. Otherwise the work is done first and reported after, so a reader that stops
listening early (`regen | head -1`) changes nothing about what is written or the exit code.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from ..errors import UsageError
from ..solution.outcome import exit_code
from . import config, formats
from .progress import progress

HELP = "update solutions after their mapping changed, keeping hand edits"


def arguments(parser) -> None:
    parser.add_argument(
        "solutions",
        type=Path,
        nargs="+",
        metavar="SOLUTION_DIR",
        help="a solution, several, or folders holding solutions (regenerated in parallel)",
    )
    parser.add_argument(
        "--mapping", type=Path, help="the spec (default: SOLUTION_DIR/mapping.yaml)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    parser.add_argument(
        "--diff", action="store_true", help="show a unified diff of every change; write nothing"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )
    parser.add_argument(
        "--prune",
        action=argparse.BooleanOptionalAction,
        help="delete files of removed nodes that were never edited",
    )
    parser.add_argument(
        "--conventions",
        type=Path,
        metavar="FILE",
        help="the team's conventions file; the solution's mapping.yaml then names it",
    )
    parser.add_argument(
        "--changed",
        action="store_true",
        help="the paths are changed files (as pre-commit passes them): regenerate the solutions "
        "holding them, and leave the other files alone",
    )
    formats.add_argument(parser)
    config.add_argument(parser)


def run(args) -> int:
    """The worst outcome: 0 done, 1 a conflict (or, with --check, a change to make), 2 errors.

    Several solutions, or a folder holding some, are regenerated in parallel, one line each.
    """
    from ..solution import fleet
    from ..solution.regenerate import regenerate

    work = partial(
        regenerate,
        conventions=args.conventions,
        preview=args.dry_run or args.diff,  # like black and ruff: these never write
        check=args.check,
        prune=bool(args.prune),
        diff=args.diff,
    )
    printed = formats.printer(args.output_format, "regen", args.configuration)
    solutions = args.solutions
    if args.changed:  # files, as pre-commit passes them: the solutions holding them
        from ..solution.changed import targets

        solutions = targets(args.solutions, specs=False)
        if not solutions:
            printed.finish(0)
            return 0
    if len(solutions) > 1 or fleet.holds_many(solutions):
        if args.mapping:
            raise UsageError(
                "--mapping names the spec of one solution; give one SOLUTION_DIR with it"
            )
        outcomes = fleet.each(work, fleet.find(solutions))
        printed.many(outcomes)
        printed.finish(exit_code(outcomes))
        return exit_code(outcomes)
    (root,) = solutions
    with progress(f"regenerating {root}"):
        outcome = work(root, mapping=args.mapping)
    printed.one(outcome)
    printed.finish(outcome.exit_code)
    return outcome.exit_code
