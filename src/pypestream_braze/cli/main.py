"""The command line: the only place that prints and chooses exit codes.

Exit codes: 0 done, 1 done but something needs a person (a conflict, an out-of-date
solution), 2 bad input (nothing was written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import PypestreamBrazeError, SpecError
from . import check, new, regen, routing
from .output import print_problems


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except SpecError as err:
        print_problems(err.problems)
        errors = len(err.errors)
        print(f"{errors} error{'s' * (errors != 1)}; nothing was written", file=sys.stderr)
        return err.exit_code
    except PypestreamBrazeError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except RecursionError:
        print("error: the spec is nested too deeply to read", file=sys.stderr)
        return 2
    except OSError as err:  # a folder that cannot be created or written, a full disk
        print(f"error: {err.filename or ''}: {err.strerror}; nothing was written", file=sys.stderr)
        return 2
    except EOFError:
        print(
            "error: a question got no answer (end of input); use --no-input to take the "
            "spec's values; nothing was written",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pypestream-braze",
        description="Generate Pypestream solutions that talk to Braze, from a YAML mapping spec.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new_command = commands.add_parser("new", help="create a solution from a mapping spec")
    new_command.add_argument(
        "--mapping", type=Path, help="the spec (default: the bundled partner example)"
    )
    new_command.add_argument(
        "--output-dir", type=Path, default=Path("."), help="where to create it"
    )
    new_command.add_argument(
        "--no-input", action="store_true", help="ask nothing; take the spec's values"
    )
    new_command.add_argument(
        "--force", action="store_true", help="replace an existing solution folder"
    )
    new_command.set_defaults(run=new.run)

    regen_command = commands.add_parser(
        "regen", help="update a solution after its mapping changed, keeping hand edits"
    )
    regen_command.add_argument("solution", type=Path, metavar="SOLUTION_DIR")
    regen_command.add_argument(
        "--mapping", type=Path, help="the spec (default: SOLUTION_DIR/mapping.yaml)"
    )
    regen_command.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    regen_command.add_argument(
        "--diff", action="store_true", help="show a unified diff of every change"
    )
    regen_command.add_argument(
        "--prune", action="store_true", help="delete files of removed nodes that were never edited"
    )
    regen_command.set_defaults(run=regen.run)

    check_command = commands.add_parser(
        "check",
        help="validate a mapping spec (FILE), or tell whether a solution (DIR) is up to date",
    )
    check_command.add_argument("path", type=Path, metavar="FILE|SOLUTION_DIR")
    check_command.add_argument("--strict", action="store_true", help="count warnings as errors")
    check_command.set_defaults(run=check.run)

    routing_command = commands.add_parser(
        "routing",
        help="print each node's number, command, endpoint, Parameter Input, outputs and routes",
    )
    routing_command.add_argument("solution", type=Path, metavar="SOLUTION_DIR")
    routing_command.set_defaults(run=routing.run)

    schema_command = commands.add_parser("schema", help="print the JSON Schema of the mapping spec")
    schema_command.set_defaults(run=_schema)
    return parser


class _Version(argparse.Action):
    """--version, looked up only when asked for (importing importlib.metadata is slow)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__

        sys.stdout.write(f"{parser.prog} {__version__}\n")
        parser.exit()


def _schema(args) -> int:
    from ..mapping.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
