"""`routing SOLUTION_DIR`: the routing summary of a solution."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UsageError
from .output import print_problems


def run(args) -> int:
    """The routing summary of a solution, from its mapping.yaml and its assigned numbers."""
    from ..mapping.load import load_spec
    from ..render import routing
    from ..solution import state

    root: Path = args.solution
    mapping = root / "mapping.yaml"
    if not mapping.is_file():
        raise UsageError(f"{root}: not a solution folder (no mapping.yaml)")
    recorded = state.read(root)
    loaded = load_spec(mapping, None, recorded.node_numbers if recorded else None)
    print_problems(loaded.warnings)
    sys.stdout.write(routing.summary(loaded.solution))
    return 0
