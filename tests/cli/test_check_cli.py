"""`pypestream-braze check`: exit codes, where each line goes, and what a passing check says."""

from helpers import REPO

from pypestream_braze.cli.main import main

ROOT = REPO
INVALID = ROOT / "tests" / "invalid"


def test_valid_spec_says_what_it_checked_in_one_line(monkeypatch, capsys):
    monkeypatch.chdir(ROOT / "mappings")
    spec = ROOT / "mappings" / "partner_example.yaml"
    assert main(["check", str(spec)]) == 0  # named as it is, shown from here
    out, err = capsys.readouterr()
    assert out == (
        "partner_example.yaml: ok: 3 nodes, 3 endpoints (users/track, canvas/trigger/send, "
        "users/export/ids), no warnings\n"
    )
    assert err == ""


def test_warnings_go_to_stderr_and_pass_without_strict(monkeypatch, capsys):
    monkeypatch.chdir(INVALID)
    assert main(["check", "miscased_first_name.yaml"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("miscased_first_name.yaml:16:11: warning: ")
    assert out.startswith(
        "miscased_first_name.yaml: ok: 1 node, 1 endpoint (users/track), 1 warning"
    )
    assert main(["check", "miscased_first_name.yaml", "--strict"]) == 2
    assert capsys.readouterr().out == ""


def test_missing_file(capsys):
    assert main(["check", "no-such-spec.yaml"]) == 2
    assert capsys.readouterr() == ("", "no-such-spec.yaml: error: no such file or folder\n")


def test_folder_that_is_not_a_solution(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path}: error: not a solution folder (it has no mapping.yaml)")


def test_several_paths_give_the_worst_outcome(capsys):
    good = ROOT / "mappings" / "users_track.yaml"
    assert main(["check", str(good), str(good)]) == 0
    assert main(["check", str(good), "no-such-spec.yaml", str(good)]) == 2
    out, err = capsys.readouterr()
    assert out.count(": ok: ") == 4, "every path is checked, even after a failing one"
    assert err == "no-such-spec.yaml: error: no such file or folder\n"


def test_a_long_value_is_shortened_in_the_message(tmp_path, capsys):
    spec = tmp_path / "text.yaml"
    spec.write_text("word " * 400, encoding="utf-8")
    assert main(["check", str(spec)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{spec}:1:1: error: the spec must be a mapping")
    assert len(line) < len(str(spec)) + 200
