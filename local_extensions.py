"""The template's Jinja extension: defaults from the chosen mapping spec, and input kept as data."""

import sys
from pathlib import Path

from jinja2.ext import Extension

TEMPLATE_DIR = Path(__file__).resolve().parent

try:
    from pypestream_braze.cli import cookiecutter_hooks
except ImportError:  # a source checkout used as a template without installing the package
    sys.path.insert(0, str(TEMPLATE_DIR / "src"))
    from pypestream_braze.cli import cookiecutter_hooks


class SpecExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        self._input = cookiecutter_hooks.LiteralInput(environment, TEMPLATE_DIR)
        environment.filters["mapping_file"] = lambda value: cookiecutter_hooks.resolve_mapping(
            value, TEMPLATE_DIR
        )
        environment.filters["spec_default"] = cookiecutter_hooks.spec_default
        environment.filters["solution_slug"] = cookiecutter_hooks.solution_slug
        cookiecutter_hooks.quiet_failed_hooks()

    def preprocess(self, source, name, filename=None):
        # Answers and extra context are data: only the template's own text is rendered.
        return self._input.preprocess(source, name)
