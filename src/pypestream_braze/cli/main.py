"""The command line: the only place that chooses exit codes and turns errors into messages.

Exit codes: 0 done, 1 done but something needs a person (a conflict, an out-of-date
solution, a node that drifted from its mapping), 2 bad input (nothing was written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..solution.outcome import Outcome, Status, failure
from . import bundle, check, completion, config, formats, new, regen, routing, show
from .output import PROGRAM, PipeSafeStdout, report


def main(argv: list[str] | None = None) -> int:
    stdout = sys.stdout
    sys.stdout = PipeSafeStdout(stdout)
    try:
        return _run(argv)
    finally:
        sys.stdout.flush()
        sys.stdout = stdout


def _run(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        args.configuration = config.apply(args)  # [tool.pypestream-braze], where flags are unset
        return args.run(args)
    except EOFError:
        message = "a question got no answer (end of input); --no-input takes the spec's values"
        outcome = Outcome(None, Status.FAILED, message=message)
    except KeyboardInterrupt:
        report(None, "note", "interrupted" + show.nothing_written(args.command))
        return 130
    except Exception as err:  # the one table from errors to outcomes, shared by every engine
        outcome = failure(None, err)
    shown = formats.printer(getattr(args, "output_format", None), args.command)
    shown.one(outcome)
    shown.finish(outcome.exit_code)
    return outcome.exit_code


class _Version(argparse.Action):
    """--version, reading the installed version only when asked (it costs an import)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__

        print(f"{PROGRAM} {__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Generate Pypestream solutions that talk to Braze, from a YAML mapping spec.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new_command = commands.add_parser("new", help="create a solution from a mapping spec")
    new_command.add_argument(
        "--mapping", type=Path, help="the spec (default: the bundled partner example)"
    )
    new_command.add_argument(
        "--output-dir", type=Path, default=Path("."), help="the folder to create it in"
    )
    new_command.add_argument(
        "--no-input", action="store_true", help="ask nothing; take the spec's values"
    )
    new_command.add_argument(
        "--force", action="store_true", help="replace an existing solution folder"
    )
    new_command.add_argument(
        "--conventions",
        type=Path,
        metavar="FILE",
        help="the team's conventions file (default: the one the spec names, if any)",
    )
    config.add_argument(new_command)
    new_command.set_defaults(run=new.run)

    regen_command = commands.add_parser(
        "regen", help="update solutions after their mapping changed, keeping hand edits"
    )
    regen_command.add_argument(
        "solutions",
        type=Path,
        nargs="+",
        metavar="SOLUTION_DIR",
        help="a solution, several, or folders holding solutions (regenerated in parallel)",
    )
    regen_command.add_argument(
        "--mapping", type=Path, help="the spec (default: SOLUTION_DIR/mapping.yaml)"
    )
    regen_command.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    regen_command.add_argument(
        "--diff",
        action="store_true",
        help="show a unified diff of every change; write nothing",
    )
    regen_command.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if anything would change",
    )
    regen_command.add_argument(
        "--prune",
        action=argparse.BooleanOptionalAction,
        help="delete files of removed nodes that were never edited",
    )
    regen_command.add_argument(
        "--conventions",
        type=Path,
        metavar="FILE",
        help="the team's conventions file; the solution's mapping.yaml then names it",
    )
    regen_command.add_argument(
        "--changed",
        action="store_true",
        help="the paths are changed files (as pre-commit passes them): regenerate the solutions "
        "holding them, and leave the other files alone",
    )
    formats.add_argument(regen_command)
    config.add_argument(regen_command)
    regen_command.set_defaults(run=regen.run)

    check_command = commands.add_parser(
        "check",
        help="validate mapping specs (FILE), or tell whether solutions (DIR) are up to date",
    )
    check_command.add_argument(
        "paths",
        type=Path,
        nargs="+",
        metavar="FILE|SOLUTION_DIR",
        help="a spec, or solutions: several, or folders holding them (checked in parallel)",
    )
    check_command.add_argument(
        "--strict", action=argparse.BooleanOptionalAction, help="count warnings as errors"
    )
    check_command.add_argument(
        "--conventions", type=Path, metavar="FILE", help="the team's conventions file to apply"
    )
    check_command.add_argument(
        "--flow",
        type=Path,
        metavar="EXPORT.csv",
        help="the flow exported from Design Studio: check route targets, node numbers and "
        "variables against it",
    )
    check_command.add_argument(
        "--changed",
        action="store_true",
        help="the paths are changed files (as pre-commit passes them): check the solution each "
        "belongs to and each spec outside solutions, and leave the other files alone",
    )
    formats.add_argument(check_command)
    config.add_argument(check_command)
    check_command.set_defaults(run=check.run)

    routing_command = commands.add_parser(
        "routing",
        help="print each node's number, command, endpoint, Parameter Input, outputs and routes",
    )
    routing_command.add_argument("solution", type=Path, metavar="SOLUTION_DIR|FILE")
    routing_command.add_argument(
        "--json", action="store_true", help="print the whole routing table as JSON"
    )
    routing_command.set_defaults(run=routing.run)

    bundle_command = commands.add_parser(
        "bundle", help="write what Pypestream takes: the scripts, app.py and the Design Studio CSV"
    )
    bundle_command.add_argument("solution", type=Path, metavar="SOLUTION_DIR")
    bundle_command.add_argument(
        "--env", required=True, choices=("sandbox", "live"), help="the environment to deploy to"
    )
    bundle_command.add_argument(
        "--out", type=Path, help="a folder, or a file ending in .zip (default: NAME-ENV-bundle)"
    )
    bundle_command.add_argument(
        "--embed-key",
        action="store_true",
        help="write the environment's API key (from its variable here) into the bundled app.py",
    )
    bundle_command.add_argument(
        "--flow",
        type=Path,
        metavar="EXPORT.csv",
        help="the flow exported from Design Studio: check the solution against it and bundle "
        "it with the solution's rows merged in",
    )
    bundle_command.set_defaults(run=bundle.run)

    schema_command = commands.add_parser("schema", help="print the JSON Schema of the mapping spec")
    schema_command.add_argument(
        "--conventions", action="store_true", help="that of a team's conventions file instead"
    )
    schema_command.set_defaults(run=_schema)
    completion.add_parser(commands)
    return parser


def _schema(args) -> int:
    if args.conventions:
        from ..mapping.conventions_schema import schema_text
    else:
        from ..mapping.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
