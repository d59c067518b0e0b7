"""Many solutions at once: found in folders, each handled exactly as it would be alone.

    find(paths) -> [Path]                          the solutions these paths are or hold
    each(work, paths) -> [Outcome]                 work(path) for every path, in parallel

A folder holds a solution when it has `.pypestream-braze/state.json`; hidden folders and
symlinks are not entered, and nothing inside a solution is searched. Each solution is handled
in a worker process (one per core) by the very function that handles one solution alone
(check.check, regenerate.regenerate), so `check A B` is, solution by solution, `check A` and
`check B`. What goes wrong in one is its outcome, and the others carry on. Outcomes come back
in the order of the paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import state
from .outcome import Outcome, Status

SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})


def find(paths: Iterable[Path]) -> list[Path]:
    """Each path that is a solution (or a file), and every solution below each other folder.

    A folder that neither is nor holds a solution is kept as it is, so that its outcome says so.
    """
    found: list[Path] = []
    for path in paths:
        if state.is_solution(path) or not path.is_dir():
            found.append(path)
            continue
        found.extend(_below(path) or [path])
    return list(dict.fromkeys(found))


def holds_many(paths: list[Path]) -> bool:
    """Whether the paths ask for many solutions: several with a folder among them, or a folder
    holding some. Spec files alone are checked one after the other, each in full."""
    if len(paths) > 1:
        return any(path.is_dir() for path in paths)
    path = paths[0]
    return path.is_dir() and not state.is_solution(path) and bool(_below(path))


def _below(top: Path) -> list[Path]:
    """Solutions below top, in os.walk's order; links never entered, and without recursion,
    so a tree however deep is walked (os.walk recurses once per level before Python 3.12)."""
    found = []
    pending = [top]  # the next folder last
    while pending:
        folder = pending.pop()
        if Path(folder, state.STATE_DIR, state.STATE_FILE).is_file():
            found.append(folder)
            continue
        try:
            with os.scandir(folder) as entries:
                names = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
        except OSError:
            continue
        pending.extend(
            folder / name
            for name in reversed(names)
            if not name.startswith(".") and name not in SKIPPED_FOLDERS
        )
    return found


def workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def each(work: Callable[[Path], Outcome], paths: list[Path]) -> list[Outcome]:
    """work(path) for every path, in worker processes when there are several and cores to use.

    work must be picklable (a module function, or a functools.partial of one).
    """
    count = min(len(paths), workers())
    if count <= 1:
        return [work(path) for path in paths]
    try:
        with ProcessPoolExecutor(max_workers=count) as pool:
            return list(pool.map(work, paths))
    except BrokenProcessPool as err:  # a worker died (killed, out of memory)
        message = f"a worker process ended abruptly ({err}); run this solution on its own"
        return [Outcome(path, Status.FAILED, message=message) for path in paths]
