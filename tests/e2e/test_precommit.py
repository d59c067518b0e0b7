"""The hook this repository offers, run by pre-commit itself as a team's repository runs it:
pre-commit installs this repository into an environment of its own and runs the hook on a
repository holding a good spec, a bad one, a solution and files that are none of those."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE, REPO

BAD = REPO / "tests" / "invalid" / "unknown_top_key.yaml"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(
    not (REPO / ".git").exists(), reason="pre-commit installs from a git repository"
)
@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_runs_the_check_hook(tmp_path):
    team = tmp_path / "team"
    (team / "specs").mkdir(parents=True)
    shutil.copy(PARTNER_EXAMPLE, team / "specs" / "good.yaml")
    shutil.copy(BAD, team / "specs" / "bad.yaml")
    (team / "notes.yaml").write_text("title: not a spec\n", encoding="utf-8")
    _git(team, "init", "-q")
    _git(team, "add", ".")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            "pypestream-braze-check",
            "--all-files",
            "--verbose",
        ],
        cwd=team,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "pypestream-braze check" in output and "Failed" in output
    assert "specs/bad.yaml:" in output and "unknown key 'owner' in the spec" in output
    assert "specs/good.yaml: ok: 3 nodes" in output
    assert "notes.yaml" not in output
