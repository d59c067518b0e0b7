"""[tool.pypestream-braze] in the nearest pyproject.toml: found above the paths as black finds
its own, applied where the command line says nothing, named in one line, and held to the same
standard as any input (located mistakes, no link followed, no FIFO opened)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE, REPO

from pypestream_braze.cli.main import main
from pypestream_braze.solution import generate

TEAM = REPO / "tests" / "conventions" / "team.yaml"
# A spec with no `conventions:` key that breaks the team's policy (dob is never sent).
SPEC = """\
version: 1
customer: AcmeInsurance
solution: Followed
environments:
  sandbox: {instance: US-05}
  live: {instance: US-05}
nodes:
  - name: BrazeTrackProfile
    endpoint: users/track
    description: Save the profile collected in chat
    identifier: {external_id: "{USER_ID}"}
    body:
      attributes:
        - first_name: "{FIRST_NAME}"
          dob: {var: DATE_OF_BIRTH, as: date}
    routing: {node: 4000, success: 4010, failure: 4020, error: 4030}
"""
DOB_LINE = 15


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A team's repository: its conventions, a spec in a subfolder, and .git at its root."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(TEAM, root / "team.yaml")
    (root / "lenient.yaml").write_text("version: 1\ndefaults: {timeout: 6}\n", encoding="utf-8")
    (root / "specs" / "claims.yaml").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _pyproject(folder: Path, table: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\n\n[tool.pypestream-braze]\n{table}', "utf-8")
    return path


def test_the_conventions_it_names_apply_without_the_flag(repo, monkeypatch, capsys):
    assert main(["check", "specs/claims.yaml"]) == 0  # no configuration: no policy
    capsys.readouterr()
    _pyproject(repo, 'conventions = "team.yaml"\n')
    assert main(["check", "specs/claims.yaml"]) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert (
        lines[0]
        == 'pyproject.toml: note: configuration [tool.pypestream-braze]: conventions = "team.yaml"'
    )
    assert any(
        line.startswith(
            f"specs/claims.yaml:{DOB_LINE}:11: error: attribute 'dob' must never be sent"
        )
        and "team convention policy.never_send, " in line
        for line in lines
    ), lines
    # From another folder, the same file is found (and shown as every path outside the cwd).
    monkeypatch.chdir(repo.parent)
    assert main(["check", "repo/specs/claims.yaml"]) == 2
    assert capsys.readouterr().err.startswith("repo/pyproject.toml: note: configuration")
    monkeypatch.chdir(repo / "specs")
    assert main(["check", "claims.yaml"]) == 2
    assert capsys.readouterr().err.startswith(f"{repo / 'pyproject.toml'}: note: configuration")


def test_json_names_the_configuration_in_the_document(repo, capsys):
    _pyproject(repo, 'conventions = "team.yaml"\noutput-format = "json"\n')
    assert main(["check", "specs/claims.yaml"]) == 2
    out, err = capsys.readouterr()
    assert err == ""
    document = json.loads(out)
    assert document["configuration"] == "pyproject.toml"
    assert {p["code"] for p in document["problems"]} == {"convention"}
    assert main(["check", "specs/claims.yaml", "--output-format", "text"]) == 2
    assert not capsys.readouterr().out.startswith("{"), "the flag wins"


def test_flags_win(repo, capsys):
    _pyproject(repo, 'conventions = "team.yaml"\nstrict = true\n')
    assert main(["check", "specs/claims.yaml", "--conventions", "lenient.yaml"]) == 0
    shutil.copy(REPO / "tests" / "invalid" / "miscased_first_name.yaml", repo / "specs")
    warned = "specs/miscased_first_name.yaml"  # one warning: strictness decides
    assert main(["check", warned, "--conventions", "lenient.yaml"]) == 2, "strict, configured"
    assert main(["check", warned, "--conventions", "lenient.yaml", "--no-strict"]) == 0
    assert main(["check", warned, "--no-config"]) == 0
    capsys.readouterr()


def test_a_pyproject_without_the_table_is_passed_over(repo, capsys):
    _pyproject(repo, 'conventions = "lenient.yaml"\n')
    root = repo / "solutions" / "acme"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    assert (root / "pyproject.toml").is_file()  # the solution's own, without the table
    main(["check", "solutions/acme"])
    out, err = capsys.readouterr()
    assert err.startswith("pyproject.toml: note: configuration"), err
    assert "generated without the team conventions it now follows" in out


def test_the_search_stops_at_the_repository_root(repo, tmp_path, capsys):
    _pyproject(tmp_path, 'conventions = "repo/team.yaml"\n')  # above .git: another project's
    assert main(["check", "specs/claims.yaml"]) == 0
    assert "note" not in capsys.readouterr().err
    shutil.rmtree(repo / ".git")
    assert main(["check", "specs/claims.yaml"]) == 2
    assert capsys.readouterr().err.startswith(f"{tmp_path / 'pyproject.toml'}: note: ")


def test_regen_takes_conventions_prune_and_format(repo, capsys):
    root = repo / "acme"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    _pyproject(repo, 'conventions = "lenient.yaml"\noutput-format = "json"\nprune = true\n')
    code = main(["regen", "acme"])
    document = json.loads(capsys.readouterr().out)
    assert code == document["exit_code"]
    assert code == 0 and document["outcomes"][0]["status"] == "updated"
    assert "conventions: ../lenient.yaml" in (root / "mapping.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "line", "column", "message"),
    [
        (
            'conventions = "team.yaml"\nstrcit = true\n',
            6,
            1,
            "unknown key 'strcit' in [tool.pypestream-braze] (did you mean 'strict'?); allowed: ",
        ),
        ('strict = "yes"\n', 5, 1, 'strict must be true or false, not "yes"'),
        ('output-format = "sarif"\n', 5, 1, "output-format must be one of text, json or github"),
        ('conventions = "nowhere.yaml"\n', 5, 1, 'conventions "nowhere.yaml" is not a file'),
        ("conventions = 3\n", 5, 1, "conventions must be text (in quotes), not 3"),
        ("strict = true\nstrict = false\n", 6, 15, "is not valid TOML: Cannot overwrite a value"),
    ],
)
def test_a_mistake_in_the_table_is_located_and_nothing_runs(
    repo, capsys, table, line, column, message
):
    _pyproject(repo, table)
    assert main(["check", "specs/claims.yaml"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (problem,) = err.splitlines()
    assert problem.startswith(f"pyproject.toml:{line}:{column}: error: {message}"), problem


def test_a_linked_pyproject_is_not_followed(repo, tmp_path, capsys):
    elsewhere = _pyproject(tmp_path, 'conventions = "repo/team.yaml"\n')
    (repo / "pyproject.toml").symlink_to(elsewhere)
    assert main(["check", "specs/claims.yaml"]) == 2
    assert capsys.readouterr().err == (
        "pyproject.toml: error: is a symbolic link; configuration is not read through links\n"
    )


def test_a_fifo_is_refused_without_waiting_on_it(repo, capsys):
    os.mkfifo(repo / "pyproject.toml")
    done = []
    worker = threading.Thread(target=lambda: done.append(main(["check", "specs/claims.yaml"])))
    worker.start()
    worker.join(10)
    assert done == [2], "the command must not wait for a writer"
    assert capsys.readouterr().err == "pyproject.toml: error: is not a regular file\n"
