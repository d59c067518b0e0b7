"""`regen SOLUTION_DIR...`: bring solutions up to date with their mappings, keeping hand edits.

Like black and ruff, `--diff` and `--check` only look: with them, or with `--dry-run`, nothing
is written. Otherwise the work is done first and reported after, so a reader that stops
listening early (`regen | head -1`) changes nothing about what is written or the exit code.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .output import plural, print_problems, report, say
from .progress import progress


def run(args) -> int:
    """The worst outcome: 0 done, 1 a conflict (or, with --check, a change to make), 2 errors.

    Several solutions, or a folder holding some, are regenerated in parallel, one line each.
    """
    from . import fleet

    if fleet.wanted(args.solutions):
        return fleet.regen(args)
    (root,) = args.solutions
    with progress(f"regenerating {root}"):
        planned, writes = _regen(root, args)
    return _report(planned, args, writes)


def _regen(root: Path, args):
    from ..solution import regen

    writes = not (args.dry_run or args.diff or args.check)
    if not root.is_dir():
        raise UsageError("no such solution folder", path=root)
    mapping = args.mapping if args.mapping else root / "mapping.yaml"
    if args.mapping and not mapping.is_file():
        raise UsageError("no such mapping file", path=mapping)
    if not mapping.is_file():
        raise UsageError("not a solution folder (it has no mapping.yaml)", path=root)
    # The solution's own mapping.yaml is read by the solution layer, which refuses a link.
    given = args.mapping.resolve() if args.mapping else None
    planned = regen.plan(root.resolve(), given, prune=args.prune, conventions=args.conventions)
    print_problems(planned.warnings)
    if writes and not planned.nothing_to_write:
        regen.apply(root.resolve(), planned)
    else:
        planned.release()
    return planned, writes


def _report(planned, args, writes: bool) -> int:
    from ..solution import regen

    root = planned.root
    counts: dict[str, int] = {}
    for change in planned.changes:
        if change.action is regen.Action.UNCHANGED:
            continue
        counts[change.action.value] = counts.get(change.action.value, 0) + 1
        note = _change_note(change, args.prune)
        say(f"{change.action.value:<9} {change.path}" + (f"  ({note})" if note else ""))
        if args.diff and change.diff:
            say(change.diff.rstrip("\n"), raw=True)
    if planned.nothing_to_write:
        say("up to date; nothing written")
    else:
        summary = ", ".join(f"{n} {action}" for action, n in counts.items())
        verb = "done" if writes else "dry run, nothing written; would be"
        say(f"{verb}: {summary or 'generation state refreshed'}")
    for relative in planned.unresolved:
        report(root / relative, "warning", "conflict markers from an earlier regen; resolve them")
    conflicts = len(planned.conflicts) + len(planned.unresolved)
    if conflicts:
        report(
            root,
            "warning",
            f"{plural(conflicts, 'file')} with conflicts: resolve the marked lines by hand",
        )
        return 1
    if args.check and not planned.nothing_to_write:
        return 1
    return 0


def _change_note(change, prune: bool) -> str:
    action = change.action.value
    if action == "orphaned" and change.edited:
        return "no longer generated, hand-edited: kept"
    if action == "orphaned":
        return "no longer generated: kept" + ("" if prune else "; --prune deletes it")
    return {
        "conflict": "edits and changes overlap: both kept between <<<<<<< / >>>>>>> markers",
        "merged": "hand edits kept",
        "pruned": "no longer generated, never edited: deleted",
    }.get(action, "")
