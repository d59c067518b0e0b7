"""The engine: a mapping file in, a solution's files on disk out.

Both front doors use it: `pypestream-braze new` and the cookiecutter hooks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import Problem
from ..mapping import answers, source
from ..mapping.load import load_spec, relocate
from ..mapping.schema import schema_text
from ..model import Solution
from ..render import team
from ..render.files import render_solution
from . import endings, lock, state, transaction
from .fingerprint import generator_fingerprint

SCHEMA_FILE = "schema.json"


@dataclass(frozen=True)
class Prepared:
    solution: Solution
    mapping_text: str
    warnings: list[Problem]
    files: dict[str, str]
    conventions_sha256: str | None = None  # the team conventions it was generated under


def prepare(
    mapping: str | Path,
    answered: Mapping[str, str] | None = None,
    assigned_numbers: Mapping[str, int] | None = None,
    conventions: str | Path | None = None,
    target: Path | None = None,
    parent: Path | None = None,
) -> Prepared:
    """Read, answer, validate and render; raises SpecError and writes nothing on bad input.

    assigned_numbers: node numbers assigned by an earlier generation (the solution's state),
    kept so a regen never renumbers a node whose spec gives no routing.node.
    conventions: the team's conventions file, instead of the one the spec names (if any).
    target: the solution folder the files are for; its mapping.yaml names the conventions
    relative to it. parent: the folder the solution will be created in, when target is not
    known yet (its name is the solution's package).
    """
    path = str(mapping)
    text = _schema_beside(endings.normalised(source.read(mapping)))
    if answered:
        text = answers.apply(text, path, answered)
    loaded = load_spec(path, text, assigned_numbers, conventions)
    team_conventions = loaded.conventions
    if target is None and parent is not None:
        target = parent / loaded.solution.package
    if team_conventions is not None and target is not None:
        text = relocate(text, path, team_conventions.file, target.resolve())
    if team_conventions is None:
        files = render_solution(loaded.solution, text)
    else:
        files = team.render(loaded.solution, text, team_conventions)
    # Next to mapping.yaml, so editors complete and check it (`$schema=./schema.json`).
    files[SCHEMA_FILE] = schema_text()
    return Prepared(
        loaded.solution,
        text,
        loaded.warnings,
        dict(sorted(files.items())),
        team_conventions.sha256 if team_conventions else None,
    )


# The YAML language server's schema comment: relative to the spec, which the solution's copy is not.
_SCHEMA_COMMENT = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(?!https?://)\S+", re.M)


def _schema_beside(text: str) -> str:
    """The spec's text with a relative $schema comment pointing at the solution's schema.json."""
    return _SCHEMA_COMMENT.sub(lambda found: found[1] + "./" + SCHEMA_FILE, text, count=1)


def write_new(root: Path, prepared: Prepared) -> None:
    """Write every file of a new solution into root, its state last, all or nothing.

    Under the solution's lock, after finishing or undoing any change a killed command left.
    """
    root.mkdir(parents=True, exist_ok=True)
    record = state.State(
        generator_version=__version__,
        spec_sha256=state.digest(prepared.mapping_text),
        files={path: state.digest(text) for path, text in prepared.files.items()},
        node_numbers=dict(prepared.solution.assigned_numbers),
        conventions_sha256=prepared.conventions_sha256,
        generator_sha256=generator_fingerprint(),
        spec_warnings=state.spec_warnings(prepared.warnings),
    )
    held = lock.acquire(root)
    try:
        transaction.recover(root)
        transaction.apply(root, {**prepared.files, **state.files_for(record, prepared.files)})
    finally:
        held.release()
