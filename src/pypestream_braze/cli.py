"""The command line: the only place that prints and chooses exit codes.

Exit codes: 0 done, 1 done but something needs a person (a conflict, an out-of-date
solution), 2 bad input (nothing was written).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import __version__
from .errors import Level, Location, Problem, PypestreamBrazeError, SpecError, UsageError
from .template import bundled_mapping, template_dir


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except SpecError as err:
        _print_problems(err.problems)
        errors = len(err.errors)
        print(f"{errors} error{'s' * (errors != 1)}; nothing was written", file=sys.stderr)
        return err.exit_code
    except PypestreamBrazeError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except RecursionError:
        print("error: the spec is nested too deeply to read", file=sys.stderr)
        return 2
    except OSError as err:  # a folder that cannot be created or written, a full disk
        print(f"error: {err.filename or ''}: {err.strerror}; nothing was written", file=sys.stderr)
        return 2
    except EOFError:
        print(
            "error: a question got no answer (end of input); use --no-input to take the "
            "spec's values; nothing was written",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pypestream-braze",
        description="Generate Pypestream solutions that talk to Braze, from a YAML mapping spec.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser("new", help="create a solution from a mapping spec")
    new.add_argument("--mapping", type=Path, help="the spec (default: the bundled partner example)")
    new.add_argument("--output-dir", type=Path, default=Path("."), help="where to create it")
    new.add_argument("--no-input", action="store_true", help="ask nothing; take the spec's values")
    new.add_argument("--force", action="store_true", help="replace an existing solution folder")
    new.set_defaults(run=_new)

    regen = commands.add_parser(
        "regen", help="update a solution after its mapping changed, keeping hand edits"
    )
    regen.add_argument("solution", type=Path, metavar="SOLUTION_DIR")
    regen.add_argument("--mapping", type=Path, help="the spec (default: SOLUTION_DIR/mapping.yaml)")
    regen.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    regen.add_argument("--diff", action="store_true", help="show a unified diff of every change")
    regen.add_argument(
        "--prune", action="store_true", help="delete files of removed nodes that were never edited"
    )
    regen.set_defaults(run=_regen)

    check = commands.add_parser(
        "check",
        help="validate a mapping spec (FILE), or tell whether a solution (DIR) is up to date",
    )
    check.add_argument("path", type=Path, metavar="FILE|SOLUTION_DIR")
    check.add_argument("--strict", action="store_true", help="count warnings as errors")
    check.set_defaults(run=_check)

    routing = commands.add_parser(
        "routing",
        help="print each node's number, command, endpoint, Parameter Input, outputs and routes",
    )
    routing.add_argument("solution", type=Path, metavar="SOLUTION_DIR")
    routing.set_defaults(run=_routing)

    schema = commands.add_parser("schema", help="print the JSON Schema of the mapping spec")
    schema.set_defaults(run=_schema)
    return parser


def _check(args) -> int:
    """Exit 0 when the spec has no errors (warnings are printed), 2 on any error.

    With --strict a warning counts as an error. Nothing is written.
    """
    from .spec import load_solution

    path: Path = args.path
    if path.is_dir():
        return _check_solution_folder(path, strict=args.strict)
    try:
        _, problems = load_solution(path)
    except SpecError as err:
        problems = err.problems
    except RecursionError:
        problems = [Problem(Location(str(path)), Level.ERROR, "the spec is nested too deeply")]
    except Exception as err:
        message = (
            f"could not check this spec ({type(err).__name__}: {err}); "
            "please report it with the file attached"
        )
        problems = [Problem(Location(str(path)), Level.ERROR, message)]
    for problem in problems:
        print(problem)
    failing = [p for p in problems if p.level is Level.ERROR or args.strict]
    return 2 if failing else 0


def _routing(args) -> int:
    """The routing summary of a solution, from its mapping.yaml and its assigned numbers."""
    from . import routing, state
    from .spec import load_solution

    root: Path = args.solution
    mapping = root / "mapping.yaml"
    if not mapping.is_file():
        raise UsageError(f"{root}: not a solution folder (no mapping.yaml)")
    recorded = state.read(root)
    solution, warnings = load_solution(mapping, None, recorded.node_numbers if recorded else None)
    _print_problems(warnings)
    sys.stdout.write(routing.summary(solution))
    return 0


def _schema(args) -> int:
    from .schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def _new(args) -> int:
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.main import cookiecutter

    from .generate import prepare

    mapping = (args.mapping or bundled_mapping()).resolve()
    if not mapping.exists():
        raise UsageError(f"{args.mapping}: no such mapping file")
    prepared = prepare(mapping)  # every problem is reported before a question is asked
    _print_problems(prepared.warnings)
    output_dir = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pypestream-braze-new-", dir=output_dir))
    try:
        with _isolated_cookiecutter(staging) as config_file:
            try:
                created = Path(
                    cookiecutter(
                        str(template_dir()),
                        no_input=args.no_input,
                        extra_context={"mapping": str(mapping)},
                        output_dir=str(staging / "out"),
                        config_file=str(config_file),
                        accept_hooks=True,
                    )
                )
            except FailedHookException:
                return 2  # the hook has printed what is wrong
            except CookiecutterException as err:
                raise UsageError(str(err)) from None
        target = output_dir / created.name
        if target.exists() and not args.force:
            raise UsageError(
                f"{target} already exists; run 'pypestream-braze regen {target}' to update it "
                "and keep its hand edits, or add --force to replace it"
            )
        if target.exists():
            os.replace(target, staging / "replaced")
        os.replace(created, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"created {target}")
    return 0


def _regen(args) -> int:
    from . import regen

    root = args.solution.resolve()
    mapping = args.mapping.resolve() if args.mapping else None
    planned = regen.plan(root, mapping, prune=args.prune)
    _print_problems(planned.warnings)
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


def _check_solution_folder(path: Path, strict: bool) -> int:
    """Exit 0 when a regen would change nothing, 1 otherwise; hand edits are named, not judged."""
    from .regen import check_solution

    result = check_solution(path.resolve())
    if result.state_missing:
        print("no generation state: run 'pypestream-braze regen' to record it")
    for change in result.would_change:
        print(f"would be {change.action.value}: {change.path}")
    for relative in result.unresolved:
        print(f"unresolved conflict markers: {relative}")
    for relative in result.edited:
        print(f"hand-edited: {relative}")
    for relative in result.orphans:
        print(f"orphaned (no longer generated): {relative}")
    if result.up_to_date:
        print("up to date")
        return 0
    if result.would_change or result.state_missing:
        print(f"out of date: run 'pypestream-braze regen {path}'")
    if result.unresolved:
        print("resolve the conflict markers by hand, then check again")
    return 1


@contextlib.contextmanager
def _isolated_cookiecutter(folder: Path):
    """A cookiecutter config whose replay and cache stay in folder, and temp files too.

    cookiecutter writes a replay file under ~ on every run and leaves its rendered hook scripts
    in the temp folder; both go into folder, which the caller removes. Its logger is quiet: a
    failing hook has said what is wrong, and cookiecutter would add a traceback.
    """
    config = folder / "cookiecutter-config.yaml"
    config.write_text(
        f"replay_dir: {str(folder / 'replay')!r}\ncookiecutters_dir: {str(folder / 'cache')!r}\n",
        encoding="utf-8",
    )
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    logger = logging.getLogger("cookiecutter")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield config
    finally:
        tempfile.tempdir = previous
        logger.setLevel(level)


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
