"""What a set of changed files asks to check, as pre-commit passes them: `check --changed`.

    targets(files) -> [Path]    the solution holding each file, and each spec outside solutions

A file inside a solution (its mapping.yaml, a hand-edited node, its state) stands for the
whole solution, checked once however many of its files changed. A YAML file outside any
solution is a spec when a line starts with one of the keys only a spec has (`nodes:`,
`solution:`, `customer:`), as every spec written in block style does, even one whose other keys
are misspelt; a conventions file, a workflow or a compose file has none of them. A spec written
whole in flow style (`{version: 1, nodes: [...]}`) is not recognised, and is given to `check`
by name. Every other file is no business of this tool's and is left out.

Nothing is followed: a symbolic link to a YAML file is not read, the search for the solution
stops at the repository's root (a folder holding `.git`), and only the first MAX_BYTES of a
regular file are read to recognise a spec.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..reading import UnsafePathError, read_file
from . import state

SPEC_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 1024 * 1024 + 1  # a larger file is no spec (check says so when given it by name)
_SPEC_KEY = re.compile(rb"^([\"']?)(nodes|solution|customer)\1[ \t]*:", re.MULTILINE)


def targets(files: Iterable[Path], specs: bool = True) -> list[Path]:
    """The solutions the files belong to and (with specs) the free-standing specs among them,
    each once, in the order first met."""
    found: dict[Path, None] = {}
    solution_of: dict[Path, Path | None] = {}  # folder -> its solution, asked once per folder
    for file in files:
        # Walked up from where the file is: `actions/X.py`, given inside a solution, has that
        # solution above the current folder. Told the way the file was (relative or not).
        root = _solution(Path(os.path.abspath(file)).parent, solution_of)
        if root is not None and not file.is_absolute():
            root = Path(os.path.relpath(root))
        if state.is_solution(file) and not file.is_symlink():  # a solution folder itself
            found.setdefault(file, None)
        elif root is not None:
            found.setdefault(root, None)
        elif specs and is_spec(file):
            found.setdefault(file, None)
    return list(found)


def _solution(folder: Path, known: dict[Path, Path | None]) -> Path | None:
    """The solution folder at or above folder, below the repository's root; None if none."""
    walked = []
    answer = None
    for candidate in (folder, *folder.parents):
        if candidate in known:
            answer = known[candidate]
            break
        walked.append(candidate)
        if state.is_solution(candidate) and not candidate.is_symlink():
            answer = candidate
            break
        if os.path.lexists(candidate / ".git"):
            break
    for candidate in walked:
        known[candidate] = answer
    return answer


def is_spec(path: Path) -> bool:
    """Whether path is a regular YAML file with a top-level key only a spec has."""
    if path.suffix.lower() not in SPEC_SUFFIXES:
        return False
    try:
        data = read_file(path, MAX_BYTES)
    except (OSError, UnsafePathError):  # a link, a FIFO, too large: not a spec to look at
        return False
    return _SPEC_KEY.search(data) is not None
