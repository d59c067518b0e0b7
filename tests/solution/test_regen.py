"""Regenerating a solution after its mapping changes: hand edits survive, nothing is lost."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import black
import pytest

from pypestream_braze.cli.main import main
from pypestream_braze.cli.template import bundled_mapping, template_dir
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import generate, merge, regen, state, transaction

NODE = "acme_claims/actions/BrazeTrackProfile.py"
APP = "acme_claims/app.py"
CANVAS = "acme_claims/actions/BrazeStartWelcomeCanvas.py"
LOOKUP = "acme_claims/actions/BrazeLookupProfile.py"
TIER = "acme_claims/actions/BrazeLookupTier.py"

TIER_NODE = """
  - name: BrazeLookupTier
    endpoint: users/export/ids
    description: Read the user's loyalty tier back from Braze
    body:
      external_ids: ["{USER_ID}"]
      fields_to_export: [custom_attributes]
    outputs:
      LOYALTY_TIER: users[0].custom_attributes.loyalty_tier
    routing: {node: 1600, success: 1610, failure: 1620}
"""


_FORMATTED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fast_black(monkeypatch):
    """black is deterministic and slow; every render in these tests formats the same sources."""
    real = black.format_str

    def cached(source, *, mode):
        if source not in _FORMATTED:
            _FORMATTED[source] = real(source, mode=mode)
        return _FORMATTED[source]

    monkeypatch.setattr(formatting.black, "format_str", cached)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    solution = tmp_path / "acme_claims"
    generate.write_new(solution, generate.prepare(bundled_mapping()))
    return solution


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def hand_edit(root: Path) -> None:
    edit(root, NODE, "collected in chat\n", "collected in chat\n\nOwner: the claims team.\n")
    edit(
        root,
        NODE,
        "        return _execute(self, log, payload, context)\n",
        (
            "        log(f'{NODE}: custom start line')\n"
            "        return _execute(self, log, payload, context)\n"
        ),
    )
    edit(
        root,
        APP,
        '"welcome_canvas_id": "0f0e2a9c-0000-4000-8000-000000000001",\n',
        (
            '"welcome_canvas_id": "0f0e2a9c-0000-4000-8000-000000000001",\n'
            '        "claims_queue": "priority",\n'
        ),
    )


def change_mapping(root: Path) -> None:
    """Add an attribute, rename the event, remove the canvas node and add a tier lookup."""
    text = read(root, "mapping.yaml")
    text = text.replace(
        '          os: "{OPERATING_SYSTEM}"',
        '          os: "{OPERATING_SYSTEM}"\n          country: "{COUNTRY}"',
    )
    text = text.replace("pypestream_profile_captured", "pypestream_profile_saved")
    start = text.index("  - name: BrazeStartWelcomeCanvas")
    end = text.index("  - name: BrazeLookupProfile")
    text = text[:start] + text[end:].rstrip("\n") + "\n" + TIER_NODE
    (root / "mapping.yaml").write_text(text, encoding="utf-8")


def test_regen_applies_mapping_changes_and_keeps_hand_edits(root, capsys):
    hand_edit(root)
    change_mapping(root)

    assert main(["regen", str(root)]) == 0

    out = capsys.readouterr().out
    node = read(root, NODE)
    assert "Owner: the claims team." in node
    assert "custom start line" in node
    assert '"country": value("COUNTRY", _country)' in node
    assert "pypestream_profile_saved" in node and "pypestream_profile_captured" not in node
    assert '"claims_queue": "priority"' in read(root, APP)
    assert (root / TIER).exists() and "BrazeLookupTier" in read(root, TIER)
    assert (root / CANVAS).exists()  # orphaned, kept
    assert f"merged    {NODE}" in out
    assert f"created   {TIER}" in out
    assert f"orphaned  {CANVAS}" in out
    assert "BrazeLookupTier" in read(root, "design_studio.csv")
    assert "BrazeLookupTier" in read(root, "ROUTING.md")
    assert "conflict" not in out
    recorded = state.read(root)
    assert recorded.spec_sha256 == state.digest(read(root, "mapping.yaml"))
    assert state.baseline(root, TIER) == read(root, TIER)


def test_overlapping_edit_is_a_conflict_in_that_file_only(root, capsys):
    edit(
        root,
        NODE,
        '"home_city": value("CITY", max_length=255),',
        '"home_city": value("CITY", max_length=255).title(),',
    )
    edit(root, "mapping.yaml", 'home_city: "{CITY}"', 'home_city: "{TOWN}"')

    assert main(["regen", str(root)]) == 1

    captured = capsys.readouterr()
    assert f"conflict  {NODE}" in captured.out
    assert "conflicts" in captured.err
    node = read(root, NODE)
    assert "<<<<<<< yours" in node and ">>>>>>> generated" in node
    assert (
        'value("CITY", max_length=255).title()' in node and 'value("TOWN", max_length=255)' in node
    )
    assert "TOWN" in read(
        root, "tests/test_braze_track_profile.py"
    )  # other files brought up to date
    others = [p for p in snapshot(root) if p != NODE]
    assert not any(merge.START in read(root, p) for p in others)
    # A second run does not stack markers, and says the conflict still waits for a person.
    before = snapshot(root)
    capsys.readouterr()
    assert main(["regen", str(root)]) == 1
    assert f"{root / NODE}: warning: conflict markers from an earlier regen" in (
        capsys.readouterr().err
    )
    assert snapshot(root) == before
    assert main(["check", str(root)]) == 1
    assert f"{root / NODE}: conflict: unresolved conflict markers" in capsys.readouterr().out


def test_second_regen_writes_nothing(root, capsys):
    hand_edit(root)
    change_mapping(root)
    assert main(["regen", str(root)]) == 0
    before = snapshot(root)
    capsys.readouterr()

    assert main(["regen", str(root)]) == 0

    assert snapshot(root) == before
    out = capsys.readouterr().out
    assert "up to date; nothing written" in out
    assert f"orphaned  {CANVAS}" in out  # still reported, still kept


def test_dry_run_writes_nothing_and_diff_shows_changes(root, capsys):
    hand_edit(root)
    change_mapping(root)
    before = snapshot(root)

    assert main(["regen", str(root), "--dry-run", "--diff"]) == 0

    assert snapshot(root) == before
    out = capsys.readouterr().out
    assert f"--- a/{NODE}" in out and f"+++ b/{NODE}" in out
    assert '+                    "country": value("COUNTRY", _country),' in out
    assert "dry run, nothing written" in out


def test_prune_removes_only_unedited_orphans(root, capsys):
    edit(
        root,
        LOOKUP,
        "        return _execute(self, log, payload, context)\n",
        "        return _execute(self, log, payload, context)  # the runtime's\n",
    )
    text = read(root, "mapping.yaml")
    (root / "mapping.yaml").write_text(
        text[: text.index("  - name: BrazeStartWelcomeCanvas")], encoding="utf-8"
    )

    assert main(["regen", str(root), "--prune"]) == 0

    out = capsys.readouterr().out
    assert not (root / CANVAS).exists()
    assert f"pruned    {CANVAS}" in out
    assert (root / LOOKUP).exists()
    assert f"orphaned  {LOOKUP}  (no longer generated, hand-edited: kept)" in out
    assert "# the runtime's" in read(root, LOOKUP)
    assert CANVAS not in state.read(root).files
    assert LOOKUP in state.read(root).files  # kept orphans stay known until they are gone


def test_check_exit_codes(root, capsys):
    assert main(["check", str(root)]) == 0
    assert "up to date" in capsys.readouterr().out
    hand_edit(root)
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"{root / NODE}: edited: " in out and f"{root / APP}: edited: " in out
    assert out.endswith(f"{root}: up to date: 3 nodes, 24 generated files, 2 hand-edited\n")
    change_mapping(root)
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{root / NODE}: out of date: regen would merge the mapping's change" in out
    assert f"{root / TIER}: out of date: regen would create it" in out
    assert "mapping.yaml: edited" not in out, "editing the mapping is the workflow"
    assert main(["regen", str(root)]) == 0
    assert main(["check", str(root)]) == 0
    result = regen.check_solution(root)
    assert result.up_to_date and CANVAS in result.orphans


def test_regen_from_another_mapping_file(root, tmp_path):
    other = tmp_path / "new_mapping.yaml"
    other.write_text(read(root, "mapping.yaml").replace("pypestream_profile_captured", "x_saved"))

    assert main(["regen", str(root), "--mapping", str(other)]) == 0

    assert read(root, "mapping.yaml") == other.read_text()
    assert "x_saved" in read(root, NODE)


def test_failure_midway_leaves_solution_as_it_was(root, monkeypatch):
    hand_edit(root)
    change_mapping(root)
    planned = regen.plan(root)
    before = snapshot(root)
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 4:  # the journal, two files, then this one
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(transaction.TransactionError) as failure:
        regen.apply(root, planned)
    monkeypatch.undo()

    assert f"could not write {calls[3]}: no space left on the device" in str(failure.value)
    assert "every file was put back as it was: nothing was changed" in str(failure.value)
    assert {p: b for p, (b, _) in snapshot(root).items()} == {p: b for p, (b, _) in before.items()}
    assert not (root / transaction.FOLDER).exists()


def test_invalid_mapping_exits_2_and_writes_nothing(root, capsys):
    (root / "mapping.yaml").write_text("version: 1\nnodes: [\n", encoding="utf-8")
    before = snapshot(root)

    assert main(["regen", str(root)]) == 2

    assert snapshot(root) == before
    assert "nothing was written" in capsys.readouterr().err


def test_missing_state_edited_file_is_a_conflict(root, capsys):
    edit(root, APP, 'NAME = "AcmeInsurance"', 'NAME = "AcmeInsurance Ltd"')
    for path in sorted((root / state.STATE_DIR).rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (root / state.STATE_DIR).rmdir()

    assert main(["regen", str(root)]) == 1

    app = read(root, APP)
    assert 'NAME = "AcmeInsurance Ltd"' in app and 'NAME = "AcmeInsurance"\n' in app
    assert app.count(merge.START) == 1
    assert state.read(root) is not None


def test_generator_upgrade_merges_template_improvement(root, monkeypatch, capsys):
    hand_edit(root)
    old_line = "        # Braze refused this request's data: repeating it would not help."
    new_line = "        # Braze refused this request's data: sending it again would not help."
    assert old_line in read(root, NODE)
    real = generate.render_solution

    def improved(solution, mapping_text):
        return {p: t.replace(old_line, new_line) for p, t in real(solution, mapping_text).items()}

    monkeypatch.setattr(generate, "render_solution", improved)
    monkeypatch.setattr(regen, "generator_fingerprint", lambda: "1" * 64)  # a new generator

    def improved_render(root):
        return generate.prepare(root / "mapping.yaml").files

    assert main(["regen", str(root)]) == 0

    node = read(root, NODE)
    assert new_line in node and old_line not in node
    assert "custom start line" in node and "Owner: the claims team." in node
    out = capsys.readouterr().out
    assert f"merged    {NODE}" in out
    assert f"updated   {LOOKUP}" in out and new_line in read(root, LOOKUP)
    assert state.read(root).files[NODE] == state.digest(improved_render(root)[NODE])


def test_regen_works_on_a_plain_cookiecutter_solution(tmp_path):
    from cookiecutter.main import cookiecutter

    config = tmp_path / "cookiecutter.yaml"
    config.write_text(
        f"replay_dir: {str(tmp_path / 'replay')!r}\ncookiecutters_dir: {str(tmp_path / 'cc')!r}\n"
    )
    created = Path(
        cookiecutter(
            str(template_dir()),
            no_input=True,
            output_dir=str(tmp_path / "out"),
            config_file=str(config),
        )
    )
    assert regen.check_solution(created).up_to_date
    hand_edit(created)
    change_mapping(created)
    assert main(["regen", str(created)]) == 0
    assert "custom start line" in read(created, NODE)
    assert '"country": value("COUNTRY", _country)' in read(created, NODE)


def test_merge_is_pure_and_two_way_without_base():
    assert merge.merge("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n") == ("A\nb\nC\n", False)
    text, conflicts = merge.merge("a\nb\n", "a\nB\n", "a\nX\n")
    assert conflicts and "<<<<<<< yours\nB\n=======\nX\n>>>>>>> generated\n" in text
    text, conflicts = merge.merge(None, "a\nmine\n", "a\ntheirs\n")
    assert conflicts and text.startswith("a\n<<<<<<< yours\nmine\n")
    assert merge.merge(None, "same\n", "same\n") == ("same\n", False)


def test_deleted_files_are_generated_again_and_deleted_orphans_forgotten(root, capsys):
    (root / "ROUTING.md").unlink()
    (root / CANVAS).unlink()
    text = read(root, "mapping.yaml")
    start = text.index("  - name: BrazeStartWelcomeCanvas")
    end = text.index("  - name: BrazeLookupProfile")
    (root / "mapping.yaml").write_text(text[:start] + text[end:], encoding="utf-8")

    assert main(["regen", str(root)]) == 0

    out = capsys.readouterr().out
    assert "created   ROUTING.md" in out and (root / "ROUTING.md").exists()
    assert CANVAS not in out and CANVAS not in state.read(root).files
    assert state.baseline(root, CANVAS) is None
