"""The outcome of `regen` on one solution: every file and what happened to it.

    regenerate(path, mapping=None, conventions=None, preview=False, check=False,
               prune=False, diff=False) -> Outcome

preview (--dry-run, --diff) and check (--check) write nothing; check fails when anything would
change, preview does not. The plan and its writes happen under one lock (regen.plan/apply).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from . import regen
from .check import require_solution
from .outcome import FileResult, Outcome, Status, guarded


def regenerate(
    path: Path,
    mapping: Path | None = None,
    conventions: Path | None = None,
    preview: bool = False,
    check: bool = False,
    prune: bool = False,
    diff: bool = False,
) -> Outcome:
    looks = preview or check
    return guarded(path, lambda: _regenerate(path, mapping, conventions, looks, check, prune, diff))


def _regenerate(
    path: Path,
    mapping: Path | None,
    conventions: Path | None,
    looks: bool,
    check: bool,
    prune: bool,
    diff: bool,
) -> Outcome:
    root = require_solution(path)
    if mapping is not None and not mapping.is_file():
        raise UsageError("no such mapping file", path=mapping)
    # The solution's own mapping.yaml is read by the solution layer, which refuses a link.
    planned = regen.plan(root, mapping.resolve() if mapping else None, prune, conventions)
    wrote = not (looks or planned.nothing_to_write)
    if wrote:
        regen.apply(root, planned)
    else:
        planned.release()
    created = [c.path for c in planned.changes if c.action is regen.Action.CREATED]
    files = tuple(
        FileResult(c.path, c.action.value, _note(c, prune, created), c.diff if diff else "")
        for c in planned.changes
        if c.action is not regen.Action.UNCHANGED
    )
    files += tuple(
        FileResult(p, "unresolved", "conflict markers from an earlier regen; resolve them")
        for p in planned.unresolved
    )
    if planned.conflicts or planned.unresolved:
        status = Status.CONFLICT
    elif planned.nothing_to_write:
        status = Status.UP_TO_DATE
    elif check:
        status = Status.WOULD_CHANGE
    else:
        status = Status.PREVIEWED if looks else Status.UPDATED
    return Outcome(path, status, files, problems=tuple(planned.warnings), wrote=wrote)


def _note(change: regen.FileChange, prune: bool, created: list[str]) -> str:
    action = change.action
    if change.rename is not None:
        return _renamed(change)
    if action is regen.Action.ORPHANED and change.edited:
        return "no longer generated, hand-edited: kept" + _renamed_perhaps(change.path, created)
    if action is regen.Action.ORPHANED:
        return "no longer generated: kept" + ("" if prune else "; --prune deletes it")
    return {
        regen.Action.CONFLICT: "edits and changes overlap: both kept between <<<<<<< / >>>>>>> "
        "markers",
        regen.Action.MERGED: "hand edits kept",
        regen.Action.PRUNED: "no longer generated, never edited: deleted",
    }.get(action, "")


def _renamed_perhaps(orphan: str, created: list[str]) -> str:
    """For a node's script left behind while another node's is made: how to say that the new
    node is this one renamed, so that regen moves the edits (see renames.py)."""
    old = regen.node_name(orphan)
    new = [name for name in map(regen.node_name, created) if name is not None]
    if old is None or not new:
        return ""
    which = new[0] if len(new) == 1 else "the new node"
    return f"; if {which} is {old} renamed, write 'renamed_from: {old}' under it and regen"


def _renamed(change: regen.FileChange) -> str:
    """What became of a renamed node's scripts, and what to change in Design Studio."""
    move = change.rename
    assert move is not None, "a renamed file's change says where it was"
    if change.action is regen.Action.ORPHANED:
        return (
            f"{move.old_name} is now {move.new_name}: kept until you resolve the conflict in "
            f"{move.new_name}.py, then delete it"
        )
    # The script is what Design Studio knows; the node's test module just moves with it.
    studio = design_studio_change(move) if "/actions/" in change.path else ""
    if change.action is regen.Action.CONFLICT:
        return (
            f"from {move.old_path}; your edits and the rename overlap: both kept between "
            f"<<<<<<< / >>>>>>> markers, and {move.old_path} until they are resolved"
            + (f"; {studio}" if studio else "")
        )
    said = [f"from {move.old_path}", *(["hand edits kept"] if change.edited else [])]
    return "; ".join([*said, *([studio] if studio else [])])


def design_studio_change(move) -> str:
    """What to change in Design Studio when a node is renamed: its Command, and its script."""
    node = f"node {move.number}" if move.number is not None else f"the {move.old_name} node"
    return (
        f"in Design Studio, set the Command of {node} to {move.new_name} and upload "
        f"{move.new_name}.py"
    )
