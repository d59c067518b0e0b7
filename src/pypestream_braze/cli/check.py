"""`check FILE...` validates specs; `check SOLUTION_DIR...` tells whether solutions are up to date.

Every finding names its file: problems in a spec on stderr (`file:line:col: level: message`),
what a solution check finds on stdout (`path: finding: detail`), and one closing line per
path that says what was checked. Nothing is written. The verdict is solution/check.py's, the
same that bundle asks for.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from ..errors import UsageError
from ..solution.outcome import exit_code
from . import config, formats
from .progress import progress

HELP = "validate mapping specs (FILE), or tell whether solutions (DIR) are up to date"


def arguments(parser) -> None:
    parser.add_argument(
        "paths",
        type=Path,
        nargs="+",
        metavar="FILE|SOLUTION_DIR",
        help="a spec, or solutions: several, or folders holding them (checked in parallel)",
    )
    parser.add_argument(
        "--strict", action=argparse.BooleanOptionalAction, help="count warnings as errors"
    )
    parser.add_argument(
        "--conventions", type=Path, metavar="FILE", help="the team's conventions file to apply"
    )
    parser.add_argument(
        "--flow",
        type=Path,
        metavar="EXPORT.csv",
        help="the flow exported from Design Studio: check route targets, node numbers and "
        "variables against it",
    )
    parser.add_argument(
        "--changed",
        action="store_true",
        help="the paths are changed files (as pre-commit passes them): check the solution each "
        "belongs to and each spec outside solutions, and leave the other files alone",
    )
    formats.add_argument(parser)
    config.add_argument(parser)


def run(args) -> int:
    """The worst outcome of all paths: 0 fine, 1 a solution needs a regen or a look, 2 errors.

    Several solutions, or a folder holding some, are checked in parallel, one line each.
    """
    from ..solution import fleet
    from ..solution.check import check

    printed = formats.printer(args.output_format, "check", args.configuration)
    paths = args.paths
    if args.changed:  # files, as pre-commit passes them: their solutions, and the specs
        from ..solution.changed import targets

        paths = targets(args.paths)
        if not paths:
            printed.finish(0)
            return 0
    many = fleet.holds_many(paths)
    if many and args.flow is not None:
        raise UsageError("--flow checks one spec or solution at a time against the export")
    flow = _read_flow(args.flow)
    work = partial(check, conventions=args.conventions, strict=bool(args.strict), flow=flow)
    if many:
        outcomes = fleet.each(work, fleet.find(paths))
        printed.many(outcomes)
        printed.finish(exit_code(outcomes))
        return exit_code(outcomes)
    outcomes = []
    with progress("checking", total=len(paths) if len(paths) > 1 else None) as shown:
        for path in paths:
            shown.describe(f"checking {path}")
            outcome = work(path)
            printed.one(outcome)
            outcomes.append(outcome)
            shown.advance()
    printed.finish(exit_code(outcomes))
    return exit_code(outcomes)


def _read_flow(path: Path | None):
    """The Design Studio export of --flow, read once for every path checked against it."""
    if path is None:
        return None
    from ..solution import flow

    return flow.read(path)
