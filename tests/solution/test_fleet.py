"""`check` and `regen` over many solutions: one line each, a summary, the worst exit code.

The scenario a team lives: three solutions generated under one conventions file and edited by
hand; the conventions change (a new timeout and a header template); `check` over the folder
fails, one `regen` brings all three up to date with every hand edit kept, and `check` passes.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from helpers import TESTS

from pypestream_braze.cli.main import main
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import fleet, generate, regen, state

CONVENTIONS = """\
version: 1
defaults: {timeout: 6, error_node: 99990}
environments:
  sandbox: {instance: US-05}
  live: {instance: US-05}
naming:
  nodes: {prefix: Braze}
policy:
  never_send: [dob]
templates: templates/
"""
SPEC = """\
# {solution}'s mapping
version: 1
customer: AcmeInsurance
solution: {solution}
conventions: ../team/conventions.yaml
nodes:
  - name: BrazeTrackProfile
    endpoint: users/track
    description: Save the profile
    identifier: {{external_id: "{{USER_ID}}"}}
    body:
      attributes:
        - first_name: "{{FIRST_NAME}}"
    routing: {{node: 4000, success: 4010, failure: 4020}}
"""
SOLUTIONS = ("AlphaClaims", "BetaClaims", "GammaClaims")
_FORMATTED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fast_black(monkeypatch):
    """black is deterministic and slow; the solutions here format the same sources."""
    real = black.format_str

    def cached(source, *, mode):
        if source not in _FORMATTED:
            _FORMATTED[source] = real(source, mode=mode)
        return _FORMATTED[source]

    monkeypatch.setattr(formatting.black, "format_str", cached)


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A team folder, three specs and a solutions folder; the pool of workers always used."""
    monkeypatch.setattr(fleet, "workers", lambda: 2)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team" / "templates").mkdir(parents=True)
    (tmp_path / "team" / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (tmp_path / "team" / "templates" / "header.py.jinja").write_text(
        "# Acme Integrations: {{ node.name }}.\n", encoding="utf-8"
    )
    (tmp_path / "specs").mkdir()
    for name in SOLUTIONS:
        spec = tmp_path / "specs" / f"{name}.yaml"
        spec.write_text(SPEC.format(solution=name), encoding="utf-8")
    (tmp_path / "solutions").mkdir()
    return tmp_path


def generate_all(workspace: Path) -> list[Path]:
    """The first through `new` (made in a staging folder, then moved into the solutions
    folder), the others through the engine."""
    out = workspace / "solutions"
    spec = workspace / "specs" / f"{SOLUTIONS[0]}.yaml"
    assert main(["new", "--mapping", str(spec), "--output-dir", str(out), "--no-input"]) == 0
    roots = [out / "alpha_claims"]
    for name in SOLUTIONS[1:]:
        root = out / f"{name.removesuffix('Claims').lower()}_claims"
        prepared = generate.prepare(workspace / "specs" / f"{name}.yaml", target=root)
        generate.write_new(root, prepared)
        roots.append(root)
    return roots


def node(root: Path) -> Path:
    return root / root.name / "actions" / "BrazeTrackProfile.py"


def hand_edit(root: Path) -> None:
    path = node(root)
    text = path.read_text(encoding="utf-8")
    marker = "        return _execute(self, log, payload, context)\n"
    assert marker in text
    path.write_text(
        text.replace(marker, f"        log('{root.name}: hand-made line')\n" + marker, 1),
        encoding="utf-8",
    )
    app = root / root.name / "app.py"
    app.write_text(app.read_text(encoding="utf-8") + "\nOWNER = 'claims team'\n", encoding="utf-8")


def test_a_conventions_change_reaches_every_solution_in_one_regen(workspace, capsys):
    roots = generate_all(workspace)
    for root in roots:
        assert "conventions: ../../team/conventions.yaml\n" in (root / "mapping.yaml").read_text()
        assert node(root).read_text().startswith("# Acme Integrations: BrazeTrackProfile.\n")
        hand_edit(root)
    capsys.readouterr()
    assert main(["check", "solutions"]) == 0
    assert capsys.readouterr().out.endswith("3 solutions: 3 up to date\n")

    conventions = workspace / "team" / "conventions.yaml"
    conventions.write_text(
        conventions.read_text().replace("timeout: 6", "timeout: 7.5"), encoding="utf-8"
    )
    (workspace / "team" / "templates" / "header.py.jinja").write_text(
        "# Acme Integrations: {{ node.name }} for {{ solution.solution }}.\n"
        "# Questions to integrations@example.com.\n",
        encoding="utf-8",
    )

    assert main(["check", "solutions"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        line
        for root in roots
        for line in (
            f"solutions/{root.name}: out of date: regen would change 2 files (1 updated, "
            "1 merged); generated under an older version of its team conventions",
            f"solutions/{root.name}/ROUTING.md: out of date: regen would update it",
            f"solutions/{root.name}/{root.name}/actions/BrazeTrackProfile.py: out of date: "
            "regen would merge the mapping's change into your edits",
        )
    ] + ["3 solutions: 3 out of date"]

    assert main(["regen", "solutions"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"solutions/{root.name}: updated 2 files (1 updated, 1 merged)" for root in roots
    ] + ["3 solutions: 3 updated"]

    for root, name in zip(roots, SOLUTIONS, strict=True):
        text = node(root).read_text(encoding="utf-8")
        assert text.startswith(
            f"# Acme Integrations: BrazeTrackProfile for {name}.\n"
            "# Questions to integrations@example.com.\n\n\n# ruff: noqa"
        )
        assert f"log('{root.name}: hand-made line')" in text
        assert "TIME_BUDGET = 7.5" in text
        assert "OWNER = 'claims team'" in (root / root.name / "app.py").read_text()
        recorded = state.read(root).conventions_sha256
        assert recorded == generate.prepare(root / "mapping.yaml").conventions_sha256
    assert main(["check", "solutions"]) == 0
    assert capsys.readouterr().out.endswith("3 solutions: 3 up to date\n")


def engine_solutions(workspace: Path, names=SOLUTIONS) -> list[Path]:
    roots = []
    for name in names:
        root = workspace / "solutions" / f"{name.removesuffix('Claims').lower()}_claims"
        generate.write_new(
            root, generate.prepare(workspace / "specs" / f"{name}.yaml", target=root)
        )
        roots.append(root)
    return roots


def test_each_solution_gets_its_line_and_the_worst_status_wins(workspace, capsys):
    alpha, beta, gamma = engine_solutions(workspace)
    mapping = beta / "mapping.yaml"  # breaks the policy: never send dob
    mapping.write_text(
        mapping.read_text().replace('"{FIRST_NAME}"', '"{FIRST_NAME}"\n          dob: "{DOB}"'),
        encoding="utf-8",
    )
    path = node(gamma)  # a conflict left unresolved
    path.write_text(path.read_text() + "<<<<<<< yours\nx = 1\n=======\n>>>>>>> generated\n")

    assert main(["check", "solutions"]) == 2

    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "solutions/alpha_claims: up to date",
        "solutions/beta_claims: bad spec: 1 error",
        "solutions/gamma_claims: conflict: markers in 1 file to resolve by hand",
        "solutions/gamma_claims/gamma_claims/actions/BrazeTrackProfile.py: conflict: "
        "unresolved conflict markers; resolve them by hand",
        "3 solutions: 1 up to date, 1 conflict, 1 bad spec",
    ]
    assert (
        "solutions/beta_claims/mapping.yaml:14:11: error: attribute 'dob' must never be sent"
        in captured.err
    )

    before = node(alpha).read_text()
    assert main(["regen", "solutions/alpha_claims", "solutions/gamma_claims"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "2 solutions: 1 up to date, 1 conflict"
    assert node(alpha).read_text() == before


def test_check_names_older_conventions_and_generator_versions(workspace, monkeypatch, capsys):
    (root,) = engine_solutions(workspace, SOLUTIONS[:1])
    monkeypatch.setattr(regen, "generator_version", lambda: "99.0")
    monkeypatch.setattr(regen, "generator_fingerprint", lambda: "9" * 64)  # its own code
    conventions = workspace / "team" / "conventions.yaml"
    conventions.write_text(conventions.read_text() + "team: Acme\n", encoding="utf-8")

    assert main(["check", str(root)]) == 0  # nothing it generates changed

    assert capsys.readouterr().out == (
        "solutions/alpha_claims: note: generated under an older version of its team conventions\n"
        "solutions/alpha_claims: note: generated by pypestream-braze 0.1.0 (this is 99.0)\n"
        "solutions/alpha_claims: up to date: 1 node, 20 generated files\n"
    )
    assert main(["check", "solutions", "solutions/nothing-here"]) == 2
    assert capsys.readouterr().out.splitlines() == [
        "solutions/alpha_claims: up to date; generated under an older version of its team "
        "conventions; generated by pypestream-braze 0.1.0 (this is 99.0)",
        "solutions/nothing-here: failed: no such file or folder",
        "2 solutions: 1 up to date, 1 failed",
    ]
    assert main(["regen", "solutions"]) == 0  # records the conventions and the version
    assert main(["check", str(root)]) == 0
    assert capsys.readouterr().out.endswith(": up to date: 1 node, 20 generated files\n")


def test_solutions_are_found_by_their_state_only_where_it_is_safe_to_look(tmp_path):
    def solution(relative: str) -> Path:
        folder = tmp_path / relative
        (folder / state.STATE_DIR).mkdir(parents=True)
        (folder / state.STATE_DIR / state.STATE_FILE).write_text("{}", encoding="utf-8")
        return folder

    top = solution("repo/solutions/acme")
    solution("repo/solutions/acme/vendored/inner")  # inside a solution: not searched
    deep = solution("repo/customers/globex/onboarding")
    solution("repo/.git/solutions/hidden")
    solution("elsewhere/linked")
    (tmp_path / "repo" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "repo" / "notes").mkdir()

    assert fleet.find([tmp_path / "repo"]) == [deep, top]
    assert fleet.find([top, tmp_path / "repo" / "solutions"]) == [top]


def test_regen_of_many_takes_no_mapping(workspace, capsys):
    engine_solutions(workspace, SOLUTIONS[:2])
    spec = str(workspace / "specs" / "AlphaClaims.yaml")
    assert main(["regen", "solutions", "--mapping", spec]) == 2
    assert "give one SOLUTION_DIR with it" in capsys.readouterr().err


def test_check_takes_several_specs_too(monkeypatch, capsys):
    monkeypatch.chdir(TESTS / "conventions" / "specs")

    assert main(["check", "follows.yaml", "naming.yaml"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "follows.yaml: ok: 2 nodes, 2 endpoints (users/track, canvas/trigger/send), no warnings",
        "naming.yaml: ok: 2 nodes, 2 endpoints (users/track, users/export/ids), 7 warnings",
    ]
    assert main(["check", "follows.yaml", "naming.yaml", "policy.yaml", "--strict"]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [captured.out.splitlines()[0]], "only follows.yaml passes"
    assert "policy.yaml:17:15: error: endpoint users/delete is forbidden" in captured.err
