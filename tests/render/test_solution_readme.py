"""The commands a solution's README gives work as written, in the solution's folder."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flows import make_export
from helpers import TESTS

from pypestream_braze.cli.main import main
from pypestream_braze.solution import generate

FITS = TESTS / "flows" / "fits.yaml"
# Setting up a virtual environment installs from the network: the suites test it apart.
SETUP = ("python3 -m venv", "python -m pytest")


def commands(readme: str) -> list[str]:
    """Every command the README gives: each line of a sh block, and each code span that is a
    pypestream-braze command (a span may wrap onto the next line)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        found += [line for line in block.splitlines() if line.strip()]
    prose = re.sub(r"```.*?```", "", readme, flags=re.S)
    for span in re.findall(r"`([^`]+)`", prose):
        span = " ".join(span.split())
        if span.startswith("pypestream-braze ") and span not in found:
            found.append(span)
    return [c for c in found if not c.startswith(SETUP)]


@pytest.fixture
def solution(tmp_path: Path) -> Path:
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(FITS))
    shutil.copyfile(make_export.EXPORT, root / "EXPORT.csv")
    return root


def test_every_command_of_the_readme_works_as_written(solution, monkeypatch, capsys):
    monkeypatch.chdir(solution)
    monkeypatch.setenv("BRAZE_API_KEY_LIVE", "bz-test-key-0123456789abcdef")
    readme = (solution / "README.md").read_text(encoding="utf-8")
    found = commands(readme)
    assert any("--embed-key" in c for c in found) and any(".run " in c for c in found)
    ran = []
    for command in found:
        words = shlex.split(command)
        if words[0] == "pypestream-braze":
            code = main(words[1:])
            output = capsys.readouterr()
            output = output.out + output.err
        else:
            assert words[:2] == ["python", "-m"], command
            done = subprocess.run(
                [sys.executable, *words[1:]], capture_output=True, text=True, cwd=solution
            )
            code, output = done.returncode, done.stdout + done.stderr
        assert code == 0, f"{command}\n{output}"
        ran.append(command)
    assert len(ran) >= 6, ran
    assert (solution / "bundles" / "sandbox" / "app.py").is_file()
    assert (solution / "bundles" / "live" / "app.py").is_file()
