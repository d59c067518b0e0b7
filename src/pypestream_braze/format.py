"""Generated Python formatted with black, in process and pinned (see pyproject.toml).

Formatting happens before anything is hashed, compared or merged, so a solution's files, its
baselines and a fresh render all share one form.
"""

from __future__ import annotations

import black

# black's defaults, so `black --check` passes on a solution with or without its pyproject.toml.
MODE = black.Mode(target_versions={black.TargetVersion.PY38})


class GeneratedCodeError(Exception):
    """A template produced Python that does not parse: a bug in the generator, never the spec."""


def format_python(source: str, path: str = "<generated>") -> str:
    try:
        return black.format_str(source, mode=MODE)
    except black.InvalidInput as err:
        raise GeneratedCodeError(f"{path}: generated code does not parse: {err}") from err
