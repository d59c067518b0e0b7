"""Regenerating a solution after its mapping (or this generator) changed, keeping hand edits.

    plan(root, mapping=None, prune=False) -> Plan     everything computed in memory
    apply(root, plan)                                 the plan's writes, all or nothing
    check_solution(root) -> CheckResult               what a regen would do, for CI

Per generated file, with its baseline (the text last generated, kept in the state):

    created    new in this render (or missing on disk): written
    updated    on disk equal to its baseline (never edited): replaced by the new render
    merged     hand-edited: the generator's change applied by a three-way merge, edits kept
    conflict   the edits and the change overlap: both kept between markers, exit 1
    unchanged  the file on disk already is what a regen would produce
    orphaned   generated last time, not by this render (a removed node): kept on disk
    pruned     an orphan never edited, deleted because --prune was given

Orphans stay in the state (with their last baseline) for as long as they are on disk, so each
regen reports them again and a later `--prune` can still tell whether they were edited. An
orphan the user deleted is dropped from the state. The state is written last, in the same
transaction as the files, and only if it changed: a regen with nothing to do writes nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from . import merge, state, transaction
from .generate import prepare


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    ORPHANED = "orphaned"
    PRUNED = "pruned"


WRITES = (Action.CREATED, Action.UPDATED, Action.MERGED, Action.CONFLICT)


@dataclass(frozen=True)
class FileChange:
    path: str
    action: Action
    new_text: str | None  # what the file will hold; None for an orphan or a pruned file
    diff: str = ""  # unified diff from the file on disk to new_text
    edited: bool = False  # the file on disk differs from its baseline (a hand edit)


@dataclass
class Plan:
    root: Path
    changes: list[FileChange]
    state_files: dict[str, str] = field(default_factory=dict)  # state paths -> text to write
    state_deletes: list[str] = field(default_factory=list)
    warnings: list = field(default_factory=list)
    previous: state.State | None = None  # the state before this regen
    conventions_sha256: str | None = None  # of the team conventions rendered under, if any

    @property
    def conflicts(self) -> list[FileChange]:
        return [c for c in self.changes if c.action is Action.CONFLICT]

    @property
    def unresolved(self) -> list[str]:
        """Files that still hold conflict markers from an earlier regen."""
        return [
            c.path
            for c in self.changes
            if c.action is not Action.CONFLICT and c.new_text and merge.has_markers(c.new_text)
        ]

    @property
    def nothing_to_write(self) -> bool:
        return not (self.writes or self.deletes or self.state_files or self.state_deletes)

    @property
    def writes(self) -> dict[str, str]:
        return {c.path: c.new_text for c in self.changes if c.action in WRITES}

    @property
    def deletes(self) -> list[str]:
        return [c.path for c in self.changes if c.action is Action.PRUNED]


def plan(
    root: Path, mapping: Path | None = None, prune: bool = False, conventions: Path | None = None
) -> Plan:
    """What a regen would do; reads the solution and the mapping, writes nothing.

    conventions: the team's conventions file, instead of the one the mapping names; the
    solution's mapping.yaml then names it.
    """
    if not root.is_dir():
        raise UsageError(f"{root}: not a solution folder")
    mapping = mapping if mapping is not None else root / "mapping.yaml"
    if not mapping.exists():
        raise UsageError(f"{mapping}: no such mapping file")
    old = state.read(root)
    # Raises SpecError on a bad spec, before any solution file is read.
    prepared = prepare(
        mapping,
        assigned_numbers=old.node_numbers if old else None,
        conventions=conventions,
        target=root,
    )
    old_files = old.files if old else {}
    changes: list[FileChange] = []
    baselines: dict[str, str] = {}  # the state's baselines after this regen
    for path, new in prepared.files.items():
        changes.append(_file_change(path, _read(root, path), _baseline(root, old_files, path), new))
        baselines[path] = new
    for path in sorted(set(old_files) - set(prepared.files)):
        change, base = _orphan(path, _read(root, path), _baseline(root, old_files, path), prune)
        if change is not None:
            changes.append(change)
        # A kept orphan keeps its baseline, so a later --prune can still tell it was never
        # edited; one without an intact baseline is reported this once and then forgotten.
        if change is not None and change.action is Action.ORPHANED and base is not None:
            baselines[path] = base
    record = state.State(__version__, state.digest(prepared.mapping_text))
    record.node_numbers = dict(prepared.solution.assigned_numbers)
    record.files = {path: state.digest(text) for path, text in baselines.items()}
    record.conventions_sha256 = prepared.conventions_sha256
    result = Plan(root, changes, warnings=list(prepared.warnings), previous=old)
    result.conventions_sha256 = prepared.conventions_sha256
    _plan_state(result, root, record, baselines)
    return result


def apply(root: Path, planned: Plan) -> None:
    """Carry out a plan: solution files first, baselines next, state.json last; all or nothing."""
    writes = dict(planned.writes)
    writes.update(planned.state_files)  # built with state.json as its last entry
    transaction.apply(root, writes, planned.deletes + planned.state_deletes)


def _file_change(path: str, current: str | None, base: str | None, new: str) -> FileChange:
    if current is None:  # new, or a generated file the user deleted: generated again
        return FileChange(path, Action.CREATED, new, _diff(path, "", new))
    if current == new:
        return FileChange(path, Action.UNCHANGED, new, edited=base is not None and current != base)
    if base is not None and current == base:
        return FileChange(path, Action.UPDATED, new, _diff(path, current, new))
    text, conflicts = merge.merge(base, current, new)
    if text == current and not conflicts:  # the edits are all there is; the render adds nothing
        return FileChange(path, Action.UNCHANGED, current, edited=True)
    action = Action.CONFLICT if conflicts else Action.MERGED
    return FileChange(path, action, text, _diff(path, current, text), edited=True)


def _orphan(
    path: str, current: str | None, base: str | None, prune: bool
) -> tuple[FileChange | None, str | None]:
    if current is None:  # already gone: nothing to keep, nothing to report
        return None, None
    edited = base is None or current != base
    if prune and not edited:
        return FileChange(path, Action.PRUNED, None, _diff(path, current, "")), base
    return FileChange(path, Action.ORPHANED, None, edited=edited), base


def _plan_state(result: Plan, root: Path, record: state.State, baselines: dict[str, str]) -> None:
    """Fill in the state writes that differ from what is on disk, state.json last."""
    for path, text in sorted(baselines.items()):
        if _read(root, state.baseline_path(path)) != text:
            result.state_files[state.baseline_path(path)] = text
    base_dir = root / state.STATE_DIR / state.BASELINE_DIR
    if base_dir.is_dir():
        for found in sorted(base_dir.rglob("*")):
            relative = found.relative_to(base_dir).as_posix()
            if found.is_file() and relative not in baselines:
                result.state_deletes.append(state.baseline_path(relative))
    if _read(root, state.STATE_PATH) != record.to_json() or result.state_files:
        result.state_files[state.STATE_PATH] = record.to_json()


def _baseline(root: Path, old_files: dict[str, str], path: str) -> str | None:
    """The last generated text, if the state knows it and it is intact."""
    if path not in old_files:
        return None
    text = state.baseline(root, path)
    return text if text is not None and state.digest(text) == old_files[path] else None


def _read(root: Path, relative: str) -> str | None:
    path = root / relative
    if not path.is_file():
        return None
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True)
class CheckResult:
    would_change: list[FileChange]  # files a regen would write or delete
    edited: list[str]  # generated files whose text differs from their baseline
    orphans: list[str]  # files no longer generated, still on disk
    unresolved: list[str]  # files still holding conflict markers from an earlier regen
    state_missing: bool
    # The team conventions' hash now and in the state (None: none), and the version of this
    # generator the state was written by when it is another one.
    conventions_sha256: str | None = None
    recorded_conventions_sha256: str | None = None
    generator_version: str | None = None
    warnings: list = field(default_factory=list)  # the mapping's

    @property
    def up_to_date(self) -> bool:
        return not (self.would_change or self.unresolved or self.state_missing)


def check_solution(root: Path, conventions: Path | None = None) -> CheckResult:
    """Whether a regen from the solution's own mapping.yaml would change anything."""
    planned = plan(root, conventions=conventions)
    previous = planned.previous
    edited = [c.path for c in planned.changes if c.edited and c.action is not Action.ORPHANED]
    unresolved = [
        c.path
        for c in planned.changes
        if c.action is Action.UNCHANGED and merge.has_markers(_read(root, c.path) or "")
    ]
    return CheckResult(
        would_change=[c for c in planned.changes if c.action in WRITES],
        edited=sorted(edited),
        orphans=[c.path for c in planned.changes if c.action is Action.ORPHANED],
        unresolved=unresolved,
        state_missing=state.read(root) is None,
        conventions_sha256=planned.conventions_sha256,
        recorded_conventions_sha256=previous.conventions_sha256 if previous else None,
        generator_version=(
            previous.generator_version
            if previous is not None and previous.generator_version != __version__
            else None
        ),
        warnings=list(planned.warnings),
    )
