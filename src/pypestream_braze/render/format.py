"""Generated Python formatted with black, in process and pinned (see pyproject.toml).

Formatting happens before anything is hashed, compared or merged, so a solution's files, its
baselines and a fresh render all share one form.
"""

from __future__ import annotations

from functools import lru_cache

import black

# black's default line length, so `black --check` passes on a solution with or without its
# pyproject.toml; Python 3.8 as the oldest target, since Pypestream does not publish its own.
MODE = black.Mode(target_versions={black.TargetVersion.PY38})


class GeneratedCodeError(Exception):
    """A template produced Python that does not parse: a bug in the generator, never the spec."""


def format_python(source: str, path: str = "<generated>") -> str:
    try:
        return _format(source)
    except black.InvalidInput as err:
        raise GeneratedCodeError(f"{path}: generated code does not parse: {err}") from err


def format_python_parts(parts: list[str], path: str = "<generated>") -> str:
    """One module from parts that each hold whole top-level statements.

    black lays out top-level statements independently, except for the blank lines between
    them: two before and after a top-level def or class, which is how the parts are joined.
    A part shared by many modules is formatted once.
    """
    return "\n\n".join(format_python(part, path) for part in parts if part.strip())


@lru_cache(maxsize=512)
def _format(source: str) -> str:
    return black.format_str(source, mode=MODE)
