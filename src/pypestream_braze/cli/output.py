"""What every command prints the same way."""

from __future__ import annotations

import sys


def print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
