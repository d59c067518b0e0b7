"""Many solutions at once: found in folders, checked or regenerated in parallel, one outcome each.

    find(paths) -> [Path]                         the solutions these paths are or hold
    check(paths, conventions, strict) -> [Outcome]
    regen(paths, conventions, dry_run, prune, diff) -> [Outcome]

A folder holds a solution when it has `.pypestream-braze/state.json`; hidden folders and
symlinks are not entered, and nothing inside a solution is searched. Each solution is handled by
itself in a worker process (one per core), exactly as `check` or `regen` would handle it alone;
what goes wrong in one (a bad spec, a conflict, an unreadable file) is its outcome, and the
others carry on. Outcomes come back in the order of the paths.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path

from ..errors import Level, Problem, PypestreamBrazeError, SpecError
from . import regen as regeneration
from . import state

SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})


class Status(StrEnum):
    VALID = "valid spec"  # check of a spec file: no errors (nor warnings, with --strict)
    UP_TO_DATE = "up to date"
    UPDATED = "updated"
    WOULD_CHANGE = "would change"
    CONFLICT = "conflict"
    BAD_SPEC = "bad spec"
    FAILED = "failed"


EXIT_CODES = {
    Status.VALID: 0,
    Status.UP_TO_DATE: 0,
    Status.UPDATED: 0,
    Status.WOULD_CHANGE: 1,
    Status.CONFLICT: 1,
    Status.BAD_SPEC: 2,
    Status.FAILED: 2,
}


@dataclass(frozen=True)
class Outcome:
    root: Path  # as found: under the path the user gave
    status: Status
    files: int = 0  # files written, or that would be; with conflicts, those conflicted
    actions: tuple[tuple[str, int], ...] = ()  # (regen action, files), e.g. ("merged", 2)
    problems: tuple[Problem, ...] = ()  # a bad spec's, or its warnings under --strict
    notes: tuple[str, ...] = ()  # generated under other conventions, by another version
    message: str = ""  # why it failed
    diff: str = ""

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


def is_solution(path: Path) -> bool:
    return path.is_dir() and (
        (path / state.STATE_DIR).is_dir() or (path / "mapping.yaml").is_file()
    )


def find(paths: Iterable[Path]) -> list[Path]:
    """Each path that is a solution (or a file), and every solution below each other folder."""
    found: list[Path] = []
    for path in paths:
        if is_solution(path) or not path.is_dir():
            found.append(path)
            continue
        found.extend(_below(path))
    return list(dict.fromkeys(found))


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


def check(
    roots: list[Path], conventions: Path | None = None, strict: bool = False
) -> list[Outcome]:
    return _run(partial(check_one, conventions=conventions, strict=strict), roots)


def regen(
    roots: list[Path],
    conventions: Path | None = None,
    dry_run: bool = False,
    prune: bool = False,
    diff: bool = False,
) -> list[Outcome]:
    work = partial(regen_one, conventions=conventions, dry_run=dry_run, prune=prune, diff=diff)
    return _run(work, roots)


def check_one(root: Path, conventions: Path | None = None, strict: bool = False) -> Outcome:
    return _guarded(root, lambda: _check(root, conventions, strict))


def regen_one(
    root: Path,
    conventions: Path | None = None,
    dry_run: bool = False,
    prune: bool = False,
    diff: bool = False,
) -> Outcome:
    return _guarded(root, lambda: _regen(root, conventions, dry_run, prune, diff))


def notes(result: regeneration.CheckResult) -> tuple[str, ...]:
    """What check says about how a solution was generated, when it differs from now."""
    found = []
    now, then = result.conventions_sha256, result.recorded_conventions_sha256
    if result.state_missing or now == then:
        pass
    elif now and then:
        found.append("generated under an older version of its team conventions")
    elif now:
        found.append("generated without the team conventions it now follows")
    else:
        found.append("generated under team conventions it no longer follows")
    if result.generator_version:
        found.append(
            f"generated by pypestream-braze {result.generator_version} "
            f"(this is {regeneration._generator_version()})"
        )
    return tuple(found)


def _check(root: Path, conventions: Path | None, strict: bool) -> Outcome:
    if root.is_file():
        return _check_spec(root, conventions, strict)
    resolved = root.resolve()
    _require_solution(root)
    result = regeneration.check_solution(resolved, conventions)
    found_notes = notes(result)
    if strict and result.warnings:
        return Outcome(root, Status.BAD_SPEC, problems=tuple(result.warnings), notes=found_notes)
    if result.unresolved:
        return Outcome(root, Status.CONFLICT, len(result.unresolved), notes=found_notes)
    if result.would_change or result.state_missing:
        counts = Counter(change.action.value for change in result.would_change)
        return Outcome(
            root,
            Status.WOULD_CHANGE,
            len(result.would_change),
            tuple(counts.items()),
            notes=found_notes,
        )
    return Outcome(root, Status.UP_TO_DATE, notes=found_notes)


def _check_spec(path: Path, conventions: Path | None, strict: bool) -> Outcome:
    from ..mapping.load import load_spec

    warnings = load_spec(path, conventions=conventions).warnings
    if strict and warnings:
        return Outcome(path, Status.BAD_SPEC, problems=tuple(warnings))
    return Outcome(path, Status.VALID, problems=tuple(warnings))


def _regen(root: Path, conventions: Path | None, dry_run: bool, prune: bool, diff: bool) -> Outcome:
    resolved = root.resolve()
    _require_solution(root)
    planned = regeneration.plan(resolved, prune=prune, conventions=conventions)
    changed = [
        c for c in planned.changes if c.action in (*regeneration.WRITES, regeneration.Action.PRUNED)
    ]
    counts = Counter(change.action.value for change in changed)
    text = "".join(change.diff for change in changed) if diff else ""
    if not planned.nothing_to_write and not dry_run:
        regeneration.apply(resolved, planned)
    conflicted = len(planned.conflicts) + len(planned.unresolved)
    if conflicted:
        status = Status.CONFLICT
    elif planned.nothing_to_write:
        status = Status.UP_TO_DATE
    else:
        status = Status.WOULD_CHANGE if dry_run else Status.UPDATED
    files = conflicted if conflicted else len(changed)
    return Outcome(root, status, files, tuple(counts.items()), diff=text)


def _require_solution(root: Path) -> None:
    if not root.exists():
        raise PypestreamBrazeError("no such folder")
    if not is_solution(root):
        raise PypestreamBrazeError(
            "not a solution folder (no mapping.yaml), and no solution below it "
            f"(a solution has {state.STATE_DIR}/{state.STATE_FILE})"
        )


def _guarded(root: Path, work: Callable[[], Outcome]) -> Outcome:
    """The outcome of work; whatever goes wrong with one solution is that solution's outcome."""
    try:
        return work()
    except SpecError as err:
        return Outcome(root, Status.BAD_SPEC, problems=tuple(err.problems))
    except RecursionError:
        return Outcome(root, Status.BAD_SPEC, message="the spec is nested too deeply to read")
    except PypestreamBrazeError as err:
        where = f"{err.path}: " if err.path is not None and str(err.path) != str(root) else ""
        return Outcome(root, Status.FAILED, message=f"{where}{err}")
    except OSError as err:
        return Outcome(root, Status.FAILED, message=f"{err.filename or root}: {err.strerror}")
    except Exception as err:  # one solution's surprise must not cost the others their outcome
        return Outcome(root, Status.FAILED, message=f"unexpected {type(err).__name__}: {err}")


def workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _run(work: Callable[[Path], Outcome], roots: list[Path]) -> list[Outcome]:
    count = min(len(roots), workers())
    if count <= 1:
        return [work(root) for root in roots]
    try:
        with ProcessPoolExecutor(max_workers=count) as pool:
            return list(pool.map(work, roots))
    except BrokenProcessPool as err:  # a worker died (killed, out of memory)
        message = f"a worker process ended abruptly ({err}); run this solution on its own"
        return [Outcome(root, Status.FAILED, message=message) for root in roots]


def problem_count(outcome: Outcome, level: Level = Level.ERROR) -> int:
    return sum(1 for p in outcome.problems if p.level is level)
