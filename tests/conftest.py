"""Fixtures: generate a solution into a folder and import its nodes for real."""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import sys
import tempfile

import pytest
from helpers import PARTNER_EXAMPLE, Solution, write_files

from pypestream_braze.solution.generate import prepare

# Generation keeps formatted code in the user's cache folder; the tests, and the commands they
# run, use a folder of their own.
if "PYPESTREAM_BRAZE_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="pypestream-braze-test-cache-")
    os.environ["PYPESTREAM_BRAZE_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)


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
