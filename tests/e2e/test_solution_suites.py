"""Every shipped example, and a spec with every value form, generates a solution whose own suite
passes: it checks the exact request of each node and every answer a node cannot do without.
A hand edit that changes a request makes that suite fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MAPPINGS, PARTNER_EXAMPLE, VALUE_FORMS, write_files

from pypestream_braze.solution.generate import prepare


def _suite(root: Path) -> subprocess.CompletedProcess:
    # As the solution's own requirements-dev.txt has it: pytest without this suite's plugins
    # (hypothesis, xdist, ... would cost a second of start-up each run).
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _generated(mapping: Path, folder: Path) -> Path:
    return write_files(folder, prepare(mapping).files)


SPECS = [*sorted(MAPPINGS.glob("*.yaml")), "value_forms"]


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS, ids=[Path(s).stem for s in SPECS])
def test_every_example_passes_its_own_suite(spec, tmp_path):
    if spec == "value_forms":
        spec = tmp_path / "value_forms.yaml"
        spec.write_text(VALUE_FORMS, encoding="utf-8")
    result = _suite(_generated(Path(spec), tmp_path / "solution"))
    assert result.returncode == 0, result.stdout[-2000:]


@pytest.mark.slow
def test_a_hand_edit_that_changes_a_request_fails_the_solutions_suite(tmp_path):
    root = _generated(PARTNER_EXAMPLE, tmp_path / "solution")
    node = root / "acme_claims" / "actions" / "BrazeTrackProfile.py"
    text = node.read_text(encoding="utf-8")
    assert '"home_city": value("CITY", max_length=255),' in text
    node.write_text(text.replace('"home_city": value(', '"city": value('), encoding="utf-8")
    result = _suite(root)
    assert result.returncode == 1
    assert "test_sends_the_request_the_mapping_describes" in result.stdout
