"""`schema [--conventions]`: the JSON Schema of the mapping spec, or of a conventions file."""

from __future__ import annotations

import sys

HELP = "print the JSON Schema of the mapping spec"


def arguments(parser) -> None:
    parser.add_argument(
        "--conventions", action="store_true", help="that of a team's conventions file instead"
    )


def run(args) -> int:
    if args.conventions:
        from ..mapping.conventions_schema import schema_text
    else:
        from ..mapping.schema import schema_text

    sys.stdout.write(schema_text())
    return 0
