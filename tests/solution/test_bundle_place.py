"""Where `bundle` writes without --out: bundles/<env>/ in the solution, which git never
commits, so it is also where --embed-key may write; and `prod` is `live` there too."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE

from pypestream_braze.cli.main import main
from pypestream_braze.solution import bundles, generate

KEY = "bz-test-key-0123456789abcdef"
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]


def git(folder: Path, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


def committed(folder: Path) -> None:
    """folder made a git repository with everything in it committed."""
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "solution")
    assert git(folder, "status", "--porcelain") == ""


@pytest.fixture
def solution(tmp_path: Path) -> Path:
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    return root


@pytest.mark.parametrize("repository", ["the solution", "a team's, around it"])
def test_bundles_with_a_key_leave_nothing_git_would_commit(
    solution, repository, monkeypatch, capsys
):
    committed(solution if repository == "the solution" else solution.parent)
    monkeypatch.setenv("BRAZE_API_KEY_LIVE", KEY)
    monkeypatch.chdir(solution)

    assert main(["bundle", ".", "--env", "live", "--embed-key"]) == 0
    assert main(["bundle", ".", "--env", "sandbox"]) == 0

    out = capsys.readouterr().out
    assert "wrote bundles/live\n" in out and "wrote bundles/sandbox\n" in out
    app = (solution / "bundles" / "live" / "app.py").read_text(encoding="utf-8")
    assert f'"braze_api_key": "{KEY}"' in app
    assert git(solution, "status", "--porcelain", "--untracked-files=all") == ""
    git(solution, "add", "-A")  # even `git add -A` takes nothing
    assert git(solution, "status", "--porcelain") == ""
    assert (solution / "bundles" / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_the_next_bundle_replaces_the_last(solution, capsys):
    assert main(["bundle", str(solution), "--env", "sandbox"]) == 0
    place = solution / "bundles" / "sandbox"
    stale = place / "scripts" / "BrazeOldName.py"
    stale.write_text("class BrazeOldName: pass\n", encoding="utf-8")

    assert main(["bundle", str(solution), "--env", "sandbox"]) == 0

    assert not stale.exists()
    assert sorted(p.name for p in (place / "scripts").iterdir()) == [
        "BrazeLookupProfile.py",
        "BrazeStartWelcomeCanvas.py",
        "BrazeTrackProfile.py",
    ]
    assert sorted(p.name for p in (solution / "bundles").iterdir()) == [".gitignore", "sandbox"]


def test_a_failed_bundle_leaves_the_last_one_in_place(solution, monkeypatch, capsys):
    assert main(["bundle", str(solution), "--env", "sandbox"]) == 0
    place = solution / "bundles" / "sandbox"
    before = {p: p.read_bytes() for p in place.rglob("*") if p.is_file()}
    monkeypatch.delenv("BRAZE_API_KEY_SANDBOX", raising=False)
    from pypestream_braze.solution import bundle

    def failing(made, out):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle, "write", failing)

    assert main(["bundle", str(solution), "--env", "sandbox"]) == 2

    assert {p: p.read_bytes() for p in place.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in (solution / "bundles").iterdir()) == [".gitignore", "sandbox"]


def test_a_bundles_folder_of_the_users_own_is_not_taken_over(solution, capsys):
    own = solution / "bundles"
    own.mkdir()
    (own / "notes.txt").write_text("mine\n", encoding="utf-8")

    assert main(["bundle", str(solution), "--env", "sandbox"]) == 2

    err = capsys.readouterr().err
    assert "bundles/ in the solution is not the folder pypestream-braze bundles into" in err
    assert "but one of your own; give --out" in err and "nothing was written" in err
    assert sorted(p.name for p in own.iterdir()) == ["notes.txt"]


def test_a_link_in_place_of_the_bundles_folder_is_refused(solution, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".gitignore").write_text("*\n", encoding="utf-8")
    (solution / "bundles").symlink_to(elsewhere)

    assert main(["bundle", str(solution), "--env", "sandbox"]) == 2

    assert "is not the folder pypestream-braze bundles into" in capsys.readouterr().err
    assert sorted(p.name for p in elsewhere.iterdir()) == [".gitignore"]


def test_an_embedded_key_goes_nowhere_else_in_the_solution(solution, monkeypatch, capsys):
    monkeypatch.setenv("BRAZE_API_KEY_LIVE", KEY)
    args = ["bundle", str(solution), "--env", "live", "--embed-key", "--out"]

    assert main([*args, str(solution / "deploy")]) == 2
    err = capsys.readouterr().err
    assert "where version control would pick up the key" in err
    assert "leave out --out (the bundle goes to bundles/live/, which git ignores)" in err
    assert not (solution / "deploy").exists()

    assert main([*args, str(solution / "bundles" / "live.zip")]) == 2  # no bundles/ yet
    assert main(["bundle", str(solution), "--env", "sandbox"]) == 0  # makes bundles/
    assert main([*args, str(solution / "bundles" / "live.zip")]) == 0
    assert (solution / "bundles" / "live.zip").is_file()


def test_prod_is_live(solution, capsys):
    assert main(["bundle", str(solution), "--env", "prod"]) == 0

    assert "wrote " in capsys.readouterr().out
    manifest = json.loads((solution / "bundles" / "live" / "manifest.json").read_text())
    assert manifest["environment"] == "live"
    assert not (solution / "bundles" / "prod").exists()


def test_the_folder_appears_with_its_gitignore_or_not_at_all(solution, monkeypatch):
    real = os.rename
    monkeypatch.setattr(os, "rename", lambda *a: (_ for _ in ()).throw(OSError(28, "full")))
    with pytest.raises(OSError):
        bundles.default_place(solution, "sandbox")
    monkeypatch.setattr(os, "rename", real)
    assert not (solution / "bundles").exists()
    assert [p.name for p in solution.iterdir() if p.name.startswith(".bundles")] == []
