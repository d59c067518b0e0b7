"""`regen SOLUTION_DIR`: bring a solution up to date with its mapping, keeping hand edits."""

from __future__ import annotations

import sys

from .output import print_problems


def run(args) -> int:
    from ..solution import regen
    from . import fleet

    if fleet.wanted(args.solution):
        return fleet.regen(args)
    root = args.solution[0].resolve()
    mapping = args.mapping.resolve() if args.mapping else None
    planned = regen.plan(root, mapping, prune=args.prune, conventions=args.conventions)
    print_problems(planned.warnings)
    counts: dict[str, int] = {}
    for change in planned.changes:
        if change.action is regen.Action.UNCHANGED:
            continue
        counts[change.action.value] = counts.get(change.action.value, 0) + 1
        note = _change_note(change, args.prune)
        print(f"{change.action.value:<9} {change.path}" + (f"  ({note})" if note else ""))
        if args.diff and change.diff:
            print(change.diff, end="")
    if planned.nothing_to_write:
        print("up to date; nothing written")
    else:
        if not args.dry_run:
            regen.apply(root, planned)
        summary = ", ".join(f"{n} {action}" for action, n in counts.items())
        verb = "dry run, nothing written; would be" if args.dry_run else "done"
        print(f"{verb}: {summary or 'generation state refreshed'}")
    for relative in planned.unresolved:
        print(f"unresolved conflict markers left in {relative}", file=sys.stderr)
    if planned.conflicts or planned.unresolved:
        count = len(planned.conflicts) + len(planned.unresolved)
        print(
            f"{count} file{'s' * (count != 1)} with conflicts: resolve the marked lines by hand",
            file=sys.stderr,
        )
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
