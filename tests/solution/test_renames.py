"""A renamed node is moved, not made anew: its hand edits come along, its old file goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_regen import _fast_black, edit, read, snapshot  # noqa: F401  (an autouse fixture)

from pypestream_braze.cli.main import main
from pypestream_braze.cli.template import bundled_mapping
from pypestream_braze.solution import generate, merge, regen, state

OLD = "acme_claims/actions/BrazeTrackProfile.py"
NEW = "acme_claims/actions/BrazeSaveProfile.py"
LOOKUP = "acme_claims/actions/BrazeLookupProfile.py"
FOUND = "acme_claims/actions/BrazeFindProfile.py"
EDIT = "        log(f'{NODE}: custom start line')\n"


def solution(folder: Path, text: str | None = None) -> Path:
    spec = folder / "spec.yaml"
    spec.write_text(text or bundled_mapping().read_text(encoding="utf-8"), encoding="utf-8")
    root = folder / "acme_claims"
    generate.write_new(root, generate.prepare(spec))
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return solution(tmp_path)


def hand_edit(root: Path, relative: str = OLD) -> None:
    call = "        return _execute(self, log, payload, context)\n"
    edit(root, relative, call, EDIT + call)


def rename(root: Path, old: str = "BrazeTrackProfile", new: str = "BrazeSaveProfile") -> None:
    edit(root, "mapping.yaml", f"- name: {old}\n", f"- name: {new}\n")


def test_a_renamed_node_keeps_its_edits_and_its_old_file_goes(root, capsys):
    hand_edit(root)
    rename(root)

    assert main(["regen", str(root)]) == 0

    out = capsys.readouterr().out
    moved = read(root, NEW)
    assert EDIT in moved
    assert 'NODE = "BrazeSaveProfile"' in moved and "BrazeTrackProfile" not in moved
    assert not (root / OLD).exists()
    assert not (root / state.baseline_path(OLD)).exists()
    recorded = state.read(root)
    assert OLD not in recorded.files and NEW in recorded.files and not recorded.orphans
    assert state.baseline(root, NEW) != moved  # the baseline is the render; the edit is yours
    assert (
        f"renamed   {NEW}  (from {OLD}; hand edits kept; in Design Studio, set the Command of "
        "node 1200 to BrazeSaveProfile and upload BrazeSaveProfile.py)"
    ) in out
    assert "done: 5 updated, 2 renamed" in out
    rows = read(root, "design_studio.csv").splitlines()
    assert rows[1].startswith("1200,A,BrazeSaveProfile,") and ",BrazeSaveProfile," in rows[1]
    assert "BrazeTrackProfile" not in read(root, "design_studio.csv")

    assert main(["check", str(root)]) == 0
    assert "up to date: 3 nodes" in capsys.readouterr().out
    assert main(["regen", str(root)]) == 0
    assert "up to date; nothing written" in capsys.readouterr().out


def test_a_rename_with_a_body_change_merges_both(root, capsys):
    hand_edit(root)
    rename(root)
    edit(
        root,
        "mapping.yaml",
        '          os: "{OPERATING_SYSTEM}"',
        '          os: "{OPERATING_SYSTEM}"\n          country: "{COUNTRY}"',
    )

    assert main(["regen", str(root)]) == 0

    moved = read(root, NEW)
    assert EDIT in moved
    assert '"country": value("COUNTRY", _country)' in moved
    assert not (root / OLD).exists()
    assert f"renamed   {NEW}" in capsys.readouterr().out
    assert main(["check", str(root)]) == 0


def test_an_edit_on_a_line_the_rename_changes_is_a_conflict_and_the_old_file_stays(root, capsys):
    edit(root, OLD, 'NODE = "BrazeTrackProfile"', 'NODE = "BrazeTrackProfile"  # the profile')
    rename(root)

    assert main(["regen", str(root)]) == 1

    out = capsys.readouterr().out
    marked = read(root, NEW)
    assert merge.has_markers(marked)
    assert 'NODE = "BrazeTrackProfile"  # the profile' in marked
    assert 'NODE = "BrazeSaveProfile"' in marked
    assert (root / OLD).exists() and "# the profile" in read(root, OLD)
    assert f"conflict  {NEW}  (from {OLD}; your edits and the rename overlap" in out
    assert (
        f"orphaned  {OLD}  (BrazeTrackProfile is now BrazeSaveProfile: kept until you resolve "
        "the conflict in BrazeSaveProfile.py, then delete it)"
    ) in out
    recorded = state.read(root)
    assert recorded.orphans == [OLD]  # with its baseline, as any orphan
    assert (root / state.baseline_path(OLD)).exists()

    # Resolved by hand and the old file deleted: the solution is up to date.
    resolved = read(root, state.baseline_path(NEW)).replace(
        'NODE = "BrazeSaveProfile"', 'NODE = "BrazeSaveProfile"  # the profile'
    )
    (root / NEW).write_text(resolved, encoding="utf-8")
    (root / OLD).unlink()
    assert main(["regen", str(root)]) == 0
    capsys.readouterr()
    assert main(["check", str(root)]) == 0


def test_an_unedited_node_is_renamed_without_a_word_about_edits(root, capsys):
    rename(root)

    assert main(["regen", str(root)]) == 0

    out = capsys.readouterr().out
    assert f"renamed   {NEW}  (from {OLD}; in Design Studio" in out
    assert read(root, NEW) == state.baseline(root, NEW)
    assert not (root / OLD).exists()


def test_dry_run_and_check_tell_of_the_rename_and_write_nothing(root, capsys):
    hand_edit(root)
    rename(root)
    before = snapshot(root)

    assert main(["regen", "--dry-run", str(root)]) == 0
    assert "would be: 5 updated, 2 renamed" in capsys.readouterr().out
    assert main(["regen", "--diff", str(root)]) == 0
    diff = capsys.readouterr().out
    assert f"--- a/{OLD}\n+++ b/{NEW}\n" in diff
    assert '-NODE = "BrazeTrackProfile"\n+NODE = "BrazeSaveProfile"\n' in diff
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{root / NEW}: out of date: regen would move the renamed node's script here from "
        f"{OLD}, your edits with it"
    ) in out
    assert main(["regen", "--check", str(root)]) == 1
    assert snapshot(root) == before


def unnumbered(text: str) -> str:
    """The bundled spec with BrazeLookupProfile's number left to the generator."""
    written = "routing: {node: 1000, success: 1010, failure: 1020}"
    assert written in text
    return text.replace(written, "routing: {success: 1010, failure: 1020}")


def test_renamed_from_moves_a_node_whose_number_the_generator_assigned(tmp_path, capsys):
    root = solution(tmp_path, unnumbered(bundled_mapping().read_text(encoding="utf-8")))
    number = state.read(root).node_numbers["BrazeLookupProfile"]
    hand_edit(root, LOOKUP)
    edit(
        root,
        "mapping.yaml",
        "- name: BrazeLookupProfile\n",
        "- name: BrazeFindProfile\n    renamed_from: BrazeLookupProfile\n",
    )

    assert main(["regen", str(root)]) == 0

    assert f"set the Command of node {number} to BrazeFindProfile" in capsys.readouterr().out
    assert EDIT in read(root, FOUND) and not (root / LOOKUP).exists()
    assert state.read(root).node_numbers == {"BrazeFindProfile": number}
    assert main(["check", str(root)]) == 0


def test_a_rename_found_after_the_fact_replaces_the_file_made_in_the_meantime(tmp_path, capsys):
    """Renamed without a number to go by, the node was made anew and the old file orphaned;
    renamed_from, written then, moves the edits into the new file and the orphan goes."""
    root = solution(tmp_path, unnumbered(bundled_mapping().read_text(encoding="utf-8")))
    hand_edit(root, LOOKUP)
    rename(root, "BrazeLookupProfile", "BrazeFindProfile")
    assert main(["regen", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"created   {FOUND}" in out
    assert (
        f"orphaned  {LOOKUP}  (no longer generated, hand-edited: kept; if BrazeFindProfile is "
        "BrazeLookupProfile renamed, write 'renamed_from: BrazeLookupProfile' under it and regen)"
    ) in out
    assert EDIT not in read(root, FOUND)

    edit(
        root,
        "mapping.yaml",
        "- name: BrazeFindProfile\n",
        "- name: BrazeFindProfile\n    renamed_from: BrazeLookupProfile\n",
    )
    assert main(["regen", str(root)]) == 0

    assert f"renamed   {FOUND}" in capsys.readouterr().out
    assert EDIT in read(root, FOUND) and not (root / LOOKUP).exists()
    assert main(["check", str(root)]) == 0


def test_a_file_of_the_users_own_at_the_new_path_is_never_overwritten(root, capsys):
    hand_edit(root)
    rename(root)
    (root / NEW).write_text("# my own BrazeSaveProfile\n", encoding="utf-8")

    assert main(["regen", str(root)]) == 1  # the user's file against the render: a conflict

    assert "# my own BrazeSaveProfile" in read(root, NEW)
    assert EDIT in read(root, OLD)  # not moved: kept, an orphan
    assert f"orphaned  {OLD}  (no longer generated, hand-edited: kept)" in capsys.readouterr().out


def test_a_name_another_node_takes_over_is_not_a_rename(root, capsys):
    """BrazeTrackProfile becomes BrazeSaveProfile (node 1200), and a new node takes the name
    BrazeTrackProfile: that file is the new node's, so nothing is moved."""
    hand_edit(root)
    text = read(root, "mapping.yaml")
    start = text.index("  - name: BrazeTrackProfile")
    end = text.index("  - name: BrazeStartWelcomeCanvas")
    node = text[start:end]
    renamed = node.replace("name: BrazeTrackProfile", "name: BrazeSaveProfile")
    again = node.replace("node: 1200", "node: 1600")
    (root / "mapping.yaml").write_text(text[:start] + renamed + again + text[end:])

    assert main(["regen", str(root)]) == 0

    out = capsys.readouterr().out
    assert f"created   {NEW}" in out and "renamed" not in out and OLD not in out
    assert EDIT in read(root, OLD) and EDIT not in read(root, NEW)


def test_state_node_numbers_follow_a_rename_by_number(tmp_path):
    text = unnumbered(bundled_mapping().read_text(encoding="utf-8"))
    root = solution(tmp_path, text.replace("routing:\n      node: 1200\n", "routing:\n"))
    numbers = state.read(root).node_numbers
    assert set(numbers) == {"BrazeTrackProfile", "BrazeLookupProfile"}
    rename(root)  # no number in the spec, no renamed_from: a new node, with a new number
    planned = regen.plan(root)
    planned.release()
    actions = {c.path: c.action for c in planned.changes}
    assert actions[NEW] is regen.Action.CREATED and actions[OLD] is regen.Action.ORPHANED
    # renamed_from: the number, and the file, follow the node
    edit(
        root,
        "mapping.yaml",
        "- name: BrazeSaveProfile\n",
        "- name: BrazeSaveProfile\n    renamed_from: BrazeTrackProfile\n",
    )
    planned = regen.plan(root)
    regen.apply(root, planned)
    assert {c.path: c.action for c in planned.changes}[NEW] is regen.Action.RENAMED
    assert state.read(root).node_numbers == {
        "BrazeSaveProfile": numbers["BrazeTrackProfile"],
        "BrazeLookupProfile": numbers["BrazeLookupProfile"],
    }


# -- the merge a rename makes ------------------------------------------------------------------

_RENDERS: dict[str, tuple[str, str]] = {}


def _renders(tmp_path_factory) -> tuple[str, str]:
    """The node's script as generated, and as generated under its new name."""
    if not _RENDERS:
        text = bundled_mapping().read_text(encoding="utf-8")
        spec = tmp_path_factory.mktemp("spec") / "spec.yaml"
        spec.write_text(text, encoding="utf-8")
        before = generate.prepare(spec).files[OLD]
        spec.write_text(text.replace("- name: BrazeTrackProfile", "- name: BrazeSaveProfile"))
        _RENDERS["node"] = (before, generate.prepare(spec).files[NEW])
    return _RENDERS["node"]


@settings(max_examples=60, deadline=None)
@given(
    where=st.integers(min_value=0, max_value=10_000),
    line=st.sampled_from(["# a note of the team's\n", "    pass\n", "\n", "x = 'BrazeSave'\n"]),
)
def test_an_edit_away_from_the_name_always_merges_cleanly(tmp_path_factory, where, line):
    """Any line added between two lines that do not hold the old name is carried into the
    renamed script exactly where it was, and nothing else changes."""
    before, after = _renders(tmp_path_factory)
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)  # the rename changes lines, never adds any
    quiet = [
        i
        for i in range(1, len(old_lines))
        if old_lines[i - 1] == new_lines[i - 1] and old_lines[i] == new_lines[i]
    ]
    at = quiet[where % len(quiet)]
    yours = "".join([*old_lines[:at], line, *old_lines[at:]])

    text, conflicts = merge.merge(before, yours, after)

    assert not conflicts
    assert text == "".join([*new_lines[:at], line, *new_lines[at:]])


def test_a_number_taken_by_a_node_of_another_endpoint_is_not_a_rename(root, capsys):
    hand_edit(root)
    text = read(root, "mapping.yaml")
    start = text.index("  - name: BrazeTrackProfile")
    end = text.index("  - name: BrazeStartWelcomeCanvas")
    tier = (
        "  - name: BrazeLookupTier\n"
        "    endpoint: users/export/ids\n"
        "    body:\n"
        '      external_ids: ["{USER_ID}"]\n'
        "      fields_to_export: [custom_attributes]\n"
        "    routing: {node: 1200, success: 1300, failure: 1310}\n\n"
    )
    (root / "mapping.yaml").write_text(text[:start] + tier + text[end:], encoding="utf-8")

    assert main(["regen", str(root)]) == 0

    out = capsys.readouterr().out
    assert "created   acme_claims/actions/BrazeLookupTier.py" in out
    assert (
        f"orphaned  {OLD}  (no longer generated, hand-edited: kept; if BrazeLookupTier is " in out
    )


def test_a_number_pinned_to_what_the_generator_assigned_is_followed(tmp_path, capsys):
    root = solution(tmp_path, unnumbered(bundled_mapping().read_text(encoding="utf-8")))
    number = state.read(root).node_numbers["BrazeLookupProfile"]
    hand_edit(root, LOOKUP)
    rename(root, "BrazeLookupProfile", "BrazeFindProfile")
    edit(
        root,
        "mapping.yaml",
        "routing: {success: 1010, failure: 1020}",
        f"routing: {{node: {number}, success: 1010, failure: 1020}}",
    )

    assert main(["regen", str(root)]) == 0

    assert f"renamed   {FOUND}" in capsys.readouterr().out
    assert EDIT in read(root, FOUND) and not (root / LOOKUP).exists()
    assert state.read(root).node_numbers == {}


def test_regen_of_many_counts_the_rename(root, capsys):
    hand_edit(root)
    rename(root)

    assert main(["regen", str(root.parent)]) == 0

    out = capsys.readouterr().out
    assert f"{root}: updated 7 files (5 updated, 2 renamed)\n" in out
