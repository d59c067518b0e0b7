"""`regen SOLUTION_DIR...`: bring solutions up to date with their mappings, keeping hand edits.

Like black and ruff, `--diff` and `--check` only look: with them, or with `--dry-run`, nothing
is written. Otherwise the work is done first and reported after, so a reader that stops
listening early (`regen | head -1`) changes nothing about what is written or the exit code.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PypestreamBrazeError, SpecError, UsageError
from . import generator_source
from .output import plural, print_problems, report, say
from .progress import progress


def run(args) -> int:
    """The worst outcome: 0 done, 1 a conflict (or, with --check, a change to make), 2 errors."""
    if args.mapping and len(args.solutions) > 1:
        raise UsageError(
            "--mapping applies to one solution; give one SOLUTION_DIR with it", path=args.mapping
        )
    from . import fleet

    if fleet.wanted(args.solutions):  # several, or a folder holding solutions: in parallel
        return fleet.regen(args)
    many = len(args.solutions) > 1
    outcome = 0
    with progress("regenerating", total=len(args.solutions) if many else None) as shown:
        for root in args.solutions:
            shown.describe(f"regenerating {root}")
            outcome = max(outcome, _regen(root, args, many))
            shown.advance()
    return outcome


def _regen(root: Path, args, many: bool) -> int:
    from ..solution import regen

    writes = not (args.dry_run or args.diff or args.check)
    untouched = f"; nothing was written to {root}" if many else "; nothing was written"
    try:
        if not root.is_dir():
            raise UsageError("no such solution folder", path=root)
        mapping = args.mapping if args.mapping else root / "mapping.yaml"
        if args.mapping and not mapping.is_file():
            raise UsageError("no such mapping file", path=mapping)
        if not mapping.is_file():
            raise UsageError("not a solution folder (it has no mapping.yaml)", path=root)
        planned = regen.plan(
            root.resolve(), mapping.resolve(), prune=args.prune, conventions=args.conventions
        )
        print_problems(planned.warnings)
        added = False
        if writes and not planned.nothing_to_write:
            regen.apply(root.resolve(), planned)
            added = generator_source.write_if_missing(root)
    except SpecError as err:
        if not many:
            raise
        print_problems(err.problems)
        report(root, "note", f"{plural(len(err.errors), 'error')} in its mapping{untouched}")
        return 2
    except (PypestreamBrazeError, OSError) as err:
        if not many:
            raise
        path = getattr(err, "path", None) or getattr(err, "filename", None) or root
        report(path, "error", f"{getattr(err, 'strerror', None) or err}{untouched}")
        return 2
    return _report(root, planned, args, writes, many, added)


def _report(root: Path, planned, args, writes: bool, many: bool, added: bool) -> int:
    from ..solution import regen

    counts: dict[str, int] = {}
    if added:  # not generated output: the requirement naming this generator, see its module
        counts["created"] = 1
        shown = root / generator_source.FILE if many else generator_source.FILE
        say(f"{'created':<9} {shown}  (where pip finds pypestream-braze; yours to edit)")
    for change in planned.changes:
        if change.action is regen.Action.UNCHANGED:
            continue
        counts[change.action.value] = counts.get(change.action.value, 0) + 1
        note = _change_note(change, args.prune)
        shown = root / change.path if many else change.path
        say(f"{change.action.value:<9} {shown}" + (f"  ({note})" if note else ""))
        if args.diff and change.diff:
            say(change.diff.rstrip("\n"))
    where = f"{root}: " if many else ""
    if planned.nothing_to_write:
        say(f"{where}up to date; nothing written")
    else:
        summary = ", ".join(f"{n} {action}" for action, n in counts.items())
        verb = "done" if writes else "dry run, nothing written; would be"
        say(f"{where}{verb}: {summary or 'generation state refreshed'}")
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
