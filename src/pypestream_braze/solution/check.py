"""The verdict of `check` on one path: a spec file, or a solution folder.

    check(path, conventions=None, strict=False) -> Outcome

A solution passes when a regen would change nothing, no file holds conflict markers, and every
hand-edited node still builds the request its mapping describes (drift.py). Every door that
needs this verdict (check of one solution or many, bundle) calls this function, so they cannot
disagree. Nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PypestreamBrazeError, plural
from . import lock, regen, state
from .outcome import Drift, FileResult, Outcome, Status, guarded
from .regen import MAPPING, CheckResult

if TYPE_CHECKING:
    from ..mapping.flow import Flow

# What a regen would do to a file, as check reports it.
WOULD = {
    "created": "regen would create it",
    "updated": "regen would update it",
    "merged": "regen would merge the mapping's change into your edits",
    "renamed": "regen would move the renamed node's script here",
    "conflict": "regen would find your edits and the mapping's change overlapping",
}


def check(
    path: Path, conventions: Path | None = None, strict: bool = False, flow: Flow | None = None
) -> Outcome:
    """The verdict on a spec file or a solution folder; whatever goes wrong is the outcome.

    flow: the Design Studio export the spec or solution must fit (--flow).
    """
    if not path.exists() and not path.is_symlink():
        return Outcome(path, Status.FAILED, message="no such file or folder")
    if path.is_dir():
        return guarded(path, lambda: _check_solution(path, conventions, strict, flow))
    return guarded(path, lambda: _check_spec(path, conventions, strict, flow))


def require_solution(path: Path) -> Path:
    """The solution folder at path, resolved; an error saying what path is otherwise."""
    if not path.exists():
        raise PypestreamBrazeError("no such folder")
    if not path.is_dir():
        solution = path.resolve().parent
        hint = (
            f": the solution's folder is {_named(solution)}" if state.is_solution(solution) else ""
        )
        raise PypestreamBrazeError(f"a file, not a solution folder{hint}")
    if state.is_solution(path):
        return path.resolve()
    parent = next((p for p in path.resolve().parents if state.is_solution(p)), None)
    if parent is not None:
        raise PypestreamBrazeError(
            f"not a solution folder (it has no {MAPPING}) but a folder inside one: the solution "
            f"it belongs to is {_named(parent)}"
        )
    raise PypestreamBrazeError(
        f"not a solution folder (it has no {MAPPING}); give a solution folder, made by "
        "'pypestream-braze new'"
    )


def _named(folder: Path) -> str:
    """A folder, and how to write it from the current folder when that is short: the solution
    above the folder the user is in is '..'."""
    try:
        relative = Path(os.path.relpath(folder))
    except ValueError:  # another drive
        return str(folder)
    if relative.parts.count("..") > 2 or relative.is_absolute():
        return str(folder)
    return f"{folder} (give '{relative.as_posix()}' from here)"


def _check_spec(path: Path, conventions: Path | None, strict: bool, flow: Flow | None) -> Outcome:
    from ..mapping.load import load_spec

    loaded = load_spec(path, conventions=conventions)
    warnings = tuple(loaded.warnings)
    if flow is not None:  # the flow's errors raised, its warnings added
        from . import flow as in_flow

        warnings = tuple(in_flow.spec_warnings(path, loaded, flow))
    if strict and warnings:
        return Outcome(path, Status.BAD_SPEC, problems=warnings, message=_strict(warnings))
    solution = loaded.solution
    endpoints = ", ".join(endpoint.path for endpoint in solution.endpoints)
    summary = (
        f"{plural(len(solution.nodes), 'node')}, "
        f"{plural(len(solution.endpoints), 'endpoint')} ({endpoints}), "
        + (plural(len(warnings), "warning") if warnings else "no warnings")
    )
    return Outcome(path, Status.VALID, problems=warnings, summary=summary)


def _check_solution(
    path: Path, conventions: Path | None, strict: bool, flow: Flow | None
) -> Outcome:
    root = require_solution(path)
    held = lock.acquire(root)  # one lock from the first read to the drift probe's last
    try:
        return verdict(path, root, conventions, strict, flow)
    finally:
        held.release()


def verdict(
    path: Path,
    root: Path,
    conventions: Path | None,
    strict: bool,
    flow: Flow | None = None,
) -> Outcome:
    """The check of the solution at root (resolved), reported under path; the caller may hold
    the solution's lock (bundle does, until its last read)."""
    result = regen.check_solution(root, conventions)
    notes = generation_notes(result)
    files = _files(result)
    problems = tuple(result.notes)
    if flow is not None:  # the flow's errors (with strict, its warnings) raised
        from . import flow as in_flow

        problems += tuple(in_flow.folder_warnings(root, flow, conventions, strict))
    if strict and result.warnings:
        warnings = tuple(result.warnings)
        return Outcome(
            path,
            Status.BAD_SPEC,
            files,
            problems=problems + warnings,
            notes=notes,
            message=_strict(warnings),
        )
    common: dict[str, Any] = {"files": files, "problems": problems, "notes": notes}
    if result.unresolved:
        return Outcome(path, Status.CONFLICT, **common)
    if result.would_change or result.state_missing:
        why = "no generation state; regen records it" if result.state_missing else ""
        return Outcome(path, Status.WOULD_CHANGE, message=why, **common)
    drift = _drift(root, result)
    if drift:
        return Outcome(path, Status.DRIFT, drift=tuple(drift), **common)
    return Outcome(path, Status.UP_TO_DATE, summary=_summary(root, result), **common)


def generation_notes(result: CheckResult) -> tuple[str, ...]:
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
            f"(this is {regen.generator_version()})"
        )
    return tuple(found)


def _files(result: CheckResult) -> tuple[FileResult, ...]:
    files = [FileResult(c.path, c.action.value, _would(c)) for c in result.would_change]
    files += [FileResult(p, "unresolved", "unresolved conflict markers") for p in result.unresolved]
    files += [FileResult(p, "edited") for p in _edited(result)]
    files += [FileResult(p, "orphaned", "no longer generated; kept") for p in result.orphans]
    return tuple(files)


def _would(change: regen.FileChange) -> str:
    note = WOULD.get(change.action.value, "regen would change it")
    move = change.rename
    if move is None:
        return note
    if change.action is regen.Action.CONFLICT:
        return f"regen would find your edits in {move.old_path} and the rename overlapping"
    return f"{note} from {move.old_path}" + (", your edits with it" if change.edited else "")


def _edited(result: CheckResult) -> list[str]:
    # The mapping is the one file the workflow edits: a change there is "out of date", not a
    # hand edit of generated code.
    return [relative for relative in result.edited if relative != MAPPING]


def _drift(root: Path, result: CheckResult) -> list[Drift]:
    """The drift of edited nodes (none edited: nothing is read or run)."""
    edited = _edited(result)
    if not any("/actions/" in relative for relative in edited):
        return []
    from ..mapping.load import load_spec
    from .drift import node_drift

    solution = load_spec(root / MAPPING).solution
    return node_drift(root, solution, edited)


def _summary(root: Path, result: CheckResult) -> str:
    """How many nodes and files the generation state records; orphans are not nodes."""
    recorded = state.read(root)
    files = list(recorded.files) if recorded else []
    orphans = set(result.orphans)
    nodes = [
        f for f in files if "/actions/" in f and not f.endswith("/__init__.py") and f not in orphans
    ]
    summary = f"{plural(len(nodes), 'node')}, {plural(len(files) - len(orphans), 'generated file')}"
    edited = _edited(result)
    if edited:
        summary += f", {len(edited)} hand-edited"
    if orphans:
        summary += f", {plural(len(orphans), 'orphaned file')}"
    return summary


def _strict(warnings: Sequence) -> str:
    return f"{plural(len(warnings), 'warning')} with --strict"
