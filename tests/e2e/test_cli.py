"""The command line as users run it: real processes, real pipes, a real terminal for questions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from helpers import MAPPINGS, PARTNER_EXAMPLE, REPO, TESTS

from pypestream_braze.solution import generate

CLI = Path(sys.executable).with_name("pypestream-braze")
INVALID = TESTS / "invalid"
WARNING_SPEC = INVALID / "miscased_first_name.yaml"  # valid, with one warning
NODE = "acme_claims/actions/BrazeTrackProfile.py"
# One form for every line on stderr: PATH[:LINE:COL]: level: message.
LINE = re.compile(r"^[^\s:][^:]*(:\d+:\d+)?: (error|warning|note): \S")


def cli(*args, cwd=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        **kwargs,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def solution(tmp_path) -> Path:
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    return root


def change_mapping(root: Path) -> None:
    mapping = root / "mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace('home_city: "{CITY}"', 'home_city: "{TOWN}"'), "utf-8")


# -- previews and pipes ----------------------------------------------------------------------------


def test_diff_and_check_only_look(solution):
    change_mapping(solution)
    before = snapshot(solution)

    diff = cli("regen", solution, "--diff")
    assert diff.returncode == 0, diff.stderr
    assert f"+++ b/{NODE}" in diff.stdout and "dry run, nothing written" in diff.stdout
    assert cli("regen", solution, "--check").returncode == 1
    assert snapshot(solution) == before

    assert cli("regen", solution).returncode == 0
    assert cli("regen", solution, "--check").returncode == 0


def test_a_closed_pipe_ends_the_output_not_the_preview(solution):
    """`regen --diff | head -3`: three lines, exit 0, not a word on stderr, nothing written."""
    change_mapping(solution)
    before = snapshot(solution)
    with subprocess.Popen(
        [str(CLI), "regen", str(solution), "--diff"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        head = [process.stdout.readline() for _ in range(3)]
        process.stdout.close()
        err = process.stderr.read()
        assert process.wait(timeout=120) == 0
    assert head[0].startswith("updated ")
    assert err == ""
    assert snapshot(solution) == before


def test_a_pipe_closed_before_any_output_changes_nothing_about_the_work(solution):
    change_mapping(solution)
    with subprocess.Popen(
        [str(CLI), "regen", str(solution)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        process.stdout.close()  # every write to stdout fails from the first one
        err = process.stderr.read()
        assert process.wait(timeout=120) == 0
    assert err == ""
    assert 'value("TOWN", max_length=255)' in (solution / NODE).read_text(encoding="utf-8")
    check = cli("check", solution)
    assert check.returncode == 0, check.stdout
    assert check.stdout.endswith(f"{solution}: up to date: 3 nodes, 24 generated files\n")


# -- one form for every message --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check", "nope.yaml"],
        ["check", "."],
        ["check", "/etc/passwd"],
        ["new", "--no-input", "--mapping", "nope.yaml"],
        ["new", "--no-input", "--mapping", "."],
        ["new", "--no-input", "--output-dir", "afile"],
        ["new", "--no-input", "--mapping", "long.yaml"],
        ["regen", "nowhere"],
        ["regen", "afile"],
        ["regen", ".", "--mapping", "nope.yaml"],
        ["routing", "nowhere"],
        ["routing", "bad.yaml"],
    ],
    ids=lambda args: " ".join(args),
)
def test_every_problem_names_its_file(tmp_path, args):
    (tmp_path / "afile").write_text("", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("version: 1\n", encoding="utf-8")
    long_name = PARTNER_EXAMPLE.read_text(encoding="utf-8").replace(
        "solution: AcmeClaims", "solution: " + "Ab" * 150
    )
    (tmp_path / "long.yaml").write_text(long_name, encoding="utf-8")

    result = cli(*args, cwd=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "a failure says why"
    for line in lines:
        assert LINE.match(line), line
        assert not re.search(r"(^|: ): |\bNone\b", line), line
        assert len(line) < 600, "a message quotes, it does not paste whole files"
    if "routing" in args or "check" in args:
        assert "nothing was written" not in result.stderr, "these commands never write"
    assert "Traceback" not in result.stderr


def test_a_passing_check_says_what_it_checked(tmp_path):
    # Paths are shown relative to the current folder when below it, however they were given.
    result = cli("check", MAPPINGS / "users_track.yaml", WARNING_SPEC, cwd=INVALID.parent)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{MAPPINGS / 'users_track.yaml'}: ok: 1 node, 1 endpoint (users/track), no warnings",
        "invalid/miscased_first_name.yaml: ok: 1 node, 1 endpoint (users/track), 1 warning",
    ]
    assert result.stderr.startswith("invalid/miscased_first_name.yaml:16:11: warning: ")


def test_routing_prints_json_that_pastes(solution):
    result = cli("routing", solution, env={**os.environ, "COLUMNS": "40"})
    assert result.returncode == 0
    inputs = [
        json.loads(line.split("parameter input", 1)[1])
        for line in result.stdout.splitlines()
        if "parameter input" in line
    ]
    assert inputs[0]["USER_ID"] == "{USER_ID}" and len(inputs) == 3
    table = json.loads(cli("routing", solution, "--json").stdout)
    assert [node["parameter_input"] for node in table["nodes"]] == inputs


def test_help_does_not_read_the_installed_version():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pypestream_braze", "--help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "importlib.metadata" not in result.stderr
    version = cli("--version")
    assert re.fullmatch(r"pypestream-braze \S+\n", version.stdout)


# -- new, and the cookiecutter front door ----------------------------------------------------------


def test_new_prints_each_warning_once(tmp_path):
    result = cli("new", "--no-input", "--mapping", WARNING_SPEC, "--output-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"created {tmp_path / 'acme_claims'}\n"
    assert result.stderr.count("warning:") == 1
    assert (tmp_path / "acme_claims" / "requirements-generator.txt").is_file()


def cookiecutter(*args, cwd: Path) -> subprocess.CompletedProcess:
    home = cwd / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(REPO), "--no-input", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"HOME": str(home), "PATH": str(Path(sys.executable).parent)},
        timeout=120,
    )


def test_cookiecutter_prints_our_message_and_no_traceback(tmp_path):
    result = cookiecutter("solution=not camel", cwd=tmp_path)

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Stopping generation" not in output
    assert output.count("'not camel' must be CamelCase") == 1
    assert not (tmp_path / "not_camel").exists() and not (tmp_path / "acme_claims").exists()


def test_cookiecutter_prints_warnings_once(tmp_path):
    result = cookiecutter(f"mapping={WARNING_SPEC}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("warning:") == 1


@pytest.mark.parametrize("door", ["new", "cookiecutter"])
@pytest.mark.parametrize(
    "mapping",
    ["{{ 7*7 }}.yaml", "{{ cycler.__init__.__globals__.os.system('touch pwned') }}/m.yaml"],
    ids=["arithmetic", "command"],
)
def test_input_is_data_never_a_template(tmp_path, door, mapping):
    (tmp_path / "49.yaml").write_text(PARTNER_EXAMPLE.read_text(encoding="utf-8"), "utf-8")
    if door == "new":
        result = cli("new", "--no-input", "--mapping", mapping, cwd=tmp_path)
    else:
        result = cookiecutter(f"mapping={mapping}", cwd=tmp_path)

    assert result.returncode != 0
    assert f"{mapping}: error: no such file" in result.stderr
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "acme_claims").exists(), "49.yaml was not read"


def test_cookiecutter_answers_are_data(tmp_path):
    result = cookiecutter("customer={{ 7*7 }} {% raw %}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    app = (tmp_path / "acme_claims" / "acme_claims" / "app.py").read_text(encoding="utf-8")
    assert "NAME = '{{ 7*7 }} {% raw %}'" in app or 'NAME = "{{ 7*7 }} {% raw %}"' in app


# -- questions in a terminal -----------------------------------------------------------------------


def spawn(*args, cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        str(CLI),
        [str(a) for a in args],
        cwd=str(cwd),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 250),
        env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"},
    )


def test_interactive_new_asks_each_question_once_and_again_when_wrong(tmp_path):
    child = spawn("new", "--mapping", PARTNER_EXAMPLE, cwd=tmp_path)
    child.expect(r"Customer name \(app\.NAME\) \(AcmeInsurance\): ")
    assert "Mapping spec" not in child.before, "given on the command line: not asked"
    child.sendline("Harbor Mutual")  # what the spec's reader would warn about: asked again
    child.expect("customer 'Harbor Mutual' is not a Pypestream customer id .*; answer HarborMutual")
    assert "partner_example.yaml:" not in child.before + child.after, "about the answer"
    child.expect(r"Customer name \(app\.NAME\) \(AcmeInsurance\): ")
    child.sendline("")
    child.expect(r"Solution name, CamelCase \(CSV_BOTS\) \(AcmeClaims\): ")
    child.sendline("not camel")
    child.expect("'not camel' must be CamelCase letters and digits")
    child.expect(r"Solution name, CamelCase \(CSV_BOTS\) \(AcmeClaims\): ")
    child.sendline("GlobexClaims")
    child.expect(r"Braze instance for sandbox .*\(US-01\): ")
    child.sendline("US-99")
    child.expect("'US-99' is not a Braze instance")
    child.expect(r"Braze instance for sandbox .*\(US-01\): ")
    child.sendline("eu-01")
    child.expect(r"Braze instance for live .*\(US-05\): ")
    child.sendline("")
    child.expect(f"created {re.escape('globex_claims')}")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0
    mapping = (tmp_path / "globex_claims" / "mapping.yaml").read_text(encoding="utf-8")
    assert 'solution: "GlobexClaims"' in mapping and 'instance: "EU-01"' in mapping
    assert "instance: US-05" in mapping, "an answer equal to the default changes nothing"


def test_interactive_new_asks_for_the_mapping_first_and_shows_a_broken_one(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ncustomer: X\n", encoding="utf-8")
    child = spawn("new", cwd=tmp_path)
    child.expect(r"Mapping spec \(YAML file\) \(the bundled partner example\): ")
    child.sendline(str(broken))
    child.expect(r"broken\.yaml:1:1: error: the spec needs the key 'nodes'")  # from the cwd
    child.expect("fix the spec and press Enter, or give another file")
    child.expect(r"Mapping spec \(YAML file\)")
    child.sendline("")  # the bundled example
    for _ in range(4):
        child.expect(r"\): ")
        child.sendline("")
    child.expect("created acme_claims")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "acme_claims" / "acme_claims" / "app.py").is_file()


def test_interactive_new_without_an_answer_ends_cleanly(tmp_path):
    result = cli("new", "--output-dir", tmp_path, input="")
    assert result.returncode == 2
    assert "pypestream-braze: error: a question got no answer" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_solution_readme_workflow_works_in_a_fresh_venv(tmp_path):
    """The solution README's commands, as written there, in a new environment of its own."""
    assert cli("new", "--no-input", "--output-dir", tmp_path).returncode == 0
    root = tmp_path / "acme_claims"
    readme = (root / "README.md").read_text(encoding="utf-8")
    setup = "python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements-dev.txt"
    assert setup in readme and "pypestream-braze regen ." in readme
    python = Path(sys.executable).resolve()
    setup = setup.replace("python3", str(python), 1)
    script = f"{setup} && pypestream-braze regen . && python -m pytest -q"
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        # pip keeps a wheel it built from this checkout by name and version: without its cache,
        # the generator installed is this checkout as it is now.
        env={
            **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
            "PIP_NO_CACHE_DIR": "1",
        },
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "up to date; nothing written" in result.stdout
    assert " passed" in result.stdout
    # The solution's CI workflow runs its steps in that environment as GitHub would.
    workflow = yaml.safe_load((root / ".github/workflows/pypestream-braze.yml").read_text("utf-8"))
    steps = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    assert steps[-2:] == ["python -m pytest", "pypestream-braze check . --output-format github"]
    result = subprocess.run(
        ["bash", "-c", " && ".join([". .venv/bin/activate", *steps])],
        cwd=root,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.endswith("\n.: up to date\n"), result.stdout[-2000:]
