"""`check --changed` and `regen --changed`: the files a commit changes, as pre-commit passes
them, stand for the solutions holding them and the specs among them; nothing else is read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE, REPO

from pypestream_braze.cli.main import main
from pypestream_braze.solution import changed, generate

BAD = REPO / "tests" / "invalid" / "unknown_top_key.yaml"
NODE = "acme_claims/actions/BrazeTrackProfile.py"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """specs/good.yaml, specs/bad.yaml, solutions/acme, and files that are none of those."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "specs").mkdir()
    shutil.copy(PARTNER_EXAMPLE, root / "specs" / "good.yaml")
    shutil.copy(BAD, root / "specs" / "bad.yaml")
    solution = root / "solutions" / "acme"
    generate.write_new(solution, generate.prepare(PARTNER_EXAMPLE, target=solution))
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n", "utf-8")
    (root / "conventions.yaml").write_text("version: 1\nteam: Us\n", "utf-8")
    (root / "README.md").write_text("# specs\n", "utf-8")
    monkeypatch.chdir(root)
    return root


def test_each_file_stands_for_its_solution_or_is_a_spec(repo):
    files = [
        "README.md",
        "specs/good.yaml",
        f"solutions/acme/{NODE}",
        "solutions/acme/mapping.yaml",
        "solutions/acme/.pypestream-braze/state.json",
        ".github/workflows/ci.yml",
        "conventions.yaml",
        "specs/bad.yaml",
    ]
    found = changed.targets(Path(f) for f in files)
    assert found == [Path("specs/good.yaml"), Path("solutions/acme"), Path("specs/bad.yaml")]
    assert changed.targets((Path(f) for f in files), specs=False) == [Path("solutions/acme")]


def test_a_file_named_from_inside_its_solution_stands_for_that_solution(repo, monkeypatch):
    monkeypatch.chdir(repo / "solutions" / "acme" / "acme_claims" / "actions")
    assert changed.targets([Path("BrazeTrackProfile.py")]) == [Path("../..")]
    assert changed.targets([Path("../../mapping.yaml")]) == [Path("../..")]


def test_a_spec_is_known_by_a_key_only_a_spec_has(tmp_path):
    cases = {
        "block.yaml": "version: 1\nnodes:\n  - name: A\n",
        "quoted.yml": '"nodes": []\n',
        "nested.yaml": "jobs:\n  nodes: 3\n",
        "misspelt.yaml": "version: 1\ncustomer: Acme\nnodse: []\n",
        "conventions.yaml": "version: 1\nteam: Us\nenvironments: {}\n",
        "flow.yaml": "{version: 1, nodes: []}\n",
        "spec.txt": "nodes: []\n",
        "latin1.yaml": "customer: Caf\xe9\nnodes: []\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_bytes(text.encode("latin-1"))
    (tmp_path / "link.yaml").symlink_to(tmp_path / "block.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    spec = {name for name in [*cases, "link.yaml", "pipe.yaml"] if changed.is_spec(tmp_path / name)}
    # A spec that is not UTF-8 is still a spec: check says what is wrong with it.
    assert spec == {"block.yaml", "quoted.yml", "misspelt.yaml", "latin1.yaml"}


def test_check_changed_reports_the_bad_spec_and_passes_the_rest(repo, capsys):
    assert main(["check", "--changed", "README.md", "specs/good.yaml", "conventions.yaml"]) == 0
    out, err = capsys.readouterr()
    assert (out.splitlines(), err) == (
        [
            "specs/good.yaml: ok: 3 nodes, 3 endpoints "
            "(users/track, canvas/trigger/send, users/export/ids), "
            "no warnings"
        ],
        "",
    )
    assert main(["check", "--changed", "specs/good.yaml", "specs/bad.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("specs/bad.yaml:") and "unknown key 'owner'" in err


def test_a_changed_node_checks_its_whole_solution(repo, capsys):
    assert main(["check", "--changed", f"solutions/acme/{NODE}"]) == 0
    assert capsys.readouterr().out.startswith("solutions/acme: up to date: 3 nodes")
    node = repo / "solutions" / "acme" / NODE
    node.write_text(node.read_text("utf-8").replace('"%m/%d/%Y"', '"%d/%m/%Y"'), "utf-8")
    assert main(["check", "--changed", f"solutions/acme/{NODE}", "specs/good.yaml"]) == 1
    out = capsys.readouterr().out
    assert f"solutions/acme/{NODE}: drift: " in out


def test_nothing_to_check_is_a_pass_that_says_nothing(repo, capsys):
    assert main(["check", "--changed", "README.md", ".github/workflows/ci.yml"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["check", "--changed", "README.md", "--output-format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["exit_code"], document["outcomes"]) == (0, [])


def test_regen_changed_brings_the_solution_of_a_changed_mapping_up_to_date(repo, capsys):
    mapping = repo / "solutions" / "acme" / "mapping.yaml"
    mapping.write_text(mapping.read_text("utf-8").replace("timeout: 8", "timeout: 7"), "utf-8")
    assert main(["regen", "--changed", "solutions/acme/mapping.yaml", "specs/good.yaml"]) == 0
    assert "done: " in capsys.readouterr().out
    assert main(["check", "solutions/acme"]) == 0


def test_the_hook_manifest_names_entries_that_exist():
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["pypestream-braze-check", "pypestream-braze-regen"]
    for hook in hooks:
        assert hook["language"] == "python" and hook["require_serial"] is True
        program, *arguments = hook["entry"].split()
        assert program == "pypestream-braze"
        result = subprocess.run(
            [sys.executable, "-m", "pypestream_braze", *arguments, "--help"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and "--changed" in result.stdout
