"""`routing SOLUTION_DIR`: the routing summary of a solution."""

from __future__ import annotations

import sys
from pathlib import Path

from .output import print_problems


def run(args) -> int:
    """The routing summary of a solution, from its mapping.yaml and its assigned numbers."""
    from ..mapping.reader import load_solution
    from ..render import routing
    from ..solution.regen import recorded_numbers

    root: Path = args.solution
    numbers, notes = recorded_numbers(root)  # a validated state; mapping.yaml not a link
    solution, warnings = load_solution(root / "mapping.yaml", None, numbers or None)
    print_problems(notes + warnings)
    sys.stdout.write(routing.summary(solution))
    return 0
