"""`pypestream-braze new` and `cookiecutter <repo>`: two front doors, the same solution."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter
from helpers import PARTNER_EXAMPLE, REPO

from pypestream_braze.cli.main import main


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_new_creates_the_solution_folder(tmp_path, capsys):
    assert main(["new", "--no-input", "--output-dir", str(tmp_path)]) == 0

    root = tmp_path / "acme_claims"
    assert (root / "acme_claims" / "actions" / "BrazeTrackProfile.py").is_file()
    assert (root / ".pypestream-braze" / "state.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["acme_claims"], "no staging left behind"
    assert f"created {root}" in capsys.readouterr().out


def test_new_refuses_an_existing_folder_without_force(tmp_path, capsys):
    main(["new", "--no-input", "--output-dir", str(tmp_path)])
    edited = tmp_path / "acme_claims" / "acme_claims" / "app.py"
    edited.write_text("# mine\n", encoding="utf-8")

    assert main(["new", "--no-input", "--output-dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8") == "# mine\n"

    assert main(["new", "--no-input", "--force", "--output-dir", str(tmp_path)]) == 0
    assert "NAME = " in edited.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme_claims"]


def test_new_with_a_bad_mapping_writes_nothing(tmp_path, capsys):
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\ncustomer: X\nsolution: x y\nnodes: []\n", encoding="utf-8")
    out = tmp_path / "out"

    assert main(["new", "--no-input", "--mapping", str(spec), "--output-dir", str(out)]) == 2

    err = capsys.readouterr().err
    assert f"{spec}:3:11: error: solution 'x y' must be CamelCase" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_cookiecutter_gives_the_same_files_as_new(tmp_path):
    main(["new", "--no-input", "--output-dir", str(tmp_path / "cli")])
    config = tmp_path / "config.yaml"
    config.write_text(f"replay_dir: {str(tmp_path / 'replay')!r}\n", encoding="utf-8")
    baked = cookiecutter(
        str(REPO), no_input=True, output_dir=str(tmp_path / "cc"), config_file=str(config)
    )

    assert Path(baked).name == "acme_claims"
    assert tree(Path(baked)) == tree(tmp_path / "cli" / "acme_claims")
    assert not filecmp.dircmp(baked, tmp_path / "cli" / "acme_claims").diff_files


def test_cookiecutter_command_line_no_input(tmp_path):
    """What a user types: `cookiecutter <path-to-this-repo> --no-input`."""
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(REPO), "--no-input", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        env={"HOME": str(home), "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode == 0, result.stderr
    state = json.loads((tmp_path / "acme_claims/.pypestream-braze/state.json").read_text())
    assert "acme_claims/actions/BrazeTrackProfile.py" in state["files"]


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version(flag, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([flag])
    assert exit_.value.code == 0


def test_new_reads_validates_and_renders_the_spec_once(tmp_path, monkeypatch):
    from pypestream_braze.mapping import source
    from pypestream_braze.render import files

    calls = {"load": 0, "render": 0}
    real_load, real_render = source.load, files.render_solution

    def load(*args, **kwargs):
        calls["load"] += 1
        return real_load(*args, **kwargs)

    def render(*args, **kwargs):
        calls["render"] += 1
        return real_render(*args, **kwargs)

    monkeypatch.setattr(source, "load", load)
    monkeypatch.setattr("pypestream_braze.solution.generate.render_solution", render)

    assert main(["new", "--no-input", "--output-dir", str(tmp_path)]) == 0

    assert calls == {"load": 1, "render": 1}


def test_a_relative_schema_comment_points_at_the_solutions_schema(tmp_path):
    from pypestream_braze.solution.generate import prepare

    spec = tmp_path / "specs" / "mine.yaml"
    spec.parent.mkdir()
    text = PARTNER_EXAMPLE.read_text(encoding="utf-8")
    spec.write_text(text.replace("$schema=./schema.json", "$schema=../../schema.json"))
    mapping = prepare(spec).files["mapping.yaml"]
    assert mapping.splitlines()[0] == "# yaml-language-server: $schema=./schema.json"
