"""Outcomes as the command line prints them: one path in detail, many as a line each.

    detail(outcome, command)        every finding of one path, then its closing line
    many(outcomes, command)         a line per path, the findings of those that failed, a summary

Results go to stdout, problems to stderr (output.py says how each line looks). The exit code
is not decided here: it is solution/outcome.py's, the same for every door.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..errors import plural
from ..solution.outcome import Outcome, Status
from ..solution.regen import PENDING
from .output import display, print_problems, report, say

# The commands that write: a refusal says that nothing was.
WRITES = frozenset({"new", "regen", "bundle"})
# The actions a regen reports, in the order it reports them.
_REGEN_ACTIONS = ("created", "updated", "merged", "renamed", "conflict", "pruned", "orphaned")


def detail(outcome: Outcome, command: str) -> None:
    """Everything one path's outcome holds, closing with the line that sums it up."""
    if outcome.status in (Status.BAD_SPEC, Status.FAILED):
        _refusal(outcome, command)
    elif command == "regen":
        _regen(outcome)
    else:
        _findings(outcome)
        say(f"{display(outcome.path)}: {_closing(outcome)}")


def many(outcomes: list[Outcome], command: str) -> None:
    """A line per path; after the line of each that did not pass, what it found."""
    for outcome in outcomes:
        say(f"{display(outcome.path)}: {line(outcome)}")
        for file in outcome.files:
            if file.diff:
                say(file.diff.rstrip("\n"), raw=True)
        if outcome.status in (Status.BAD_SPEC, Status.FAILED):
            print_problems(outcome.problems)
        elif not outcome.passed:
            _findings(outcome, failing_only=True)
    counts = Counter(outcome.status for outcome in outcomes)
    summary = ", ".join(
        f"{counts[status]} {'valid' if status is Status.VALID else status.value}"
        for status in Status
        if counts[status]
    )
    say(f"{_what(outcomes)}: {summary}")
    if counts[Status.WOULD_CHANGE] and command == "check":
        report(None, "note", "run 'pypestream-braze regen' on the solutions that are out of date")
    if counts[Status.CONFLICT]:
        report(None, "note", "resolve the marked lines by hand in the solutions with conflicts")


def line(outcome: Outcome) -> str:
    """One path's outcome in a line."""
    files = [f for f in outcome.files if f.action in _REGEN_ACTIONS]
    actions = ", ".join(f"{n} {a}" for a, n in outcome.counts(_REGEN_ACTIONS))
    changed = plural(len(files), "file")
    status = outcome.status
    if status is Status.VALID:
        warnings = len(outcome.problems)
        text = "valid spec" + (f" ({plural(warnings, 'warning')})" if warnings else "")
    elif status is Status.UPDATED:
        text = f"updated {changed} ({actions})" if files else "generation state refreshed"
    elif status is Status.PREVIEWED:
        text = f"would change {changed} ({actions})" if files else "generation state refreshed"
    elif status is Status.WOULD_CHANGE:
        would = [f for f in files if f.action in PENDING]
        counted = ", ".join(f"{n} {a}" for a, n in outcome.counts(PENDING))
        text = (
            f"out of date: regen would change {plural(len(would), 'file')} ({counted})"
            if would
            else f"out of date: {outcome.message or 'generation state to refresh'}"
        )
    elif status is Status.CONFLICT:
        marked = [f for f in outcome.files if f.action in ("conflict", "unresolved")]
        text = f"conflict: markers in {plural(len(marked), 'file')} to resolve by hand"
    elif status is Status.DRIFT:
        text = _drifted(outcome)
    elif status is Status.BAD_SPEC:
        text = f"bad spec: {outcome.message or _errors(outcome)}"
    elif status is Status.FAILED:
        where = outcome.where
        named = where is not None and str(where) != str(outcome.path)
        text = (
            f"failed: {display(where)}: {outcome.message}"
            if named
            else f"failed: {outcome.message}"
        )
    else:
        text = status.value
    return "; ".join([text, *outcome.notes])


def _findings(outcome: Outcome, failing_only: bool = False) -> None:
    """The notes, files and drift of one solution, a line each on stdout; failing_only: only
    what makes it fail (not its notes, hand edits or orphans)."""
    print_problems(outcome.problems)
    root = outcome.path or Path()  # a solution's: only a failure has no path
    for note in () if failing_only else outcome.notes:
        say(f"{display(root)}: note: {note}")
    for file in outcome.files:
        if failing_only and file.action in ("edited", "orphaned"):
            continue
        where = display(root / file.path)
        if file.action == "unresolved":
            say(f"{where}: conflict: {file.note}; resolve them by hand")
        elif file.action == "edited":
            say(f"{where}: edited: differs from what was generated; regen keeps the edits")
        elif file.action == "orphaned":
            say(f"{where}: orphaned: {file.note}")
        else:
            say(f"{where}: out of date: {file.note}")
    for found in outcome.drift:
        say(f"{display(root / found.path)}: drift: {found.message}")


def _closing(outcome: Outcome) -> str:
    status = outcome.status
    if status is Status.VALID:
        return f"ok: {outcome.summary}"
    if status is Status.UP_TO_DATE:
        return f"up to date: {outcome.summary}" if outcome.summary else "up to date"
    if status is Status.WOULD_CHANGE:
        why = f"{outcome.message}; " if outcome.message else ""
        return f"out of date: {why}run 'pypestream-braze regen {display(outcome.path)}'"
    if status is Status.CONFLICT:
        return "conflict: resolve the marked lines by hand, then check again"
    if status is Status.DRIFT:
        return _drifted(outcome)
    return line(outcome)


def _drifted(outcome: Outcome) -> str:
    nodes = len({found.path for found in outcome.drift})
    kinds = {found.kind for found in outcome.drift}
    one = nodes == 1
    what = []
    if "request" in kinds:
        what.append(f"{'builds' if one else 'build'} the request the mapping describes")
    if "runtime" in kinds:
        what.append(f"{'carries' if one else 'carry'} the runtime it was generated with")
    return f"drift: {plural(nodes, 'hand-edited node')} no longer {' or '.join(what)}"


def _regen(outcome: Outcome) -> None:
    print_problems(outcome.problems)
    root = outcome.path or Path()  # a solution's: only a failure has no path
    changed = [f for f in outcome.files if f.action != "unresolved"]
    for file in changed:
        say(f"{file.action:<9} {file.path}" + (f"  ({file.note})" if file.note else ""))
        if file.diff:
            say(file.diff.rstrip("\n"), raw=True)
    actions = ", ".join(f"{n} {a}" for a, n in outcome.counts(_REGEN_ACTIONS))
    pending = outcome.counts(PENDING)
    if outcome.wrote:
        say(f"done: {actions or 'generation state refreshed'}")
    elif outcome.status is Status.UP_TO_DATE or (outcome.status is Status.CONFLICT and not pending):
        say("up to date; nothing written")
    else:
        say(f"dry run, nothing written; would be: {actions or 'generation state refreshed'}")
    for file in outcome.files:
        if file.action == "unresolved":
            report(display(root / file.path), "warning", file.note)
    conflicts = outcome.counts(("conflict", "unresolved"))
    if conflicts:
        count = sum(n for _, n in conflicts)
        report(
            display(root),
            "warning",
            f"{plural(count, 'file')} with conflicts: resolve the marked lines by hand",
        )


def _refusal(outcome: Outcome, command: str) -> None:
    """A bad spec's problems, or why the command refused; and that nothing was written."""
    written = nothing_written(command)
    if outcome.cause is not None:
        _findings(outcome.cause)
    print_problems(outcome.problems)
    if outcome.status is Status.BAD_SPEC and not outcome.message:
        errors = [p for p in outcome.problems if p.level.value == "error"]
        files = {p.location.file for p in errors}
        if errors and command != "check":  # check's closing lines say what was checked
            where = display(files.pop()) if len(files) == 1 else None
            report(where, "note", f"{plural(len(errors), 'error')}{written}")
        return
    if outcome.status is Status.BAD_SPEC and command == "check" and _is_spec(outcome):
        return  # a spec's warnings under --strict speak for themselves
    about = outcome.where if outcome.where is not None else outcome.path
    report(display(about), "error", outcome.message + ("" if outcome.told else written))


def nothing_written(command: str) -> str:
    return "; nothing was written" if command in WRITES else ""


def _is_spec(outcome: Outcome) -> bool:
    return outcome.path is not None and outcome.path.is_file()


def _errors(outcome: Outcome) -> str:
    if outcome.errors:
        return plural(outcome.errors, "error")
    return f"{plural(len(outcome.problems), 'warning')} (--strict)"


def _what(outcomes: list[Outcome]) -> str:
    """'3 solutions', '2 specs' or '2 solutions and 1 spec'."""
    specs = sum(1 for outcome in outcomes if _is_spec(outcome))
    solutions = len(outcomes) - specs
    parts = [
        plural(n, noun)
        for n, noun in ((solutions, "solution"), (specs, "spec"))
        if n or not outcomes
    ]
    return " and ".join(parts)
