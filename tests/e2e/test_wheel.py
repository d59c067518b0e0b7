"""The wheel carries the cookiecutter template, so an installed CLI needs no source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from helpers import REPO

pytestmark = pytest.mark.slow  # builds the wheel and installs it


def test_wheel_contains_the_template(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("pypestream_braze-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    template = "pypestream_braze/_template/"
    for expected in (
        "cookiecutter.json",
        "local_extensions.py",
        "hooks/post_gen_project.py",
        "{{cookiecutter.__solution_slug}}/.gitignore",
        "mappings/partner_example.yaml",
    ):
        assert template + expected in names
    assert "pypestream_braze/render/templates/action_node.py.jinja" in names
    # A complete package: typed (PEP 561), licensed as it says, described for an index.
    assert "pypestream_braze/py.typed" in names
    (dist_info,) = {name.split("/")[0] for name in names if ".dist-info/" in name}
    archive = zipfile.ZipFile(wheel)
    license_text = archive.read(f"{dist_info}/licenses/LICENSE").decode()
    assert license_text.startswith("MIT License")
    metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert "Classifier: Typing :: Typed" in metadata
    assert "Project-URL: " in metadata
