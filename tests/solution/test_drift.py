"""`check SOLUTION_DIR` builds hand-edited nodes' requests and names where they left the mapping."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE

from pypestream_braze.mapping.reader import load_solution
from pypestream_braze.solution import drift, generate

CLI = Path(sys.executable).with_name("pypestream-braze")
NODE = "acme_claims/actions/BrazeTrackProfile.py"
CANVAS = "acme_claims/actions/BrazeStartWelcomeCanvas.py"


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    return root


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), "check", str(root)], capture_output=True, text=True, timeout=120
    )


def test_a_kept_edit_that_contradicts_the_mapping_is_drift(root):
    # A date format kept from a conflict: day first, where the mapping says month first. The
    # sample's day is above 12, so the node refuses the answer 04/17/1990 it is given.
    edit(root, NODE, '"%m/%d/%Y"', '"%d/%m/%Y"')

    result = check(root)

    assert result.returncode == 1
    assert (
        f"{root / NODE}: drift: BrazeTrackProfile leaves out attributes[0].dob; the mapping "
        'sends "1990-04-17"'
    ) in result.stdout
    assert result.stdout.endswith(
        f"{root}: drift: 1 hand-edited node no longer builds the request the mapping describes\n"
    )
    assert "up to date" not in result.stdout
    assert result.stderr == ""


def test_edits_that_keep_the_request_are_not_drift(root):
    edit(
        root,
        NODE,
        "        return _execute(self, log, payload, context)\n",
        "        return _execute(self, log, payload, context)  # Pypestream's call\n",
    )
    result = check(root)
    assert result.returncode == 0, result.stdout
    assert f"{root / NODE}: edited: " in result.stdout
    assert result.stdout.endswith(
        f"{root}: up to date: 3 nodes, 24 generated files, 1 hand-edited\n"
    )


def test_added_and_missing_fields_are_named(root):
    edit(
        root,
        NODE,
        '"home_city": value("CITY", max_length=255),',
        '"hometown": value("CITY", max_length=255),',
    )
    found = drift.node_drift(root, load_solution(root / "mapping.yaml")[0], [NODE])
    assert [d.message for d in found] == [
        'BrazeTrackProfile leaves out attributes[0].home_city; the mapping sends "London"',
        'BrazeTrackProfile sends attributes[0].hometown = "London"; the mapping leaves it out',
    ]


@pytest.mark.parametrize(
    "broken, reason",
    [
        ("raise SystemExit(3)\n", "SystemExit: 3"),
        ("import os\nos._exit(0)\n", "its request could not be built"),
        ('print("noise")\nraise ImportError("gone")\n', "ImportError: gone"),
    ],
    ids=["exits", "kills its process", "prints and fails"],
)
def test_a_broken_node_is_reported_not_raised(root, broken, reason):
    (root / CANVAS).write_text(
        (root / CANVAS).read_text(encoding="utf-8") + broken, encoding="utf-8"
    )
    result = check(root)
    assert result.returncode == 1
    assert f"{root / CANVAS}: drift: BrazeStartWelcomeCanvas" in result.stdout
    assert reason in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_node_that_never_returns_is_stopped(root, monkeypatch):
    monkeypatch.setattr(drift, "TIMEOUT", 2)
    edit(root, CANVAS, "class BrazeStartWelcomeCanvas:", "while True:\n    pass\n\n\nclass X:")
    found = drift.node_drift(root, load_solution(root / "mapping.yaml")[0], [CANVAS])
    assert [d.message for d in found] == [
        "BrazeStartWelcomeCanvas: its request could not be built: it did not finish within 2 s"
    ]


def test_the_nodes_run_in_another_process(root):
    marker = root / "ran-here"
    edit(
        root,
        NODE,
        "class BrazeTrackProfile:",
        f"import os\nMARK = os.getpid()\nopen({str(marker)!r}, 'w').write(str(MARK))\n\n\n"
        "class BrazeTrackProfile:",
    )
    drift.node_drift(root, load_solution(root / "mapping.yaml")[0], [NODE])
    import os

    assert marker.read_text() != str(os.getpid())
    assert "acme_claims" not in sys.modules
    assert not list((root / ".pypestream-braze").rglob("__pycache__")), "no bytecode in the state"


def test_differences_compare_json_not_python_equality():
    assert list(drift.differences({"a": 1, "b": [True]}, {"a": 1.0, "b": [1]})) == [
        ("a", 1, 1.0),
        ("b[0]", True, 1),
    ]
    assert list(drift.differences({"a": [1, 2]}, {"a": [1, 2]})) == []
