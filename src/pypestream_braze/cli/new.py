"""`new`: a solution from a mapping spec, through the bundled cookiecutter template.

The spec is read, validated and rendered once, here; cookiecutter then makes the folder from
the template (its hooks are not run: they would do the same work again in two more processes)
and the engine writes the solution into it, as the template's post_gen hook does for
`cookiecutter <repo>`. Every value handed to cookiecutter is data: the template's extension
renders nothing but the template's own text.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from . import config, generator_source
from .output import print_problems, say
from .progress import progress
from .template import bundled_mapping, template_dir

HELP = "create a solution from a mapping spec"


def arguments(parser) -> None:
    parser.add_argument(
        "--mapping", type=Path, help="the spec (default: the bundled partner example)"
    )
    parser.add_argument(
        "--output-dir", type=Path, default=Path("."), help="the folder to create it in"
    )
    parser.add_argument(
        "--no-input", action="store_true", help="ask nothing; take the spec's values"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing solution folder")
    parser.add_argument(
        "--conventions",
        type=Path,
        metavar="FILE",
        help="the team's conventions file (default: the one the spec names, if any)",
    )
    config.add_argument(parser)


def run(args) -> int:
    output_dir: Path = args.output_dir
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(
            "not a folder; --output-dir takes the folder to create the solution in",
            path=output_dir,
        )
    shown: set[str] = set()
    if args.no_input:
        mapping, answered = args.mapping or bundled_mapping(), None
    else:
        from .questions import ask

        asked = ask(args.mapping, bundled_mapping())
        mapping, answered = asked.mapping, asked.answers
        shown = {str(warning) for warning in asked.warnings}
    with progress(f"generating the solution from {mapping}"):
        name = _create(Path(mapping), answered, shown, output_dir, args)
    say(f"created {output_dir / name}")
    return 0


def _create(mapping: Path, answered, shown: set[str], output_dir: Path, args) -> str:
    """Generate the solution into output_dir; its folder's name."""
    from ..solution import swap
    from ..solution.generate import prepare, write_new

    prepared = prepare(mapping, answered, conventions=args.conventions, parent=output_dir)
    force = args.force
    print_problems([w for w in prepared.warnings if str(w) not in shown])
    _refuse_existing(output_dir / prepared.solution.package, force)
    output_dir.mkdir(parents=True, exist_ok=True)
    staging, recovered = swap.make_staging(output_dir)  # after what a killed `new` left there
    print_problems(recovered)
    try:
        created = _bake(staging, mapping, prepared)
        write_new(created, prepared)
        generator_source.write_if_missing(created)
        target = output_dir.resolve() / created.name
        _refuse_existing(target, force)
        swap.replace_folder(created, target, staging)  # the target is never missing
    finally:
        swap.remove_staging(staging)
    return created.name


def _refuse_existing(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise UsageError(
            f"already exists; run 'pypestream-braze regen {target}' to update it and keep its "
            "hand edits, or add --force to replace it",
            path=target,
        )


def _bake(staging: Path, mapping: Path, prepared) -> Path:
    """The template's folder for this solution, made by cookiecutter inside staging."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.main import cookiecutter

    # cookiecutter writes a replay file under ~ on every run; it goes into staging instead.
    config = staging / "cookiecutter-config.yaml"
    config.write_text(
        f"replay_dir: {str(staging / 'replay')!r}\n"
        f"cookiecutters_dir: {str(staging / 'cache')!r}\n",
        encoding="utf-8",
    )
    try:
        return Path(
            cookiecutter(
                str(template_dir()),
                no_input=True,
                extra_context=_context(mapping, prepared),
                output_dir=str(staging / "out"),
                config_file=str(config),
                accept_hooks=False,
            )
        )
    except CookiecutterException as err:
        raise UsageError(str(err), path=template_dir()) from None


def _context(mapping: Path, prepared) -> dict[str, str]:
    """Every variable of cookiecutter.json, so none of its defaults reads the spec again."""
    solution = prepared.solution
    instances = {env.name: env.instance or env.url for env in solution.environments}
    resolved = str(mapping.resolve())
    return {
        "mapping": resolved,
        "__mapping_file": resolved,
        "customer": solution.customer,
        "solution": solution.solution,
        "sandbox_instance": instances.get("sandbox", ""),
        "live_instance": instances.get("live", ""),
        "__solution_slug": solution.package,
    }
