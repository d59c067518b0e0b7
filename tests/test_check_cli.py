"""`pypestream-braze check`: exit codes, warnings and the folder placeholder."""

from pathlib import Path

from pypestream_braze.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
INVALID = ROOT / "tests" / "invalid"


def test_valid_spec_exits_0_silently(capsys):
    assert main(["check", str(ROOT / "mappings" / "partner_example.yaml")]) == 0
    assert capsys.readouterr().out == ""


def test_warnings_are_printed_and_pass_without_strict(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(INVALID)
    assert main(["check", "miscased_first_name.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("miscased_first_name.yaml:16:11: warning: ")
    assert main(["check", "miscased_first_name.yaml", "--strict"]) == 2


def test_missing_file(capsys):
    assert main(["check", "no-such-spec.yaml"]) == 2
    assert capsys.readouterr().out == "no-such-spec.yaml: error: no such file\n"


def test_folder_that_is_not_a_solution(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "no such mapping file" in capsys.readouterr().err
