"""`routing SOLUTION_DIR`: the routing summary of a solution (or of a spec, before `new`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import UsageError
from .output import print_problems

HELP = "print each node's number, command, endpoint, Parameter Input, outputs and routes"


def arguments(parser) -> None:
    parser.add_argument("solution", type=Path, metavar="SOLUTION_DIR|FILE")
    parser.add_argument("--json", action="store_true", help="print the whole routing table as JSON")


def run(args) -> int:
    """The summary from the mapping and the node numbers the generator assigned; writes nothing."""
    from ..mapping.load import load_spec
    from ..render import routing
    from ..solution.regen import recorded_numbers

    path: Path = args.solution
    numbers: dict[str, int] | None
    if path.is_dir():
        mapping = path / "mapping.yaml"
        if not mapping.is_file():
            raise UsageError("not a solution folder (it has no mapping.yaml)", path=path)
        numbers, notes = recorded_numbers(path)  # a validated state; mapping.yaml not a link
        print_problems(notes)
        numbers = numbers or None
    elif path.exists():
        mapping, numbers = path, None
    else:
        raise UsageError("no such solution folder or mapping file", path=path)
    loaded = load_spec(mapping, None, numbers)
    solution = loaded.solution
    print_problems(loaded.warnings)
    if args.json:
        sys.stdout.write(json.dumps(routing.table(solution), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(routing.summary(solution))
    return 0
