"""A node's runtime edited by hand: `check` names the node, `regen` treats it as any hand edit
(kept, merged with a new runtime, or a conflict), and the node's marker keeps telling."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE

from pypestream_braze import node_runtime
from pypestream_braze.cli.main import main
from pypestream_braze.solution import generate

NODE = "acme_claims/actions/BrazeTrackProfile.py"
EDITED = "its runtime (below the RUNTIME line) was edited"


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / NODE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(root: Path, capsys) -> tuple[int, str]:
    code = main(["check", str(root)])
    return code, capsys.readouterr().out


def change_mapping(root: Path) -> None:
    """A new attribute for the node: regen must render it and merge it into the edit."""
    mapping = root / "mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    old = '          os: "{OPERATING_SYSTEM}"'
    assert old in text
    mapping.write_text(text.replace(old, old + '\n          country: "{COUNTRY}"'), "utf-8")


@pytest.fixture
def new_runtime(monkeypatch):
    """The generator with another runtime: one limit changed, as a new version might."""

    def use(old: str, new: str) -> str:
        text = node_runtime.text()
        assert text.count(old) == 1
        changed = text.replace(old, new)
        node_runtime.marker.cache_clear()
        monkeypatch.setattr(node_runtime, "text", lambda: changed)
        return changed

    yield use
    node_runtime.marker.cache_clear()


def test_an_edited_runtime_is_drift_that_names_the_node(root, capsys):
    edit(root, "MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 9\n")

    code, out = check(root, capsys)

    assert code == 1
    assert f"{root / NODE}: drift: BrazeTrackProfile: {EDITED}" in out
    assert "up to date" not in out


def test_a_runtime_edited_with_its_marker_is_still_not_the_one_generated(root, capsys):
    path = root / NODE
    cut = node_runtime.split(path.read_text(encoding="utf-8"))
    runtime = cut.runtime.replace("MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 9\n")
    marker = cut.marker.replace(node_runtime.sha256(cut.runtime), node_runtime.sha256(runtime))
    path.write_text(cut.part + marker + "\n" + runtime, encoding="utf-8")

    code, out = check(root, capsys)

    assert code == 1
    assert f"{root / NODE}: drift: BrazeTrackProfile: its runtime " in out
    assert "is not the one generated" in out


def test_regen_keeps_a_runtime_edit_and_check_still_names_it(root, capsys):
    edit(root, "MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 9\n")
    change_mapping(root)

    assert main(["regen", str(root)]) == 0
    out = capsys.readouterr().out

    assert f"merged    {NODE}" in out
    text = (root / NODE).read_text(encoding="utf-8")
    assert "MAX_ATTEMPTS = 9\n" in text and '"country": value("COUNTRY", _country)' in text
    code, out = check(root, capsys)
    assert code == 1
    assert f"{root / NODE}: drift: BrazeTrackProfile: {EDITED}" in out


def test_a_new_runtime_is_merged_into_a_runtime_edit_elsewhere(root, capsys, new_runtime):
    edit(root, "MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 9\n")
    change_mapping(root)
    new = new_runtime("SHORTEST_ATTEMPT = 0.25", "SHORTEST_ATTEMPT = 0.5")

    assert main(["regen", str(root)]) == 0
    out = capsys.readouterr().out

    assert f"merged    {NODE}" in out
    text = (root / NODE).read_text(encoding="utf-8")
    cut = node_runtime.split(text)
    assert cut.marker == node_runtime.marker(), "the marker of the new runtime"
    assert "SHORTEST_ATTEMPT = 0.5" in cut.runtime and "MAX_ATTEMPTS = 9\n" in cut.runtime
    assert cut.runtime != new
    other = (root / "acme_claims/actions/BrazeLookupProfile.py").read_text(encoding="utf-8")
    assert node_runtime.split(other).runtime == new, "an unedited node takes the new one whole"
    code, out = check(root, capsys)
    assert code == 1
    assert f"{root / NODE}: drift: BrazeTrackProfile: {EDITED}" in out


def test_a_new_runtime_where_the_runtime_was_edited_is_a_conflict(root, capsys, new_runtime):
    edit(root, "MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 9\n")
    change_mapping(root)
    new_runtime("MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 5\n")

    main(["regen", str(root)])
    out = capsys.readouterr().out

    assert f"conflict  {NODE}" in out
    text = (root / NODE).read_text(encoding="utf-8")
    assert "<<<<<<<" in text and "MAX_ATTEMPTS = 9" in text and "MAX_ATTEMPTS = 5" in text
