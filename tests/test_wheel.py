"""The wheel carries the cookiecutter template, so an installed CLI needs no source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from helpers import REPO


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
