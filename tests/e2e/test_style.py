"""This repository follows its own conventions: ruff, black and mypy, set in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import REPO

PATHS = ["src", "tests", "hooks", "local_extensions.py", "benchmarks"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", *PATHS],
        ["black", "--check", "--quiet", *PATHS],
        # Which files, and how strictly: pyproject.toml's [tool.mypy].
        ["mypy"],
    ],
    ids=["ruff", "black", "mypy"],
)
def test_repository_is_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
