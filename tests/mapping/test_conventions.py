"""Team conventions: read like a spec, inherited where a spec is silent, enforced where it is not.

Each spec in tests/conventions/specs marks the lines that break tests/conventions/team.yaml with a
trailing `# break: <convention>, ...`; `check` must report exactly those, at those lines, each
naming the line of team.yaml that states the convention, with the documented exit code.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from helpers import REPO, TESTS

from pypestream_braze.cli.main import main
from pypestream_braze.errors import SpecError
from pypestream_braze.mapping import conventions, conventions_schema, numbering
from pypestream_braze.mapping.load import load_spec, relocate

HERE = TESTS / "conventions"
TEAM = HERE / "team.yaml"
SPECS = sorted((HERE / "specs").glob("*.yaml"))
MARK = re.compile(r"#\s*break:\s*(.+)$")
REPORTED = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):\d+: (?P<level>error|warning): .*"
    r"\(team convention (?P<key>[\w.]+), (?P<where>[^:]+):(?P<at>\d+):\d+\)$"
)
EXAMPLE = REPO / "conventions" / "example.yaml"


def marked(spec: Path) -> set[tuple[int, str]]:
    """(line, convention) for every break the spec marks."""
    found = set()
    for number, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), start=1):
        match = MARK.search(line)
        if match:
            found |= {(number, key.strip()) for key in match.group(1).split(",")}
    return found


def _printed(capsys) -> str:
    """All a command printed: problems (stderr) first, then its result line (stdout)."""
    captured = capsys.readouterr()
    return captured.err + captured.out


def reported(output: str) -> set[tuple[int, str]]:
    found = set()
    team_lines = TEAM.read_text(encoding="utf-8").splitlines()
    for line in output.splitlines():
        match = REPORTED.match(line)
        if not match:
            continue
        key = match.group("key")
        expected_level = "error" if key.startswith("policy.") else "warning"
        assert match.group("level") == expected_level, line
        # The convention's own line, in team.yaml, is the one that states it.
        assert Path(match.group("where")).resolve() == TEAM, line
        assert key.rsplit(".", 1)[-1] in team_lines[int(match.group("at")) - 1], line
        found.add((int(match.group("line")), key))
    return found


@pytest.mark.parametrize("spec", SPECS, ids=[p.stem for p in SPECS])
def test_each_break_is_reported_at_its_line(spec, capsys):
    expected = marked(spec)
    policy = any(key.startswith("policy.") for _, key in expected)

    code = main(["check", str(spec)])
    output = _printed(capsys)

    assert reported(output) == expected, output
    assert code == (2 if policy else 0), output
    assert main(["check", str(spec), "--strict"]) == (2 if expected else 0)


def test_conventions_from_the_command_line_apply_the_same(tmp_path, capsys):
    spec = tmp_path / "naming.yaml"
    text = (HERE / "specs" / "naming.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("conventions: ../team.yaml\n", ""), encoding="utf-8")

    assert main(["check", str(spec)]) == 2  # its instances come from the conventions
    output = _printed(capsys)
    assert "error: the spec needs 'environments'" in output and "team convention" not in output
    assert main(["check", str(spec), "--conventions", str(TEAM), "--strict"]) == 2
    lines = reported(_printed(capsys))
    assert {key for _, key in lines} == {key for _, key in marked(HERE / "specs" / "naming.yaml")}


def test_a_spec_inherits_what_it_does_not_say(tmp_path):
    loaded = load_spec(HERE / "specs" / "follows.yaml")
    solution = loaded.solution

    assert solution.timeout == 6 and solution.error_node == 99990
    assert all(n.timeout == 6 and n.minor_errors_fail for n in solution.nodes)
    assert all(n.routes.error == 99990 for n in solution.nodes)
    environments = {env.name: env for env in solution.environments}
    assert environments["sandbox"].instance == "US-05"
    assert environments["live"].url == "https://rest.fra-01.braze.eu"
    assert environments["live"].api_key_env == "BRAZE_FOLLOWED_LIVE"
    assert solution.assigned_numbers == {"BrazeWelcome": 4050}  # inside Followed's range
    assert loaded.conventions is not None and loaded.conventions.file == TEAM

    spec = tmp_path / "own.yaml"
    spec.write_text(
        (HERE / "specs" / "follows.yaml")
        .read_text(encoding="utf-8")
        .replace("conventions: ../team.yaml", f"conventions: {TEAM}")
        .replace(
            "nodes:\n",
            "defaults: {timeout: 9, minor_errors: succeed}\n"
            "environments:\n"
            "  sandbox: {instance: US-01, api_key_env: MY_KEY}\n"
            "  live: {params: {}}\n"
            "nodes:\n",
        ),
        encoding="utf-8",
    )
    own = load_spec(spec).solution
    assert own.timeout == 9 and not any(n.minor_errors_fail for n in own.nodes)
    assert own.error_node == 99990  # not said: inherited
    sandbox, live = own.environments
    assert (sandbox.instance, sandbox.api_key_env) == ("US-01", "MY_KEY")
    assert (live.instance, live.api_key_env) == ("EU-01", "BRAZE_FOLLOWED_LIVE")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SPEC = (HERE / "specs" / "follows.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("conventions", "line", "column", "fragment"),
    [
        ("version: 1\nnaming:\n  nodse: {prefix: X}\n", 3, 3, "unknown key 'nodse' in naming"),
        ("naming:\n  nodes: {pattern: '[a-'}\n", 2, 20, "naming.nodes.pattern is not a regular"),
        ("naming:\n  events: {case: snake}\n", 2, 18, "unknown case 'snake'"),
        ("naming:\n  events: Snake_Case\n", 2, 11, "naming.events must be a case"),
        ("naming:\n  description: always\n", 2, 16, "must be required or optional"),
        (
            "policy:\n  endpoints: {forbidden: [user/delete]}\n",
            2,
            27,
            "did you mean 'users/delete'",
        ),
        ("policy:\n  node_numbers: [5000, 4000]\n", 2, 17, "the first not above the last"),
        ("policy:\n  node_numbers: {acme: [1, 2]}\n", 2, 18, "'acme' is not a solution name"),
        ("policy:\n  never_send: [{dob: 1}]\n", 2, 16, "policy.never_send must be text"),
        ("policy:\n  node_numbers: 4000 to 4999\n", 2, 17, "or 4000-4999"),
        ("defaults: {timeout: 600}\n", 1, 21, "defaults.timeout must be between 0.5 and 60"),
        ("environments:\n  live: {instance: US-99}\n", 2, 20, "unknown Braze instance 'US-99'"),
        ("environments:\n  live: {api_key_env: 'KEY_{ENV}'}\n", 2, 23, "unknown placeholder {ENV}"),
        ("templates: nowhere/\n", 1, 12, "'nowhere/' is not a folder"),
        ("version: 2\n", 1, 10, "version 2 is not supported"),
        ("naming: [nodes]\n", 1, 9, "naming must be a mapping"),
        ("defaults: {timeout: 6}\ndefaults: {}\n", 2, 1, "duplicate key 'defaults'"),
    ],
)
def test_a_mistake_in_the_conventions_is_located_in_them(
    tmp_path, capsys, conventions, line, column, fragment
):
    team = write(tmp_path, "team.yaml", conventions)
    spec = write(tmp_path, "spec.yaml", SPEC.replace("../team.yaml", "team.yaml"))

    assert main(["check", str(spec)]) == 2

    output = _printed(capsys)
    assert f"{team}:{line}:{column}: error: " in output, output
    assert fragment in output, output


def test_a_conventions_file_that_cannot_be_read_is_reported_at_the_specs_key(tmp_path, capsys):
    spec = write(tmp_path, "specs/spec.yaml", SPEC.replace("../team.yaml", "../team/missing.yaml"))
    assert main(["check", str(spec)]) == 2
    output = _printed(capsys)
    assert output.startswith(
        f"{spec}:5:14: error: conventions: '../team/missing.yaml' was not found"
    )

    (tmp_path / "team").mkdir()
    write(tmp_path, "specs/spec.yaml", SPEC.replace("../team.yaml", "../team"))
    assert main(["check", str(spec)]) == 2
    assert "5:14: error: conventions: '../team' is a folder; give the conventions file" in _printed(
        capsys
    )

    fifo = tmp_path / "team" / "fifo.yaml"
    os.mkfifo(fifo)  # reading it would block for ever
    write(tmp_path, "specs/spec.yaml", SPEC.replace("../team.yaml", "../team/fifo.yaml"))
    assert main(["check", str(spec)]) == 2
    assert "is a named pipe (FIFO), not a file" in _printed(capsys)

    write(tmp_path, "specs/spec.yaml", SPEC.replace("../team.yaml", "[a, list]"))
    assert main(["check", str(spec)]) == 2
    assert "5:14: error: conventions must be the path" in _printed(capsys)

    assert main(["check", str(spec), "--conventions", str(tmp_path / "nope.yaml")]) == 2
    assert _printed(capsys) == f"{tmp_path / 'nope.yaml'}: error: no such file\n"


def test_the_example_conventions_are_clean_and_documented():
    example = conventions.read(EXAMPLE, "example.yaml")
    assert example.warnings == () and example.templates is not None
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Team conventions" in readme and "conventions/example.yaml" in readme


def test_committed_conventions_schema_is_up_to_date_and_valid(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    committed = (REPO / "conventions" / "schema.json").read_text(encoding="utf-8")
    assert (
        committed == conventions_schema.schema_text()
    ), "conventions/schema.json is out of date; regenerate it with 'python tests/regenerate.py'"
    assert main(["schema", "--conventions"]) == 0
    assert capsys.readouterr().out == committed
    validator = jsonschema.Draft202012Validator(json.loads(committed))
    for path in (EXAMPLE, TEAM):
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], path


def test_numbers_are_assigned_inside_a_range():
    nodes = [("A", None), ("B", 4100), ("C", None)]
    assert numbering.assign(nodes, targets=[1300], first=4000, last=4999) == {"A": 4110, "C": 4120}
    assert numbering.assign([("A", None)], targets=[], first=4005, last=4999) == {"A": 4010}
    assert numbering.assign([("A", None), ("B", None)], targets=[], first=10, last=20) == {
        "A": 20
    }  # 10 is reserved; B finds no room and gets none
    # Without a range, as ever: above the highest number, 1000 if none.
    assert numbering.assign([("A", None)], targets=[1300]) == {"A": 1310}
    assert numbering.assign([("A", None)], targets=[500]) == {"A": 510}


class TestRelocate:
    """A solution's mapping.yaml names its conventions relative to the solution folder."""

    def test_inserts_the_key_before_the_first_one(self, tmp_path):
        text = "# A spec\nversion: 1\ncustomer: X\n"
        team = write(tmp_path, "team/conventions.yaml", "version: 1\n")
        result = relocate(text, "spec.yaml", team, tmp_path / "solutions" / "x")
        assert (
            result
            == "# A spec\nconventions: ../../team/conventions.yaml\nversion: 1\ncustomer: X\n"
        )

    def test_replaces_only_the_value(self, tmp_path):
        team = write(tmp_path, "team/c.yaml", "version: 1\n")
        text = "version: 1\nconventions: ../team/c.yaml  # ours\ncustomer: X\n"
        result = relocate(text, "spec.yaml", team, tmp_path / "a" / "b")
        assert result == "version: 1\nconventions: ../../team/c.yaml  # ours\ncustomer: X\n"

    def test_keeps_a_value_that_already_names_the_file(self, tmp_path):
        team = write(tmp_path, "team/c.yaml", "version: 1\n")
        text = 'version: 1\nconventions: "./../team/c.yaml"\n'
        assert relocate(text, "spec.yaml", team, tmp_path / "sol") == text

    def test_quotes_what_yaml_would_misread(self, tmp_path):
        team = write(tmp_path, "team #1/c.yaml", "version: 1\n")
        result = relocate("version: 1\n", "spec.yaml", team, tmp_path / "sol")
        assert yaml.safe_load(result)["conventions"] == "../team #1/c.yaml"

    def test_refuses_a_flow_mapping(self, tmp_path):
        team = write(tmp_path, "c.yaml", "version: 1\n")
        with pytest.raises(SpecError, match=re.escape("add 'conventions: ../c.yaml'")):
            relocate("{version: 1}\n", "spec.yaml", team, tmp_path / "sol")


def test_the_readme_shows_what_check_prints(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = (
        "pypestream-braze check mappings/partner_example.yaml "
        "--conventions conventions/example.yaml"
    )
    shown = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0]

    assert main(command.split()[1:]) == 2

    assert _printed(capsys) == shown


def test_the_conventions_hash_is_known_without_rendering(tmp_path):
    from pypestream_braze.mapping.load import conventions_sha256

    spec = HERE / "specs" / "follows.yaml"
    assert conventions_sha256(spec) == load_spec(spec).conventions.sha256
    assert conventions_sha256(REPO / "mappings" / "users_track.yaml") is None
    assert conventions_sha256(REPO / "mappings" / "users_track.yaml", conventions=TEAM) == (
        conventions.read(TEAM, "team.yaml").sha256
    )
    copy = write(tmp_path, "team.yaml", TEAM.read_text(encoding="utf-8") + "# changed\n")
    assert conventions_sha256(spec, conventions=copy) != conventions_sha256(spec)
