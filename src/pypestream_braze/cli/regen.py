"""`regen SOLUTION_DIR...`: bring solutions up to date with their mappings, keeping hand edits.

Like black and ruff, `--diff` and `--check` only look: with them, or with `--dry-run`, nothing
is written. Otherwise the work is done first and reported after, so a reader that stops
listening early (`regen | head -1`) changes nothing about what is written or the exit code.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ..errors import UsageError
from ..solution.outcome import exit_code
from . import show
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
        "--prune", action="store_true", help="delete files of removed nodes that were never edited"
    )
    parser.add_argument(
        "--conventions",
        type=Path,
        metavar="FILE",
        help="the team's conventions file; the solution's mapping.yaml then names it",
    )


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
        prune=args.prune,
        diff=args.diff,
    )
    if len(args.solutions) > 1 or fleet.holds_many(args.solutions):
        if args.mapping:
            raise UsageError(
                "--mapping names the spec of one solution; give one SOLUTION_DIR with it"
            )
        outcomes = fleet.each(work, fleet.find(args.solutions))
        show.many(outcomes, "regen")
        return exit_code(outcomes)
    (root,) = args.solutions
    with progress(f"regenerating {root}"):
        outcome = work(root, mapping=args.mapping)
    show.detail(outcome, "regen")
    return outcome.exit_code
