"""The generated partner-example solution, byte for byte, and as code: it compiles and lints.

Regenerate the golden files only on purpose:  UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE, write_files

from pypestream_braze.solution.generate import prepare

GOLDEN = Path(__file__).parent / "golden" / "partner_example"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    generated = prepare(PARTNER_EXAMPLE).files
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        write_files(GOLDEN, generated)
    return generated


def test_matches_golden_files(files):
    on_disk = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert sorted(on_disk) == sorted(files), "set UPDATE_GOLDEN=1 to accept a change"
    for path, text in files.items():
        assert on_disk[path] == text, f"{path} differs; set UPDATE_GOLDEN=1 to accept the change"


def test_generation_is_deterministic(files):
    assert prepare(PARTNER_EXAMPLE).files == files


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", "."],
        ["black", "--check", "--quiet", "."],
        ["compileall", "-q", "."],
    ],
    ids=["ruff", "black", "compiles"],
)
def test_golden_solution_is_clean_python(files, command):
    module, *args = command
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=GOLDEN,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.rmtree(GOLDEN / "__pycache__", ignore_errors=True)
    for cache in GOLDEN.rglob("__pycache__"):
        shutil.rmtree(cache)


def test_api_keys_come_from_the_environment_only(files):
    app = files["acme_claims/app.py"]
    assert app.count('"braze_api_key": os.environ.get("BRAZE_API_KEY_') == 2
    assert 'braze_api_key": "' not in app


def test_every_golden_module_is_black_clean_as_a_whole():
    """Nodes are formatted in parts (format.py); the whole must be what black would make."""
    import black

    from pypestream_braze.render.format import MODE

    for path in GOLDEN.parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, path
