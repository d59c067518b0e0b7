"""`--output-format text|json|github` on check and regen: the same outcomes, for people, for
programs and for GitHub's pull-request annotations, with one exit code whatever the form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flows import make_export
from helpers import PARTNER_EXAMPLE, REPO

from pypestream_braze.cli import formats
from pypestream_braze.cli.main import main
from pypestream_braze.errors import Level, Location, Problem
from pypestream_braze.solution import generate, merge

INVALID = REPO / "tests" / "invalid"
CONVENTIONS = REPO / "tests" / "conventions"
NODE = "acme_claims/actions/BrazeTrackProfile.py"
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<level>\w+): (?P<msg>.*)$")
COMMAND = re.compile(r"^::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<data>.*)$")


def _json(capsys, *args: str) -> tuple[int, dict]:
    code = main([*args, "--output-format", "json"])
    out, err = capsys.readouterr()
    assert err == "", "json keeps stderr quiet"
    document = json.loads(out)
    assert document["exit_code"] == code
    return code, document


def _github(capsys, *args: str) -> tuple[int, list[dict[str, str]]]:
    code = main([*args, "--output-format", "github"])
    commands = []
    for line in capsys.readouterr().out.splitlines():
        found = COMMAND.match(line)
        if found:
            properties = dict(p.split("=", 1) for p in found["properties"].split(","))
            commands.append({"command": found["command"], **properties, "data": found["data"]})
    return code, commands


def _unescape(text: str) -> str:
    for escaped, character in (
        ("%0A", "\n"),
        ("%0D", "\r"),
        ("%3A", ":"),
        ("%2C", ","),
        ("%25", "%"),
    ):
        text = text.replace(escaped, character)
    return text


def test_every_problem_of_the_corpus_is_in_json_as_in_text(monkeypatch, capsys):
    """The json document holds exactly the located lines text prints, field by field."""
    monkeypatch.chdir(INVALID)
    specs = sorted(p.name for p in INVALID.glob("*.yaml"))
    text_code = main(["check", *specs, "--strict"])
    lines = [LOCATED.match(line) for line in capsys.readouterr().err.splitlines()]
    expected = {
        (m["path"], int(m["line"]), int(m["column"]), m["level"], m["msg"]) for m in lines if m
    }
    assert len(expected) > 150
    code, document = _json(capsys, "check", *specs, "--strict")
    assert code == text_code == 2
    found = {
        (p["path"], p["line"], p["column"], p["level"], p["message"])
        for p in document["problems"]
        if p["line"] is not None
    }
    assert found == expected
    assert [o["path"] for o in document["outcomes"]] == specs
    assert {o["status"] for o in document["outcomes"]} <= {"valid-spec", "bad-spec"}
    for problem in document["problems"]:
        assert set(problem) == {"path", "line", "column", "level", "code", "message", "outcome"}
        assert problem["code"] in {"yaml", "unknown-key", "spec", "strict"}


def test_github_annotations_sit_on_the_specs_lines(monkeypatch, capsys):
    monkeypatch.chdir(INVALID)
    main(["check", "unknown_top_key.yaml", "tab_indentation.yaml", "miscased_first_name.yaml"])
    text = {
        (m["path"], m["line"], m["column"], m["level"], m["msg"])
        for m in map(LOCATED.match, capsys.readouterr().err.splitlines())
        if m
    }
    code, commands = _github(
        capsys, "check", "unknown_top_key.yaml", "tab_indentation.yaml", "miscased_first_name.yaml"
    )
    assert code == 2
    shown = {
        (
            c["file"],
            c["line"],
            c["col"],
            {"notice": "note"}.get(c["command"], c["command"]),
            _unescape(c["data"]),
        )
        for c in commands
    }
    assert shown == text
    titles = {c["file"]: _unescape(c["title"]) for c in commands}
    assert titles == {
        "unknown_top_key.yaml": "pypestream-braze (unknown-key)",
        "tab_indentation.yaml": "pypestream-braze (yaml)",
        "miscased_first_name.yaml": "pypestream-braze (spec)",
    }
    spec = (INVALID / "unknown_top_key.yaml").read_text(encoding="utf-8").splitlines()
    (unknown,) = (c for c in commands if c["file"] == "unknown_top_key.yaml")
    assert spec[int(unknown["line"]) - 1][int(unknown["col"]) - 1 :].startswith("owner")


def test_workflow_commands_escape_what_github_reads_as_syntax():
    finding = formats.Finding("a:b,c.yaml", 3, 4, "warning", "spec", "50% done\r\nnext: a,b")
    line = formats.workflow_command(finding)
    assert line == (
        "::warning file=a%3Ab%2Cc.yaml,line=3,col=4,title=pypestream-braze (spec)"
        "::50%25 done%0D%0Anext: a,b"
    )
    assert "\n" not in line and "\r" not in line
    note = formats.Finding("pypestream-braze", None, None, "note", "generation", "x")
    assert formats.workflow_command(note) == "::notice title=pypestream-braze (generation)::x"


@pytest.mark.parametrize(
    ("message", "file", "expected"),
    [
        ("this is not valid YAML: found a tab", "s.yaml", "yaml"),
        ("unknown key 'owner' in the spec; allowed: version", "s.yaml", "unknown-key"),
        (
            "output 'X' does not start with 'BRAZE_' (team convention naming.outputs, t.yaml:3:4)",
            "s.yaml",
            "convention",
        ),
        ("BrazeA: routing.failure 5 is not a node of the flow (e.csv, 3 nodes)", "s.yaml", "flow"),
        ("a row of 25 cells, not 26", "export.csv", "flow"),
        (
            "finished the interrupted change it had begun",
            "s/.pypestream-braze/transaction",
            "recovery",
        ),
        ("timeout must be a number", "s.yaml", "spec"),
    ],
)
def test_each_code_comes_from_what_its_kind_of_problem_has_in_common(message, file, expected):
    assert formats.code(Problem(Location(file, 1, 1), Level.ERROR, message)) == expected


def test_team_conventions_and_the_flow_have_their_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(CONVENTIONS)
    code, document = _json(capsys, "check", "specs/policy.yaml")
    assert code == 2
    assert {p["code"] for p in document["problems"]} == {"convention"}
    spec = tmp_path / "spec.yaml"
    fits = (REPO / "tests" / "flows" / "fits.yaml").read_text(encoding="utf-8")
    spec.write_text(fits.replace("      failure: 5856\n", "      failure: 5865\n"), "utf-8")
    code, document = _json(capsys, "check", str(spec), "--flow", str(make_export.EXPORT))
    assert code == 2
    assert [p["code"] for p in document["problems"]] == ["flow"]


@pytest.fixture
def solution(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "acme"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    return root


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_solution_up_to_date_and_out_of_date(solution, capsys):
    code, document = _json(capsys, "check", "acme")
    assert (code, document["problems"]) == (0, [])
    (outcome,) = document["outcomes"]
    assert outcome["status"] == "up-to-date" and outcome["exit_code"] == 0
    assert outcome["summary"].startswith("3 nodes, ")
    _edit(solution, "mapping.yaml", "timeout: 8", "timeout: 7")
    code, document = _json(capsys, "check", "acme")
    assert code == 1
    (outcome,) = document["outcomes"]
    assert outcome["status"] == "out-of-date"
    changed = {f["path"]: f["action"] for f in outcome["files"]}
    assert changed and set(changed.values()) <= {"updated", "merged", "created"}
    assert {(p["path"], p["code"], p["level"]) for p in document["problems"]} == {
        (path, "out-of-date", "error") for path in changed
    }
    code, commands = _github(capsys, "check", "acme")
    assert code == 1
    assert {c["file"] for c in commands} == set(changed)


def test_drift_and_conflicts_are_errors_on_their_files(solution, capsys):
    _edit(solution, NODE, '"%m/%d/%Y"', '"%d/%m/%Y"')
    code, document = _json(capsys, "check", "acme")
    assert code == 1
    assert document["outcomes"][0]["status"] == "drift"
    (drift,) = document["problems"]
    assert (drift["path"], drift["code"]) == (f"acme/{NODE}", "drift")
    assert document["outcomes"][0]["drift"][0]["message"] == drift["message"]
    routing = solution / "ROUTING.md"
    routing.write_text(
        routing.read_text(encoding="utf-8") + f"{merge.START}\nmine\n=======\nnew\n{merge.END}\n",
        encoding="utf-8",
    )
    code, document = _json(capsys, "check", "acme")
    assert code == 1 and document["outcomes"][0]["status"] == "conflict"
    assert ("acme/ROUTING.md", "conflict") in {(p["path"], p["code"]) for p in document["problems"]}
    code, document = _json(capsys, "regen", "acme")
    assert code == 1 and document["command"] == "regen"
    assert ("acme/ROUTING.md", "conflict") in {(p["path"], p["code"]) for p in document["problems"]}


def test_regen_reports_each_file_and_what_it_wrote(solution, capsys):
    _edit(solution, "mapping.yaml", "timeout: 8", "timeout: 7")
    code, document = _json(capsys, "regen", "acme", "--dry-run")
    assert code == 0 and document["problems"] == []
    (outcome,) = document["outcomes"]
    assert outcome["status"] == "would-change" and outcome["wrote"] is False
    files = {f["path"]: f["action"] for f in outcome["files"]}
    code, document = _json(capsys, "regen", "acme", "--check")
    assert code == 1
    assert {p["path"] for p in document["problems"] if p["code"] == "out-of-date"} == set(files)
    code, document = _json(capsys, "regen", "acme")
    assert code == 0
    assert document["outcomes"][0]["status"] == "updated" and document["outcomes"][0]["wrote"]
    assert {f["path"]: f["action"] for f in document["outcomes"][0]["files"]} == files


def test_many_solutions_are_one_document(solution, capsys):
    other = solution.parent / "more" / "globex"
    generate.write_new(other, generate.prepare(PARTNER_EXAMPLE, target=other))
    _edit(other, "mapping.yaml", "timeout: 8", "timeout: 7")
    code, document = _json(capsys, "check", "acme", "more")
    assert code == 1
    assert [(o["path"], o["status"]) for o in document["outcomes"]] == [
        ("acme", "up-to-date"),
        ("more/globex", "out-of-date"),
    ]
    assert {p["outcome"] for p in document["problems"]} == {"more/globex"}


def test_a_refusal_before_any_path_is_a_document_too(capsys):
    code, document = _json(capsys, "check", "a.yaml", str(REPO), "--flow", "x.csv")
    assert code == 2
    (problem,) = document["problems"]
    assert (problem["path"], problem["code"], problem["level"]) == (
        "pypestream-braze",
        "failed",
        "error",
    )
    assert "--flow" in problem["message"]


def test_the_readme_shows_what_github_and_json_print(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = (
        "pypestream-braze check mappings/partner_example.yaml "
        "--conventions conventions/example.yaml --output-format github"
    )
    shown = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    assert main(command.split()[1:]) == 2
    assert capsys.readouterr().out == shown
    example = json.loads(readme.split("```json\n", 1)[1].split("```", 1)[0])
    _, document = _json(capsys, "check", "mappings/partner_example.yaml")
    assert set(example) == set(document)
    assert set(example["problems"][0]) == set(formats.Finding.__dataclass_fields__) | {"outcome"}
    assert set(example["outcomes"][0]) == set(document["outcomes"][0])


def test_a_check_finds_the_same_files_in_every_form(solution, capsys):
    """Conflict markers left in one file and a mapping change: text and json name the same
    files with the same findings."""
    routing = solution / "ROUTING.md"
    routing.write_text(
        routing.read_text(encoding="utf-8") + f"{merge.START}\nmine\n=======\nnew\n{merge.END}\n",
        encoding="utf-8",
    )
    _edit(solution, "mapping.yaml", "timeout: 8", "timeout: 7")
    assert main(["check", "acme"]) == 1
    shown = set()
    for line in capsys.readouterr().out.splitlines():
        path, finding, *_ = line.split(": ")
        if finding in ("conflict", "out of date") and path != "acme":
            shown.add((path, finding.replace(" ", "-")))
    code, document = _json(capsys, "check", "acme")
    assert code == 1
    found = {(p["path"], p["code"]) for p in document["problems"]}
    assert found == shown and len(found) > 1
