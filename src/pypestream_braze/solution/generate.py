"""The engine: a mapping file in, a solution's files on disk out.

Both front doors use it: `pypestream-braze new` and the cookiecutter hooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import Problem
from ..mapping import answers, source
from ..mapping.reader import load_solution
from ..mapping.schema import schema_text
from ..model import Solution
from ..render.files import render_solution
from . import lock, state, transaction
from .fingerprint import generator_fingerprint

SCHEMA_FILE = "schema.json"


@dataclass(frozen=True)
class Prepared:
    solution: Solution
    mapping_text: str
    warnings: list[Problem]
    files: dict[str, str]


def prepare(
    mapping: str | Path,
    answered: Mapping[str, str] | None = None,
    assigned_numbers: Mapping[str, int] | None = None,
) -> Prepared:
    """Read, answer, validate and render; raises SpecError and writes nothing on bad input.

    assigned_numbers: node numbers assigned by an earlier generation (the solution's state),
    kept so a regen never renumbers a node whose spec gives no routing.node.
    """
    path = str(mapping)
    text = source.read(mapping)
    if answered:
        text = answers.apply(text, path, answered)
    solution, warnings = load_solution(path, text, assigned_numbers)
    files = render_solution(solution, text)
    # Next to mapping.yaml, so editors complete and check it (`$schema=./schema.json`).
    files[SCHEMA_FILE] = schema_text()
    return Prepared(solution, text, warnings, dict(sorted(files.items())))


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
        generator_sha256=generator_fingerprint(),
        spec_warnings=state.spec_warnings(prepared.warnings),
    )
    held = lock.acquire(root)
    try:
        transaction.recover(root)
        transaction.apply(root, {**prepared.files, **state.files_for(record, prepared.files)})
    finally:
        held.release()
