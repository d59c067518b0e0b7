"""What the cookiecutter hooks and extension call: the same engine as the CLI.

The hooks in the template's hooks/ folder stay a few lines long; everything that can go wrong
is here, where it is tested. Messages go to stderr and the hooks exit non-zero, so cookiecutter
removes the folder it created and nothing half-made is left behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import PypestreamBrazeError, SpecError
from ..mapping import answers, source
from ..mapping.naming import is_package_name, package_name
from ..solution.generate import prepare, write_new

BUNDLED_MAPPING = "mappings/partner_example.yaml"


def resolve_mapping(value: str, template_dir: Path) -> str:
    """An absolute path: as given, else relative to the template (for the bundled default)."""
    path = Path(value).expanduser()
    if not path.is_absolute() and not path.exists() and (template_dir / path).exists():
        path = template_dir / path
    return str(path.resolve())


def spec_default(mapping_file: str, question: str) -> str:
    """The mapping's own answer to a question, or '' when it has none or cannot be read."""
    try:
        return answers.defaults(source.load(mapping_file))[question]
    except (PypestreamBrazeError, OSError):
        return ""


def solution_slug(solution: str, mapping_file: str) -> str:
    """The solution's folder (and package) name: the spec's `package`, else from the name."""
    package = spec_default(mapping_file, "package")
    return package if is_package_name(package) else package_name(solution)


def _answers(context: dict) -> dict[str, str]:
    return {q: str(context[q]) for q in answers.QUESTIONS if q in context}


def _conventions(context: dict) -> str | None:
    """The team conventions file given on the command line (`new --conventions`), if any."""
    return str(context.get("_conventions") or "") or None


def _target(context: dict, project_dir: str) -> Path:
    """Where the solution will live: `new` generates it elsewhere and moves it (_destination)."""
    project = Path(project_dir)
    destination = str(context.get("_destination") or "")
    return Path(destination, project.name) if destination else project


def pre_gen(context: dict) -> int:
    try:
        prepared = prepare(
            context["__mapping_file"], _answers(context), conventions=_conventions(context)
        )
    except SpecError as err:
        print(f"{err}\nnothing was generated", file=sys.stderr)
        return 1
    for warning in prepared.warnings:
        print(warning, file=sys.stderr)
    return 0


def post_gen(context: dict, project_dir: str) -> int:
    try:
        prepared = prepare(
            context["__mapping_file"],
            _answers(context),
            conventions=_conventions(context),
            target=_target(context, project_dir),
        )
        write_new(Path(project_dir), prepared)
    except PypestreamBrazeError as err:
        print(f"{err}\nnothing was generated", file=sys.stderr)
        return 1
    return 0
