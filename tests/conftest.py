"""Fixtures: generate a solution into a folder and import its nodes for real."""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE, Solution, write_files

from pypestream_braze.solution.generate import prepare

# Generation keeps formatted code in the user's cache folder; the tests, and the commands they
# run, use a folder of their own. Made before pytest-xdist starts its workers, which inherit the
# environment: they share it (as processes on a user's machine share one), so a piece is formatted
# once in the run, not once per worker.
if "PYPESTREAM_BRAZE_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="pypestream-braze-test-cache-")
    os.environ["PYPESTREAM_BRAZE_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)


# One grammar, two outputs: every spec the reader accepts anywhere in the suite must also be valid
# under the JSON Schema that editors use, or a user's editor would underline a valid spec.
_SCHEMA_VALIDATOR = None
_VALIDATED: set[int] = set()


def _schema_accepts(text: str, path) -> None:
    global _SCHEMA_VALIDATOR
    import jsonschema
    import yaml

    from pypestream_braze.mapping.schema import schema

    if hash(text) in _VALIDATED:
        return
    if _SCHEMA_VALIDATOR is None:
        _SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(schema())
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message[:300]}"
        for error in _SCHEMA_VALIDATOR.iter_errors(yaml.safe_load(text))
    ]
    assert not errors, f"check accepts {path}, the JSON Schema does not: {errors}"
    _VALIDATED.add(hash(text))


def _validating(load_solution):
    import yaml

    def load(path, text=None, assigned_numbers=None, inherited=None, composed=None):
        kwargs = {} if inherited is None else {"inherited": inherited}
        result = load_solution(path, text, assigned_numbers, composed=composed, **kwargs)
        if composed is not None:
            text = composed.text
        elif text is None:
            text = Path(path).read_text(encoding="utf-8")
        if inherited is None or "conventions" in (yaml.safe_load(text) or {}):
            _schema_accepts(text, path)  # (with --conventions FILE the spec alone says less)
        return result

    return load


def _validate_every_accepted_spec() -> None:
    from pypestream_braze.cli import questions
    from pypestream_braze.mapping import load, reader

    checked = _validating(reader.load_solution)
    for module in (reader, load, questions):
        module.load_solution = checked


_validate_every_accepted_spec()


def pytest_xdist_auto_num_workers(config) -> int:
    """Three workers for two cores: many tests wait (a node's time budget, a solution's own suite
    or a pip install in a process of its own) and a core should not idle while one does; more
    workers than that cost more in starting and collecting than the waits give back (CONTRIBUTING
    has the figures)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + ((cores or 1) + 1) // 2


def pytest_collection_modifyitems(items) -> None:
    # The slow tests first: the one taken last would hold the run up long after the others.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _forget(package: str) -> None:
    for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[loaded]


@pytest.fixture
def generate(tmp_path, monkeypatch):
    """generate(mapping path or YAML text) -> Solution, importable; forgotten after the test."""
    imported: list[str] = []

    def _generate(mapping=PARTNER_EXAMPLE, name="mapping.yaml") -> Solution:
        if isinstance(mapping, str) and "\n" in mapping:
            path = tmp_path / name
            path.write_text(mapping, encoding="utf-8")
            mapping = path
        prepared = prepare(mapping)
        root = write_files(tmp_path / "solution", prepared.files)
        package = prepared.solution.package
        _forget(package)
        monkeypatch.syspath_prepend(str(root))
        importlib.invalidate_caches()
        imported.append(package)
        return Solution(root, package)

    yield _generate
    for package in imported:
        _forget(package)
