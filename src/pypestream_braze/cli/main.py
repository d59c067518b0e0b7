"""The command line: the only place that chooses exit codes and turns errors into messages.

Exit codes: 0 done, 1 done but something needs a person (a conflict, an out-of-date
solution, a node that drifted from its mapping), 2 bad input (nothing was written).
"""

from __future__ import annotations

import argparse
import sys

from ..solution.outcome import Outcome, Status, failure
from . import bundle, check, completion, config, formats, new, regen, routing, schema, show
from .output import PROGRAM, PipeSafeStdout, report

# Every command is a module of this package that declares its own arguments beside its code:
# HELP, arguments(parser) and run(args).
COMMANDS = {
    "new": new,
    "regen": regen,
    "check": check,
    "routing": routing,
    "bundle": bundle,
    "schema": schema,
    "completion": completion,
}


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
    for name, command in COMMANDS.items():
        arguments = commands.add_parser(name, help=command.HELP)
        command.arguments(arguments)
        arguments.set_defaults(run=command.run)
    # A command that describes the command line itself (completion) is handed this parser.
    parser.set_defaults(parser=parser)
    return parser


if __name__ == "__main__":
    sys.exit(main())
