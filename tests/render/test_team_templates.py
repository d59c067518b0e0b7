"""A team's own templates: used by name, held to the generator's invariants, or rejected.

Rejected means: exit 2, an error naming the template, and nothing written.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path

import black
import pytest

from pypestream_braze import node_runtime
from pypestream_braze.cli.main import main
from pypestream_braze.errors import SpecError
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import generate

SPEC = """\
version: 1
customer: AcmeInsurance
solution: AcmeClaims
conventions: team/conventions.yaml
nodes:
  - name: BrazeTrackProfile
    endpoint: users/track
    description: Save the profile
    identifier: {external_id: "{USER_ID}"}
    body:
      attributes:
        - first_name: "{FIRST_NAME}"
      events:
        - name: profile_saved
    routing: {node: 4000, success: 4010, failure: 4020}
  - name: BrazeWelcome
    endpoint: canvas/trigger/send
    description: Start the welcome Canvas
    body:
      canvas_id: 0f0e2a9c-0000-4000-8000-000000000001
      recipients: [{external_user_id: "{USER_ID}"}]
    routing: {node: 4100, success: 4110, failure: 4120}
"""
CONVENTIONS = """\
version: 1
defaults: {timeout: 6, error_node: 99990}
environments:
  sandbox: {instance: US-05}
  live: {instance: US-05}
templates: templates/
"""
HEADER = "# Acme Integrations: {{ node.name }} for {{ solution.customer }}.\n"
NODES = ("acme_claims/actions/BrazeTrackProfile.py", "acme_claims/actions/BrazeWelcome.py")
_FORMATTED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fast_black(monkeypatch):
    """black is deterministic and slow; these renders format the same sources again and again."""
    real = black.format_str

    def cached(source, *, mode):
        if source not in _FORMATTED:
            _FORMATTED[source] = real(source, mode=mode)
        return _FORMATTED[source]

    monkeypatch.setattr(formatting.black, "format_str", cached)


@pytest.fixture
def team(tmp_path):
    """The spec and its team folder; team(templates={name: text}) writes the templates."""
    (tmp_path / "team" / "templates").mkdir(parents=True)
    (tmp_path / "team" / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")

    def _team(**templates: str) -> Path:
        folder = tmp_path / "team" / "templates"
        for old in folder.rglob("*.jinja"):
            old.unlink()
        for name, text in templates.items():
            target = folder / name.replace("__", "/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return spec

    return _team


def classes(text: str) -> Counter:
    return Counter(n.name for n in ast.parse(text).body if isinstance(n, ast.ClassDef))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_header_tops_every_node_file_and_keeps_it_clean(team, tmp_path):
    root = tmp_path / "solution"
    plain = generate.prepare(team(), target=root).files
    spec = team(**{"header.py.jinja": HEADER})

    prepared = generate.prepare(spec, target=root)
    generate.write_new(root, prepared)

    for path in NODES:
        text = prepared.files[path]
        name = Path(path).stem
        assert text.startswith(f"# Acme Integrations: {name} for AcmeInsurance.\n\n\n# ruff")
        assert text.endswith(plain[path])  # the rest is the generator's own
        # The header adds no class: the node file keeps exactly the generator's classes,
        # its node's class among them, once.
        assert classes(text) == classes(plain[path]) and classes(text)[name] == 1
    others = set(prepared.files) - set(NODES)
    assert all(prepared.files[p] == plain[p] for p in others)
    for command in (["ruff", "check", "--no-cache", "."], ["black", "--check", "--quiet", "."]):
        result = subprocess.run(
            [sys.executable, "-m", *command], cwd=root, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_docstring_header_is_joined_the_way_black_joins_it(team):
    spec = team(**{"header.py.jinja": '"""Acme Integrations."""\n'})
    text = generate.prepare(spec).files[NODES[0]]
    assert text.startswith('"""Acme Integrations."""\n\n# ruff')
    assert formatting.format_python(text) == text


def test_a_template_black_would_change_is_rejected_and_nothing_written(team, tmp_path, capsys):
    spec = team(**{"header.py.jinja": "# {{ node.name }}\nOWNER='integrations'\n"})
    out = tmp_path / "out"

    code = main(["new", "--no-input", "--mapping", str(spec), "--output-dir", str(out)])

    err = capsys.readouterr().err
    assert code == 2, err
    template = tmp_path / "team" / "templates" / "header.py.jinja"
    assert f"{template}: error: renders Python that black would change" in err
    change = """"OWNER='integrations'" at line 2 of its output as 'OWNER = "integrations"'"""
    assert f"black writes {change}" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_a_second_class_in_a_node_is_rejected_and_nothing_written(team, tmp_path, capsys):
    root = tmp_path / "solution"
    generate.write_new(root, generate.prepare(team(), target=root))
    team(**{"header.py.jinja": 'class Banner:\n    owner = "{{ solution.customer }}"\n'})
    before = snapshot(root)

    assert main(["regen", str(root)]) == 2

    err = capsys.readouterr().err
    template = tmp_path / "team" / "templates" / "header.py.jinja"
    assert (
        f"{template}: error: renders code that runs when a node is imported (line 1 of its "
        "output: 'class Banner:'); a header holds comments, a docstring, imports and constants"
    ) in err
    assert snapshot(root) == before


@pytest.mark.parametrize("block", ["if True:", "try:", "with open(__file__):"])
def test_a_class_inside_a_block_of_a_node_template_counts_as_a_second_class(
    team, tmp_path, capsys, block
):
    part = block + "\n\n    class Sneaky:\n        pass\n"
    if block == "try:":
        part += "\nexcept ImportError:\n    pass\n"
    plain = team()
    node_path = next(path for path in generate.prepare(plain).files if "/actions/Braze" in path)
    own = node_runtime.split(generate.prepare(plain).files[node_path]).part.rstrip("\n")
    override = "{% raw %}" + own + "\n\n\n" + part + "{% endraw %}"
    spec = team(**{"action_node.py.jinja": override})

    with pytest.raises(SpecError) as raised:
        generate.prepare(spec)

    messages = "\n".join(str(p) for p in raised.value.problems)
    assert "adds the top-level class Sneaky in acme_claims/actions/" in messages


def test_a_header_of_comments_docstring_imports_and_constants_is_accepted(team, tmp_path):
    header = (
        '"""Acme Integrations."""\n\nfrom __future__ import annotations\n\n'
        'OWNER = "{{ solution.customer }}"\nRETRIES: int = 3\n'
    )
    files = generate.prepare(team(**{"header.py.jinja": header})).files

    assert files[NODES[0]].startswith('"""Acme Integrations."""\n')


def test_what_ruff_finds_in_an_override_rejects_it(team, tmp_path, capsys):
    app = (
        '"""Configuration, the team\'s way."""\n\nimport os\nimport sys\n\n'
        'NAME = "{{ solution.customer }}"\nPARAMS = {}\n'
    )
    spec = team(**{"app.py.jinja": app})

    with pytest.raises(SpecError) as raised:
        generate.prepare(spec)

    messages = [str(p) for p in raised.value.problems]
    template = tmp_path / "team" / "templates" / "app.py.jinja"
    assert f"{template}: error: makes ruff fail on acme_claims/app.py: line 3: F401" in messages[0]
    assert len(messages) == 2 and "`sys` imported but unused" in messages[1]


@pytest.mark.parametrize(
    ("templates", "expected"),
    [
        ({"header.py.jinja": "# {{ node.name }\n"}, "header.py.jinja:1:1: error: is not a valid"),
        (
            {"header.py.jinja": "# one\n# {{ node.nmae }}\n"},
            "header.py.jinja:2:1: error: failed to render: UndefinedError:",
        ),
        (
            {"header.py.jinja": "# {{ cycler.__init__.__globals__ }}\n"},
            "header.py.jinja:1:1: error: uses what a template may not",
        ),
        (
            {"hedaer.py.jinja": "# hi\n"},
            "hedaer.py.jinja: error: overrides no template of the generator (did you mean "
            "'header.py.jinja'?)",
        ),
        (
            {"header.py.jinja": "def f(:\n"},
            "header.py.jinja: error: renders Python that does not compile",
        ),
    ],
    ids=["syntax", "undefined", "sandbox", "unknown", "not-python"],
)
def test_a_broken_team_template_is_named(team, tmp_path, templates, expected):
    spec = team(**templates)
    with pytest.raises(SpecError) as raised:
        generate.prepare(spec)
    shown = str(tmp_path / "team" / "templates")
    assert any(str(p).startswith(f"{shown}/{expected}") for p in raised.value.problems), [
        str(p) for p in raised.value.problems
    ]


def test_a_team_readme_replaces_ours_and_helpers_can_be_included(team):
    spec = team(
        **{
            "README.md.jinja": '# {{ solution.solution }}\n\n{% include "_owner.md.jinja" %}\n',
            "_owner.md.jinja": "Owned by Acme Integrations.",
        }
    )
    files = generate.prepare(spec).files
    assert files["README.md"] == "# AcmeClaims\n\nOwned by Acme Integrations."
    plain = generate.prepare(team()).files
    assert {p: t for p, t in files.items() if p != "README.md"} == {
        p: t for p, t in plain.items() if p != "README.md"
    }
