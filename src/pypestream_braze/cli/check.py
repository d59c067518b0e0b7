"""`check FILE...` validates specs; `check SOLUTION_DIR...` tells whether solutions are up to date.

Every finding names its file: problems in a spec on stderr (`file:line:col: level: message`),
what a solution check finds on stdout (`path: finding: detail`), and one closing line per
path that says what was checked. Nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PypestreamBrazeError, SpecError, UsageError
from .output import plural, print_problems, report, say
from .progress import progress


def run(args) -> int:
    """The worst outcome of all paths: 0 fine, 1 a solution needs a regen or a look, 2 errors.

    Several paths, or a folder holding solutions, are checked in parallel, one line each.
    """
    from . import fleet

    if fleet.wanted(args.paths):
        if args.flow is not None:  # --flow
            raise UsageError("--flow checks one spec or solution at a time against the export")
        return fleet.check(args)
    flow = _read_flow(args.flow)  # --flow
    outcome = 0
    with progress("checking", total=len(args.paths) if len(args.paths) > 1 else None) as shown:
        for path in args.paths:
            shown.describe(f"checking {path}")
            outcome = max(outcome, _check(path, args.strict, args.conventions, flow))
            shown.advance()
    return outcome


def _check(path: Path, strict: bool, conventions: Path | None, flow=None) -> int:
    try:
        if path.is_dir():
            return _check_solution_folder(path, strict, conventions, flow)
        return _check_spec(path, strict, conventions, flow)
    except SpecError as err:
        print_problems(err.problems)
        return 2
    except PypestreamBrazeError as err:
        report(getattr(err, "path", None) or path, "error", str(err))
        return 2
    except RecursionError:
        report(path, "error", "the spec is nested too deeply to read")
        return 2
    except OSError as err:
        report(err.filename or path, "error", err.strerror or str(err))
        return 2


def _check_spec(path: Path, strict: bool, conventions: Path | None, flow=None) -> int:
    """0 when the spec has no errors (warnings are printed), 2 otherwise; --strict: no warnings."""
    from ..mapping.load import load_spec

    loaded = load_spec(path, conventions=conventions)
    solution, warnings = loaded.solution, loaded.warnings
    if flow is not None:  # --flow: the flow's errors raised, its warnings added
        warnings = _in_flow().spec_warnings(path, loaded, flow)
    print_problems(warnings)
    if warnings and strict:
        return 2
    endpoints = ", ".join(endpoint.path for endpoint in solution.endpoints)
    nodes = plural(len(solution.nodes), "node")
    used = f"{plural(len(solution.endpoints), 'endpoint')} ({endpoints})"
    found = plural(len(warnings), "warning") if warnings else "no warnings"
    say(f"{path}: ok: {nodes}, {used}, {found}")
    return 0


# What a regen would do to a file, as check reports it.
_WOULD = {
    "created": "regen would create it",
    "updated": "regen would update it",
    "merged": "regen would merge the mapping's change into your edits",
    "conflict": "regen would find your edits and the mapping's change overlapping",
}


def _check_solution_folder(path: Path, strict: bool, conventions: Path | None, flow=None) -> int:
    """0 when a regen would change nothing and every edited node still builds its request.

    With --strict, warnings in its mapping (team naming conventions among them) fail it: 2.
    """
    from ..solution.fleet import notes
    from ..solution.regen import check_solution

    if not (path / "mapping.yaml").is_file():
        raise PypestreamBrazeError(
            "not a solution folder (it has no mapping.yaml); check takes a mapping spec or a "
            "folder made by 'pypestream-braze new'",
            path=path,
        )
    result = check_solution(path.resolve(), conventions)
    print_problems(result.notes)  # an interrupted command finished or undone first
    for note in notes(result):
        say(f"{path}: note: {note}")
    if flow is not None:  # --flow: the flow's errors raised (with --strict, its warnings too)
        print_problems(_in_flow().folder_warnings(path, flow, conventions, strict))
    if strict and result.warnings:
        print_problems(result.warnings)
        report(path, "error", f"{plural(len(result.warnings), 'warning')} with --strict")
        return 2
    if result.state_missing:
        say(f"{path}: out of date: no generation state; regen records it")
    for change in result.would_change:
        would = _WOULD.get(change.action.value, "regen would change it")
        say(f"{path / change.path}: out of date: {would}")
    for relative in result.unresolved:
        say(f"{path / relative}: conflict: unresolved conflict markers; resolve them by hand")
    # The mapping is the one file the workflow edits: a change there is "out of date", not a
    # hand edit of generated code.
    edited = [relative for relative in result.edited if relative != "mapping.yaml"]
    for relative in edited:
        say(f"{path / relative}: edited: differs from what was generated; regen keeps the edits")
    for relative in result.orphans:
        say(f"{path / relative}: orphaned: no longer generated; kept")
    if not result.up_to_date:
        if result.would_change or result.state_missing:
            say(f"{path}: out of date: run 'pypestream-braze regen {path}'")
        return 1
    drifted = _drift(path, edited)
    if drifted:
        nodes = plural(len({d.path for d in drifted}), "hand-edited node")
        verb = "builds" if len({d.path for d in drifted}) == 1 else "build"
        say(f"{path}: drift: {nodes} no longer {verb} the request the mapping describes")
        return 1
    summary = _generated(path)
    if edited:
        summary += f", {len(edited)} hand-edited"
    say(f"{path}: up to date: {summary}")
    return 0


def _drift(path: Path, edited: list[str]):
    """Print and return the drift of edited nodes (none to look at: nothing is read)."""
    if not any("/actions/" in relative for relative in edited):
        return []
    from ..mapping.load import load_spec
    from .drift import node_drift

    solution = load_spec(path / "mapping.yaml").solution
    drifted = node_drift(path.resolve(), solution, edited)
    for found in drifted:
        say(f"{path / found.path}: drift: {found.message}")
    return drifted


def _generated(path: Path) -> str:
    """How many nodes and files the generation state records."""
    from ..solution import state

    recorded = state.read(path.resolve())
    files = list(recorded.files) if recorded else []
    nodes = [f for f in files if "/actions/" in f and not f.endswith("/__init__.py")]
    return f"{plural(len(nodes), 'node')}, {plural(len(files), 'generated file')}"


# -- --flow EXPORT.csv (solution/flow.py) ------------------------------------------------------


def _in_flow():
    from ..solution import flow

    return flow


def _read_flow(path: Path | None):
    return None if path is None else _in_flow().read(path)
