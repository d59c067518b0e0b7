"""Regenerating a solution after its mapping (or this generator) changed, keeping hand edits.

    plan(root, mapping=None, prune=False) -> Plan     everything computed in memory
    apply(root, plan)                                 the plan's writes, all or nothing
    check_solution(root) -> CheckResult               what a regen would do, for CI

Per generated file, with its baseline (the text last generated, kept in the state):

    created    new in this render (or missing on disk): written
    updated    on disk equal to its baseline (never edited): replaced by the new render
    merged     hand-edited: the generator's change applied by a three-way merge, edits kept
    renamed    a node's script under its new name (renames.py says which): the old file's
               text merged with the new render like any edited file, then the old file deleted
    conflict   the edits and the change overlap: both kept between markers, exit 1
    unchanged  the file on disk already is what a regen would produce
    orphaned   generated last time, not by this render (a removed node): kept on disk
    pruned     an orphan never edited, deleted because --prune was given

A rename's merge takes the old file as the user's text and its baseline as the common ancestor,
so the new name is the generator's change: edits anywhere else come along, an edit to a line the
name is on is a conflict. The old file is deleted only when the merge took all of it (no
conflict); otherwise it stays, an orphan, until its edits are resolved into the new file.

Orphans stay in the state (with their last baseline) for as long as they are on disk, so each
regen reports them again and a later `--prune` can still tell whether they were edited. An
orphan the user deleted is dropped from the state. The state is written last, in the same
transaction as the files, and only if it changed: a regen with nothing to do writes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import weakref
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Level, Location, Problem, UsageError
from ..reading import UnsafePathError, read_file
from . import endings, lock, merge, state, transaction
from .boundary import Folder
from .fingerprint import generator_fingerprint

if TYPE_CHECKING:  # renames reads specs: a regen with nothing to do imports no spec reader
    from .renames import Rename

MAPPING = state.MAPPING
SPEC_LIMIT = 1024 * 1024  # mapping/source.MAX_BYTES, without importing the spec reader


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"
    RENAMED = "renamed"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    ORPHANED = "orphaned"
    PRUNED = "pruned"


WRITES = (Action.CREATED, Action.UPDATED, Action.MERGED, Action.RENAMED, Action.CONFLICT)
# What leaves a solution out of date: a file a regen would write, or (with --prune) delete.
PENDING = (*WRITES, Action.PRUNED)


@dataclass(frozen=True)
class FileChange:
    path: str
    action: Action
    new_text: str | None  # what the file will hold; None for an orphan or a pruned file
    diff: str = ""  # unified diff from the file on disk to new_text
    edited: bool = False  # the file on disk differs from its baseline (a hand edit)
    # A renamed node: on its new script, where its text came from; on the old script that a
    # conflict keeps, where it went.
    rename: Rename | None = None


@dataclass
class Plan:
    root: Path
    changes: list[FileChange]
    state_files: dict[str, str] = field(default_factory=dict)  # state paths -> text to write
    state_deletes: list[str] = field(default_factory=list)
    warnings: list = field(default_factory=list)  # recovery notes, then the spec's warnings
    state_missing: bool = False
    notes: list[Problem] = field(default_factory=list)  # what recovery did first
    _held: list[lock.Lock] = field(default_factory=list, repr=False, compare=False)
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
        return {
            c.path: c.new_text
            for c in self.changes
            if c.action in WRITES and c.new_text is not None  # always, for these actions
        }

    @property
    def deletes(self) -> list[str]:
        pruned = [c.path for c in self.changes if c.action is Action.PRUNED]
        moved = [c.rename.old_path for c in self.changes if c.rename and c.action is Action.RENAMED]
        return pruned + moved

    def release(self) -> None:
        """Let other commands at the solution again (apply does it; so does dropping the plan)."""
        _release(self._held)


def plan(
    root: Path, mapping: Path | None = None, prune: bool = False, conventions: Path | None = None
) -> Plan:
    """What a regen would do; reads the solution and the mapping, writes nothing.

    conventions: the team's conventions file, instead of the one the mapping names; the
    solution's mapping.yaml then names it.

    The plan is made under the solution's lock, which it holds until it is applied or dropped,
    so no other command changes the solution between the plan and its writes. A change a killed
    command left half done is finished or undone first (transaction.recover).
    """
    if not root.is_dir():
        raise UsageError("not a solution folder", path=root)
    held = lock.acquire(root)
    try:
        notes = transaction.recover(root)
        folder = Folder(root)
        mapping = _mapping_file(folder, mapping)
        old, old_text = state.read_with_text(folder)
        result = _plan_from_hashes(folder, mapping, old, old_text, prune, conventions)
        if result is None:
            result = _plan_by_rendering(folder, mapping, old, prune, conventions)
        result.previous = old
    except BaseException:
        held.release()
        raise
    result.notes = [_note(note) for note in notes]
    result.warnings[:0] = result.notes
    result.state_missing = old is None
    result._held.append(held)
    weakref.finalize(result, _release, result._held)
    return result


def apply(root: Path, planned: Plan) -> None:
    """Carry out a plan: solution files first, baselines next, state.json last; all or nothing."""
    writes = dict(planned.writes)
    writes.update(planned.state_files)  # built with state.json as its last entry
    try:
        transaction.apply(root, writes, planned.deletes + planned.state_deletes)
    finally:
        planned.release()


def _release(held: list[lock.Lock]) -> None:
    while held:
        held.pop().release()


def _mapping_file(folder: Folder, mapping: Path | None) -> Path:
    if mapping is None:
        if folder.file_info(MAPPING) is None:  # refuses a link or a folder in its place
            raise UsageError("no such mapping file", path=folder.root / MAPPING)
        return folder.root / MAPPING
    if not mapping.exists():
        raise UsageError("no such mapping file", path=mapping)
    return mapping


def _note(note: tuple[str, str]) -> Problem:
    where, what = note
    return Problem(Location(where), Level.WARNING, what)


def _plan_from_hashes(
    folder: Folder,
    mapping: Path,
    old: state.State | None,
    old_text: str | None,
    prune: bool,
    conventions: Path | None,
) -> Plan | None:
    """The plan of a regen with nothing to write, from hashes alone; None if it may write.

    The render is a function of the spec and the generator: when both hash as they did at the
    last generation, it is the baselines, so every file is settled by comparing hashes of what
    is on disk with the state, without reading the spec, rendering or formatting.
    """
    if old is None or old.generator_sha256 != generator_fingerprint():
        return None
    if old_text != old.to_json() or old.spec_sha256 != _spec_sha256(folder, mapping):
        return None
    current_conventions = _conventions_sha256(folder, mapping, old, conventions)
    if current_conventions is _UNKNOWN or current_conventions != old.conventions_sha256:
        return None
    orphans = set(old.orphans)
    rendered: list[FileChange] = []
    kept: list[FileChange] = []
    for path in sorted(old.files):
        base = folder.read(state.baseline_path(path))
        if base is None or _sha(base) != old.files[path]:
            return None
        current = folder.read(path)
        if current is None:  # would be created again, or dropped from the state
            return None
        try:
            text = current.decode("utf-8")
        except UnicodeDecodeError:
            return None
        edited = endings.normalised_bytes(current) != base
        if path in orphans:
            if prune and not edited:
                return None
            kept.append(FileChange(path, Action.ORPHANED, None, edited=edited))
        else:
            # Unedited, it is the render; edited, merging an unchanged render keeps it as it is.
            rendered.append(FileChange(path, Action.UNCHANGED, text, edited=edited))
    warnings = [
        Problem(Location(str(mapping), w.line, w.column), Level.WARNING, w.message)
        for w in old.spec_warnings
    ]
    return Plan(
        folder.root, rendered + kept, warnings=warnings, conventions_sha256=current_conventions
    )


_UNKNOWN = object()


def _conventions_sha256(folder: Folder, mapping: Path, old: state.State, conventions):
    """The hash of the team conventions the spec names now (None: none), read only when the
    spec or the state speaks of conventions; _UNKNOWN when they cannot be read here."""
    if conventions is None and old.conventions_sha256 is None:
        data = folder.read(MAPPING, SPEC_LIMIT) if mapping == folder.root / MAPPING else None
        if data is not None and b"conventions" not in data:
            return None
    try:
        from ..mapping.load import conventions_sha256

        return conventions_sha256(mapping, None, conventions)
    except Exception:
        return _UNKNOWN


def _spec_sha256(folder: Folder, mapping: Path) -> str | None:
    try:
        if mapping == folder.root / MAPPING:
            data = folder.read(MAPPING, SPEC_LIMIT)
        else:
            data = read_file(mapping, SPEC_LIMIT)
    except (OSError, UnsafePathError):
        return None  # a link, a FIFO, too large: the spec reader says what is wrong
    return None if data is None else _sha(endings.normalised_bytes(data))


def _plan_by_rendering(
    folder: Folder, mapping: Path, old: state.State | None, prune: bool, conventions: Path | None
) -> Plan:
    from .generate import prepare

    root = folder.root
    # Raises SpecError on a bad spec, before any solution file is read.
    prepared = prepare(
        mapping,
        assigned_numbers=old.node_numbers if old else None,
        conventions=conventions,
        target=root,
    )
    old_files = old.files if old else {}
    moves = _renames(folder, prepared, old, old_files)
    changes: list[FileChange] = []
    baselines: dict[str, str] = {}  # the state's baselines after this regen
    kept: dict[str, Rename] = {}  # renamed nodes' old scripts that a conflict keeps
    for path, new in prepared.files.items():
        current = folder.text(path)
        change = None
        if path in moves:
            change = _renamed(folder, old_files, moves[path], path, current, new)
        if change is None:
            change = _file_change(path, current, _baseline(folder, old_files, path), new)
        elif change.action is Action.CONFLICT:
            kept[moves[path].old_path] = moves[path]
        changes.append(change)
        baselines[path] = new
    moved = {c.rename.old_path for c in changes if c.rename and c.action is Action.RENAMED}
    for path in sorted(set(old_files) - set(prepared.files) - moved):
        current = folder.text(path)
        change, base = _orphan(path, current, _baseline(folder, old_files, path), prune)
        if change is not None and path in kept:  # its edits are in the conflict: never pruned
            change = FileChange(path, Action.ORPHANED, None, edited=True, rename=kept[path])
        if change is not None:
            changes.append(change)
        # A kept orphan keeps its baseline, so a later --prune can still tell it was never
        # edited; one without an intact baseline is reported this once and then forgotten.
        if change is not None and change.action is Action.ORPHANED and base is not None:
            baselines[path] = base
    record = state.State(generator_version(), state.digest(prepared.mapping_text))
    record.node_numbers = dict(prepared.solution.assigned_numbers)
    record.files = {path: state.digest(text) for path, text in baselines.items()}
    record.orphans = sorted(set(baselines) - set(prepared.files))
    record.generator_sha256 = generator_fingerprint()
    record.spec_warnings = state.spec_warnings(prepared.warnings)
    record.conventions_sha256 = prepared.conventions_sha256
    result = Plan(
        root,
        changes,
        warnings=list(prepared.warnings),
        conventions_sha256=prepared.conventions_sha256,
    )
    _plan_state(result, folder, record, baselines, old_files)
    return result


def _other_generator(previous: state.State | None) -> str | None:
    """The version of the generator that wrote previous, when it is not this one."""
    if previous is None or previous.generator_sha256 == generator_fingerprint():
        return None  # the same code: no need to look the version up
    return previous.generator_version if previous.generator_version != generator_version() else None


def generator_version() -> str:
    from .. import __version__ as version

    return version


def _file_change(path: str, on_disk: str | None, base: str | None, new: str) -> FileChange:
    """What a regen does to one generated file. Texts are compared with LF endings (base and
    new have them), and what is written keeps the ending style the file has on disk."""
    if on_disk is None:  # new, or a generated file the user deleted: generated again
        return FileChange(path, Action.CREATED, new, _diff(path, "", new))
    ending = endings.style(on_disk)
    current = endings.normalised(on_disk)
    if current == new:
        edited = base is not None and current != base
        return FileChange(path, Action.UNCHANGED, on_disk, edited=edited)
    if base is not None and current == base:
        written = endings.in_style(new, ending)
        return FileChange(path, Action.UPDATED, written, _diff(path, current, new))
    text, conflicts = merge.merge(base, current, new)
    if text == current and not conflicts:  # the edits are all there is; the render adds nothing
        return FileChange(path, Action.UNCHANGED, on_disk, edited=True)
    action = Action.CONFLICT if conflicts else Action.MERGED
    written = endings.in_style(text, ending)
    return FileChange(path, action, written, _diff(path, current, text), edited=True)


_NODE_SCRIPT = re.compile(r"[^/]+/actions/([A-Z][A-Za-z0-9]*)\.py")


def node_name(path: str) -> str | None:
    """The node whose script is at path (relative to the solution), None for another file."""
    found = _NODE_SCRIPT.fullmatch(path)
    return found[1] if found else None


def _renames(
    folder: Folder, prepared, old: state.State | None, old_files: dict[str, str]
) -> dict[str, Rename]:
    """The renamed nodes' new script paths, and where each was."""
    if old is None:
        return {}
    from . import renames

    def old_spec() -> str | None:
        return _baseline(folder, old_files, MAPPING)

    from ..render.files import node_test_path

    found = renames.find(prepared.solution, old.node_numbers, old_spec, old_files, prepared.files)
    for move in list(found.values()):  # a node's own test module moves with its script
        old_test, new_test = node_test_path(move.old_name), node_test_path(move.new_name)
        if old_test in old_files and new_test in prepared.files and new_test not in old_files:
            found[new_test] = dataclasses.replace(move, old_path=old_test)
    return found


def _renamed(
    folder: Folder,
    old_files: dict[str, str],
    move: Rename,
    path: str,
    current: str | None,
    new: str,
) -> FileChange | None:
    """The renamed node's script, from the old one's text; None when there is nothing to move
    (the old file is gone) or the new path holds a file of the user's own."""
    moving = folder.text(move.old_path)
    if moving is None:
        return None
    if current is not None:  # regenerated over only if it is what the last regen wrote there
        base = _baseline(folder, old_files, path)
        if base is None or endings.normalised(current) != base:
            return None
    change = _file_change(path, moving, _baseline(folder, old_files, move.old_path), new)
    text = change.new_text or ""
    diff = _diff(path, endings.normalised(moving), endings.normalised(text), move.old_path)
    action = Action.CONFLICT if change.action is Action.CONFLICT else Action.RENAMED
    return FileChange(path, action, text, diff, edited=change.edited, rename=move)


def _orphan(
    path: str, current: str | None, base: str | None, prune: bool
) -> tuple[FileChange | None, str | None]:
    if current is None:  # already gone: nothing to keep, nothing to report
        return None, None
    edited = base is None or endings.normalised(current) != base
    if prune and not edited:
        return FileChange(path, Action.PRUNED, None, _diff(path, current, "")), base
    return FileChange(path, Action.ORPHANED, None, edited=edited), base


def _plan_state(
    result: Plan,
    folder: Folder,
    record: state.State,
    baselines: dict[str, str],
    old_files: dict[str, str],
) -> None:
    """Fill in the state writes that differ from what is on disk, state.json last.

    Only baselines of files the old state records are ever deleted.
    """
    for path, text in sorted(baselines.items()):
        if state.baseline(folder, path) != text:
            result.state_files[state.baseline_path(path)] = text
    for path in sorted(set(old_files) - set(baselines)):
        if folder.file_info(state.baseline_path(path)) is not None:
            result.state_deletes.append(state.baseline_path(path))
    if (
        folder.text(state.STATE_PATH, state.MAX_STATE_BYTES) != record.to_json()
        or result.state_files
    ):
        result.state_files[state.STATE_PATH] = record.to_json()


def _baseline(folder: Folder, old_files: dict[str, str], path: str) -> str | None:
    """The last generated text, if the state knows it and it is intact."""
    if path not in old_files:
        return None
    text = state.baseline(folder, path)
    return text if text is not None and state.digest(text) == old_files[path] else None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _diff(path: str, before: str, after: str, was: str | None = None) -> str:
    """A unified diff; was: the path before a rename, as git names the two sides of one."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{was or path}",
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
    notes: list[Problem] = field(default_factory=list)  # what recovery did first

    @property
    def up_to_date(self) -> bool:
        return not (self.would_change or self.unresolved or self.state_missing)


def check_solution(root: Path, conventions: Path | None = None) -> CheckResult:
    """Whether a regen from the solution's own mapping.yaml would change anything."""
    planned = plan(root, conventions=conventions)
    planned.release()
    previous = planned.previous
    edited = [
        c.path
        for c in planned.changes
        if c.edited and c.action not in (Action.ORPHANED, Action.RENAMED)
    ]
    unresolved = [
        c.path
        for c in planned.changes
        if c.action is Action.UNCHANGED and c.new_text and merge.has_markers(c.new_text)
    ]
    return CheckResult(
        would_change=[c for c in planned.changes if c.action in WRITES],
        edited=sorted(edited),
        orphans=[c.path for c in planned.changes if c.action is Action.ORPHANED],
        unresolved=unresolved,
        state_missing=planned.state_missing,
        notes=planned.notes,
        conventions_sha256=planned.conventions_sha256,
        recorded_conventions_sha256=previous.conventions_sha256 if previous else None,
        generator_version=_other_generator(previous),
        warnings=[w for w in planned.warnings if w not in planned.notes],
    )


def recorded_numbers(root: Path) -> tuple[dict[str, int], list[Problem]]:
    """The node numbers the solution's state keeps, after recovering an interrupted change.

    Also makes sure mapping.yaml is a real file inside the solution.
    """
    if not root.is_dir():
        raise UsageError("not a solution folder", path=root)
    held = lock.acquire(root)
    try:
        notes = transaction.recover(root)
        folder = Folder(root)
        if folder.file_info(MAPPING) is None:
            raise UsageError(f"not a solution folder (no {MAPPING})", path=root)
        recorded = state.read(folder)
    finally:
        held.release()
    return (recorded.node_numbers if recorded else {}), [_note(note) for note in notes]
