"""`new`: a solution from a mapping spec, through the bundled cookiecutter template."""

from __future__ import annotations

import contextlib
import logging
import tempfile
from pathlib import Path

from ..errors import UsageError
from .output import print_problems
from .template import bundled_mapping, template_dir


def run(args) -> int:
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.main import cookiecutter

    from ..solution import swap
    from ..solution.generate import prepare

    mapping = (args.mapping or bundled_mapping()).resolve()
    if not mapping.exists():
        raise UsageError(f"{args.mapping}: no such mapping file")
    prepared = prepare(mapping)  # every problem is reported before a question is asked
    print_problems(prepared.warnings)
    output_dir = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    staging, recovered = swap.make_staging(output_dir)  # after what a killed `new` left there
    print_problems(recovered)
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
        swap.replace_folder(created, target, staging)  # the target is never missing
    finally:
        swap.remove_staging(staging)
    print(f"created {target}")
    return 0


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
