"""`bundle SOLUTION_DIR --env sandbox|live`: what to upload to Pypestream, in one folder or zip."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError
from ..model import ENVIRONMENTS, environment_name
from . import show
from .output import display, print_problems, say

HELP = "write what Pypestream takes: the scripts, app.py and the Design Studio CSV"


def arguments(parser) -> None:
    parser.add_argument("solution", type=Path, metavar="SOLUTION_DIR")
    parser.add_argument(
        "--env",
        required=True,
        type=environment_name,  # "prod" is "live", as app.py and run.py take it
        choices=ENVIRONMENTS,
        help="the environment to deploy to (prod is live)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="a folder, or a file ending in .zip (default: the solution's bundles/ENV/, which "
        "git ignores)",
    )
    parser.add_argument(
        "--embed-key",
        action="store_true",
        help="write the environment's API key (from its variable here) into the bundled app.py",
    )
    parser.add_argument(
        "--flow",
        type=Path,
        metavar="EXPORT.csv",
        help="the flow exported from Design Studio: check the solution against it and bundle "
        "it with the solution's rows merged in",
    )


def run(args) -> int:
    from ..solution.bundle import bundle

    key = _api_key if args.embed_key else None
    outcome = bundle(args.solution, args.env, args.out, key, args.flow)
    if not outcome.passed:
        show.detail(outcome, "bundle")
        return outcome.exit_code
    print_problems(outcome.problems)
    for file in outcome.files:
        say(f"bundled {file.path}")
    for note in outcome.notes:
        say(note)
    say(f"wrote {display(outcome.summary)}")
    if args.embed_key:
        say(
            f"the Braze API key for {args.env!r} is written into app.py of "
            f"{display(outcome.summary)} (readable by you only): upload it, then delete the "
            "bundle; never commit or share it"
        )
    return outcome.exit_code


def _api_key(variable: str) -> str:
    key = os.environ.get(variable, "").strip()
    if not key:
        raise UsageError(
            f"--embed-key takes the key from {variable}, which is not set here: set it in this "
            "shell (it is not echoed), then bundle again"
        )
    if any(character.isspace() or not character.isprintable() for character in key):
        raise UsageError(
            f"the key in {variable} has spaces, line breaks or control characters; set it again"
        )
    return key
