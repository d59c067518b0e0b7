"""What the cookiecutter template calls: the same engine as the CLI, for `cookiecutter <repo>`.

The template's files stay a few lines long; everything that can go wrong is here, where it is
tested:

- `post_gen` reads, validates, renders and writes the solution in the one hook process
  (cookiecutter runs each hook as a process of its own, so doing it once is the cheap way).
  Problems go to stderr and the hook exits non-zero, so cookiecutter removes the folder it
  created and nothing half-made is left behind.
- `LiteralInput` makes every value that is not the template's own text plain data: cookiecutter
  renders extra context, config defaults and `key=value` arguments as Jinja templates, so a
  path such as `{{ 7*7 }}.yaml` would otherwise be evaluated.
- `quiet_failed_hooks` drops cookiecutter's traceback after a failing hook, whose own message
  has already said what is wrong.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path

from ..errors import PypestreamBrazeError
from ..mapping import answers, source
from ..mapping.naming import is_package_name, package_name
from ..solution.outcome import failure
from . import generator_source, show
from .output import print_problems

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
        stat = os.stat(mapping_file)
        return _defaults(mapping_file, stat.st_mtime_ns, stat.st_size)[question]
    except (PypestreamBrazeError, OSError, RecursionError):
        return ""


@functools.lru_cache(maxsize=8)
def _defaults(mapping_file: str, mtime_ns: int, size: int) -> dict[str, str]:
    # Every question's default reads the same spec: it is parsed once per version of the file.
    return answers.defaults(source.load(mapping_file))


def solution_slug(solution: str, mapping_file: str) -> str:
    """The solution's folder (and package) name: the spec's `package`, else from the name."""
    package = spec_default(mapping_file, "package")
    return package if is_package_name(package) else package_name(solution)


def _answers(context: dict) -> dict[str, str]:
    return {q: str(context[q]) for q in answers.QUESTIONS if q in context}


def post_gen(context: dict, project_dir: str) -> int:
    """Generate the solution into the folder cookiecutter made; 1 (and a message) on bad input."""
    from ..solution.generate import prepare, write_new

    mapping = context["__mapping_file"]
    try:
        prepared = prepare(mapping, _answers(context), target=Path(project_dir))
        print_problems(prepared.warnings)
        write_new(Path(project_dir), prepared)
        generator_source.write_if_missing(Path(project_dir))
    except Exception as err:  # the same table and the same words as the command line's
        outcome = failure(Path(mapping), err)
        show.detail(outcome, "new")
        return 1  # cookiecutter then removes the folder it made
    return 0


class LiteralInput:
    """Jinja preprocessing that lets only the template's own text be a template.

    Anything else that reaches the environment (an answer, an extra-context value, a config
    default) is replaced by a reference to itself, so it renders to exactly its own text.
    """

    def __init__(self, environment, template_dir: Path):
        self.environment = environment
        self.trusted = template_text(template_dir)

    def preprocess(self, text: str, name: str | None) -> str:
        if name is not None or text in self.trusted:  # a named template is a template file
            return text
        key = f"_pypestream_braze_input_{len(self.environment.globals)}"
        self.environment.globals[key] = text
        return "{{ " + key + " }}"


@functools.lru_cache(maxsize=4)
def template_text(template_dir: Path) -> frozenset[str]:
    """Every text of the template that cookiecutter renders from a string (not a file)."""
    with open(template_dir / "cookiecutter.json", encoding="utf-8") as handle:
        texts = set(_strings(json.load(handle)))
    hooks = template_dir / "hooks"
    if hooks.is_dir():
        texts.update(p.read_text(encoding="utf-8") for p in hooks.iterdir() if p.is_file())
    texts.update(p.name for p in template_dir.iterdir() if "{{" in p.name)
    return frozenset(texts)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class _FailedHookTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        failed = record.exc_info[1] if record.exc_info else None
        return type(failed).__name__ != "FailedHookException"


def quiet_failed_hooks() -> None:
    """cookiecutter logs a traceback when a hook fails; ours has printed the reason already."""
    logger = logging.getLogger("cookiecutter.hooks")
    if not any(isinstance(f, _FailedHookTraceback) for f in logger.filters):
        logger.addFilter(_FailedHookTraceback())
