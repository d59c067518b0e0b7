"""What a command found or did for one path: the one value every door prints.

    Outcome(path, status, ...)      a spec checked, a solution checked, regenerated or bundled
    exit_code(outcomes) -> int      the one rule from outcomes to an exit code
    guarded(path, work) -> Outcome  work(), or the outcome of the error it raised

Every engine command (check, regen, bundle, routing) returns an Outcome per path, and nothing
else decides its exit code: one solution, many at once, bundle and the cookiecutter hook print
the same value their own way, and exit with the same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..errors import Level, Problem, PypestreamBrazeError, SpecError


class Status(StrEnum):
    VALID = "valid spec"  # a spec file without errors (nor warnings, with --strict)
    UP_TO_DATE = "up to date"
    UPDATED = "updated"
    PREVIEWED = "would change"  # regen --dry-run or --diff: changes shown, nothing wrong
    BUNDLED = "bundled"
    WOULD_CHANGE = "out of date"  # check, regen --check: a regen is needed
    DRIFT = "drift"  # up to date, but a hand-edited node no longer does what its mapping says
    CONFLICT = "conflict"
    BAD_SPEC = "bad spec"
    FAILED = "failed"  # refused: not a solution, locked, unreadable, not up to date for bundle


_EXIT_CODES = {
    Status.VALID: 0,
    Status.UP_TO_DATE: 0,
    Status.UPDATED: 0,
    Status.PREVIEWED: 0,
    Status.BUNDLED: 0,
    Status.WOULD_CHANGE: 1,
    Status.DRIFT: 1,
    Status.CONFLICT: 1,
    Status.BAD_SPEC: 2,
    Status.FAILED: 2,
}


@dataclass(frozen=True)
class FileResult:
    """One file of a solution and what happened to it (or would)."""

    path: str  # relative to the solution
    action: str  # created, updated, merged, renamed, conflict, pruned, orphaned, edited, unresolved
    note: str = ""
    diff: str = ""


@dataclass(frozen=True)
class Drift:
    """A hand-edited node that no longer builds the request its mapping describes."""

    path: str  # the node's file, relative to the solution
    message: str
    kind: str = "request"  # what drifted: the request it builds, or the runtime it carries


@dataclass(frozen=True)
class Outcome:
    path: Path | None  # as the user gave it, or found below a folder; None: no path in particular
    status: Status
    files: tuple[FileResult, ...] = ()
    drift: tuple[Drift, ...] = ()
    problems: tuple[Problem, ...] = ()  # the spec's (errors, warnings) and recovery notes
    notes: tuple[str, ...] = ()  # how the solution was generated, when it differs from now
    message: str = ""  # why it failed
    where: str | Path | None = None  # the file a failure is about, when not path itself
    summary: str = ""  # what was checked or done: "3 nodes, 18 generated files"
    output: str = ""  # the command's own result text (a diff, a routing table)
    cause: Outcome | None = None  # bundle: the check that refused it
    wrote: bool = False  # whether the command changed anything on disk
    told: bool = False  # the message says what became of the files already

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES[self.status]

    @property
    def passed(self) -> bool:
        return self.exit_code == 0

    def counts(self, actions: Iterable[str]) -> list[tuple[str, int]]:
        """(action, files) for the given actions, in that order, leaving out the absent."""
        wanted = list(actions)
        found = {a: sum(1 for f in self.files if f.action == a) for a in wanted}
        return [(action, n) for action, n in found.items() if n]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level is Level.ERROR)


def exit_code(outcomes: Iterable[Outcome]) -> int:
    """The worst exit code of the outcomes (2 for none: nothing was found to work on)."""
    return max((outcome.exit_code for outcome in outcomes), default=2)


def failure(path: Path | None, err: BaseException) -> Outcome:
    """The outcome of an error raised while working on path; the one table of them."""
    if isinstance(err, SpecError):
        return Outcome(path, Status.BAD_SPEC, problems=tuple(err.problems))
    if isinstance(err, RecursionError):
        return Outcome(path, Status.BAD_SPEC, message="the spec is nested too deeply to read")
    if isinstance(err, PypestreamBrazeError):
        told = err.tells_what_was_written
        return Outcome(path, Status.FAILED, message=str(err), where=err.path, told=told)
    if isinstance(err, OSError):
        reason = err.strerror or str(err) or type(err).__name__
        return Outcome(path, Status.FAILED, message=reason, where=err.filename)
    return Outcome(
        path,
        Status.FAILED,
        message=f"unexpected {type(err).__name__}: {err}; please report it with the command "
        "and the files it read",
    )


def guarded(path: Path, work: Callable[[], Outcome]) -> Outcome:
    """work(), or the outcome of what it raised: one path's failure is its outcome alone."""
    try:
        return work()
    except Exception as err:
        return failure(path, err)
