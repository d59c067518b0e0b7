"""The generated partner-example solution, byte for byte, and as code: it compiles and lints.

The golden files are written by `python tests/regenerate.py` only, after a deliberate change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    GOLDEN_RUNTIME,
    PARTNER_EXAMPLE,
    TESTS,
    golden_text,
    write_files,
)

from pypestream_braze import node_runtime
from pypestream_braze.solution.generate import prepare

GOLDEN = TESTS / "golden" / "partner_example"


REGENERATE = "; if the change is intended, run python tests/regenerate.py and read the diff"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return prepare(PARTNER_EXAMPLE).files


@pytest.fixture(scope="module")
def solution(files, tmp_path_factory) -> Path:
    """The generated solution on disk, whole: nodes with their runtime."""
    return write_files(tmp_path_factory.mktemp("partner") / "solution", files)


def test_matches_golden_files(files):
    on_disk = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert sorted(on_disk) == sorted(files), f"another set of files{REGENERATE}"
    for path, text in files.items():
        expected = golden_text(path, text)
        assert on_disk[path] == expected, f"{path} differs{REGENERATE}"


def test_the_runtime_is_kept_once(files):
    """Every node carries runtime.py below its marker (golden_text checks it); the golden
    runtime shows a change to it as one diff."""
    assert (
        GOLDEN_RUNTIME.read_text(encoding="utf-8") == node_runtime.text()
    ), f"runtime.py changed{REGENERATE}"


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
def test_golden_solution_is_clean_python(solution, command):
    module, *args = command
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=solution,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_api_keys_come_from_the_environment_only(files):
    app = files["acme_claims/app.py"]
    assert app.count('"braze_api_key": os.environ.get("BRAZE_API_KEY_') == 2
    assert 'braze_api_key": "' not in app


def test_every_module_is_black_clean_as_a_whole(files):
    """Nodes are formatted in parts (format.py) and the runtime is put below them as it is:
    the whole must be what black would make."""
    import black

    from pypestream_braze.render.format import MODE

    for path, text in files.items():
        if path.endswith(".py"):
            assert black.format_str(text, mode=MODE) == text, path
