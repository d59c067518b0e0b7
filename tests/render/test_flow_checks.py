"""`check --flow`: a spec or a solution checked against the flow it goes into, each problem at
the spec's line and naming the flow's row; every door (a spec, a solution, bundle) agrees."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flows import make_export
from helpers import TESTS

from pypestream_braze.cli.main import main
from pypestream_braze.mapping import flow, source
from pypestream_braze.mapping.load import load_spec
from pypestream_braze.mapping.places import Places
from pypestream_braze.render import flow_checks
from pypestream_braze.solution import generate

EXPORT = make_export.EXPORT
FITS = (TESTS / "flows" / "fits.yaml").read_text(encoding="utf-8")


def _spec(tmp_path: Path, text: str = FITS) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _changed(old: str, new: str) -> str:
    assert FITS.count(old) == 1, old
    return FITS.replace(old, new)


def _at(text: str, marker: str) -> tuple[int, int]:
    """line and column (1-based) of the value after marker in text."""
    before = text[: text.index(marker) + len(marker)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _check(tmp_path, capsys, text: str, export: Path = EXPORT, *args) -> tuple[int, list[str]]:
    code = main(["check", str(_spec(tmp_path, text)), "--flow", str(export), *args])
    return code, capsys.readouterr().err.splitlines()


def _export(tmp_path: Path, extra: list[dict[str, str]], name: str = "export.csv") -> Path:
    """The realistic export with rows added at its end."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in extra:
        writer.writerow([row.get(column, "") for column in make_export.HEADER])
    path = tmp_path / name
    path.write_bytes((make_export.text() + buffer.getvalue()).encode("utf-8"))
    return path


def test_a_spec_that_fits_the_flow_passes(tmp_path, capsys):
    code = main(["check", str(_spec(tmp_path)), "--flow", str(EXPORT)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(f"{tmp_path / 'spec.yaml'}: ok: 2 nodes")


def test_a_route_to_a_node_that_is_not_there(tmp_path, capsys):
    text = _changed("      failure: 5856\n", "      failure: 5865\n")
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, "failure: ")
    assert code == 2
    assert lines == [
        f"{tmp_path / 'spec.yaml'}:{line}:{column}: error: BrazeTrackClaim: routing.failure "
        f"5865 is not a node of the flow ({EXPORT}, 412 nodes) nor one this spec creates (did "
        "you mean 5856?); route it to a node the flow has, or add node 5865 in Design Studio "
        "and export the flow again"
    ]


def test_a_route_to_a_node_the_spec_creates_is_fine(tmp_path, capsys):
    assert _check(tmp_path, capsys, FITS)[0] == 0  # 7050 routes success to 7060, its own node


def test_a_route_to_the_negative_node_design_studio_writes_with_an_apostrophe(tmp_path, capsys):
    assert _check(tmp_path, capsys, _changed("failure: 5856", "failure: -585")) == (0, [])


def test_a_route_written_as_a_decision_value_is_located_too(tmp_path, capsys):
    text = _changed("      failure: 5856\n", '      "false": 5865\n')
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, '"false": ')
    assert code == 2
    assert lines[0].startswith(f"{tmp_path / 'spec.yaml'}:{line}:{column}: error: ")
    assert "routing.failure 5865 is not a node of the flow" in lines[0]


def test_a_default_error_node_that_is_missing_is_reported_once(tmp_path, capsys):
    text = _changed("  error_node: 99990\n", "  error_node: 99995\n")
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, "error_node: ")
    assert code == 2
    assert len(lines) == 1, "one problem at the defaults line, not one per node"
    assert lines[0].startswith(
        f"{tmp_path / 'spec.yaml'}:{line}:{column}: error: defaults.error_node 99995, where "
        "every node's error route leads, is not a node of the flow"
    )
    assert "(did you mean 99991?)" in lines[0]  # as near as 99990 when typed, nearer in value
    assert "or set defaults.create_error_node: true to add an error node there" in lines[0]


def test_a_node_number_taken_by_another_node(tmp_path, capsys):
    text = _changed("      node: 7050\n", "      node: 5850\n")
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, "node: 5850")
    row = flow.read(EXPORT).at(make_export.TAKEN_NODE)[0]
    assert code == 2
    assert lines == [
        f"{tmp_path / 'spec.yaml'}:{line}:{column - 4}: error: BrazeTrackClaim: node number 5850 "
        f"is taken in the flow by {EXPORT} line {row.line}: action node 5850 "
        "'GenerateVeriskToken' (Command 'GenerateVeriskToken') (if that is this node under an "
        "earlier name, delete it in Design Studio and export the flow again); give "
        "routing.node a number the flow does not use, such as 5860"
    ]


def test_a_node_number_taken_by_a_decision_node(tmp_path, capsys):
    text = _changed("      node: 7050\n", "      node: 666\n")
    code, lines = _check(tmp_path, capsys, text)
    assert code == 2
    assert "is taken in the flow by" in lines[0] and "decision node 666 'End chat';" in lines[0]


def test_the_same_number_and_command_is_this_node_from_an_earlier_upload(tmp_path, capsys):
    earlier = {"Node Number": "7050", "Node Type": "A", "Node Name": "Old name"}
    export = _export(tmp_path, [{**earlier, "Command": "BrazeTrackClaim"}])
    assert _check(tmp_path, capsys, FITS, export) == (0, [])
    export = _export(tmp_path, [{**earlier, "Command": "BrazeTrackClaimOld"}])
    code, lines = _check(tmp_path, capsys, FITS, export)
    assert code == 2 and "(Command 'BrazeTrackClaimOld')" in lines[0]


def test_a_number_the_generator_assigned_that_the_flow_uses(tmp_path, capsys):
    # No routing.node: the generator takes the next multiple of 10 above the spec's numbers.
    text = _changed("      node: 7050\n", "")
    someone = {"Node Number": "7070", "Node Type": "D", "Node Name": "Someone else's"}
    export = _export(tmp_path, [someone])
    row = flow.read(export).at(7070)[0]
    code, lines = _check(tmp_path, capsys, text, export)
    line, column = _at(text, "- name: ")
    assert code == 2
    assert lines == [
        f"{tmp_path / 'spec.yaml'}:{line}:{column}: error: BrazeTrackClaim: node number 7070, "
        "assigned by the generator (the spec gives no routing.node), is taken in the flow by "
        f'{export} line {row.line}: decision node 7070 "Someone else\'s"; pin routing.node '
        "to a "
        "number the flow does not use, such as 7080"
    ]


def test_create_error_node_over_an_existing_node(tmp_path, capsys):
    text = _changed("  error_node: 99990\n", "  error_node: 99990\n  create_error_node: true\n")
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, "create_error_node: ")
    assert code == 2
    assert lines == [
        f"{tmp_path / 'spec.yaml'}:{line}:{column}: error: defaults.create_error_node adds "
        f"error node 99990, but the flow has node 99990 already: {EXPORT} line 2: action node "
        "99990 'SlackLogger' (Command 'SlackLogger'); to send errors to that node, remove "
        "create_error_node; to add a new one, give defaults.error_node a number the flow does "
        "not use, such as 100000"
    ]


def test_create_error_node_where_the_flow_has_none(tmp_path, capsys):
    text = _changed("  error_node: 99990\n", "  error_node: 99000\n  create_error_node: true\n")
    text = text.replace("      error: 99991\n", "")
    assert _check(tmp_path, capsys, text) == (0, [])


def test_the_error_node_this_tool_created_earlier_is_not_a_collision(tmp_path, capsys):
    text = _changed("  error_node: 99990\n", "  error_node: 99000\n  create_error_node: true\n")
    created = {"Node Number": "99000", "Node Type": "D", "Node Name": "Braze error"}
    assert _check(tmp_path, capsys, text, _export(tmp_path, [created])) == (0, [])
    other = {**created, "Node Name": "Their own error message"}
    code, lines = _check(tmp_path, capsys, text, _export(tmp_path, [other]))
    assert code == 2 and "decision node 99000 'Their own error message'" in lines[0]


def test_a_misspelt_variable_is_a_warning_with_a_did_you_mean(tmp_path, capsys):
    text = _changed('"{POLICY_NUMBER}"', '"{POLICY_NUMBR}"')
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, "policy_number: ")
    assert code == 0
    assert lines == [
        f"{tmp_path / 'spec.yaml'}:{line}:{column}: warning: BrazeTrackClaim reads "
        f"{{POLICY_NUMBR}}, which no node of the flow ({EXPORT}) sets in its Variable column "
        "or, for an action node, its Output (did you mean 'POLICY_NUMBER'?): the node would "
        "get no value for it; correct the name, or collect it in the flow first"
    ]
    assert _check(tmp_path, capsys, text, EXPORT, "--strict")[0] == 2


def test_a_variable_in_a_var_form_is_located_at_its_name(tmp_path, capsys):
    text = _changed("{var: EMAIL, as: email}", "{var: E_MAIL, as: email}")
    code, lines = _check(tmp_path, capsys, text)
    line, column = _at(text, "{var: ")
    assert code == 0 and len(lines) == 1
    assert lines[0].startswith(f"{tmp_path / 'spec.yaml'}:{line}:{column}: warning: ")
    assert "(did you mean 'EMAIL'?)" in lines[0]


def test_outputs_of_the_solution_and_action_outputs_count_as_set(tmp_path, capsys):
    # BrazeLookupTier sets LOYALTY_TIER; an action node of the flow returns TIER_CODE.
    text = _changed('claim: "{CLAIM_NUMBER}"', 'claim: "{LOYALTY_TIER} {TIER_CODE}"')
    returns = {"Node Number": "8888", "Node Type": "A", "Command": "GetTier", "Output": "TIER_CODE"}
    code, lines = _check(tmp_path, capsys, text, _export(tmp_path, [returns]))
    assert code == 0 and not [line for line in lines if "no node of the flow" in line]
    code, lines = _check(tmp_path, capsys, text)
    assert [line.split(" reads ")[1][:12] for line in lines if "no node of the flow" in line] == [
        "{TIER_CODE},"
    ]


def test_a_variable_only_this_nodes_earlier_upload_names_is_still_unset(tmp_path, capsys):
    text = _changed('"{POLICY_NUMBER}"', '"{POLICY_NUMBR}"')
    ours = {
        "Node Number": "7050",
        "Node Type": "A",
        "Command": "BrazeTrackClaim",
        "Variable": "CHATID,FIRSTNAME,POLICY_NUMBR",
    }
    code, lines = _check(tmp_path, capsys, text, _export(tmp_path, [ours]))
    assert code == 0 and len(lines) == 1 and "reads {POLICY_NUMBR}" in lines[0]


# -- every door, one verdict ----------------------------------------------------------------


BROKEN = (
    FITS.replace("      node: 7050\n", "      node: 5850\n")
    .replace("      failure: 5856\n", "      failure: 5865\n")
    .replace('"{POLICY_NUMBER}"', '"{POLICY_NUMBR}"')
)


def _problems(err: str, spec: Path) -> list[str]:
    return sorted(
        line.replace(str(spec), "SPEC")
        for line in err.splitlines()
        if ": error: " in line or ": warning: " in line
        if line.startswith(str(spec))
    )


def test_a_spec_its_solution_and_its_bundle_get_the_same_verdict(tmp_path, capsys):
    spec = _spec(tmp_path, BROKEN)
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(spec))
    assert main(["check", str(spec), "--flow", str(EXPORT)]) == 2
    from_spec = _problems(capsys.readouterr().err, spec)
    assert main(["check", str(root), "--flow", str(EXPORT)]) == 2
    from_folder = _problems(capsys.readouterr().err, root / "mapping.yaml")
    out = tmp_path / "bundle"
    args = ["bundle", str(root), "--env", "sandbox", "--flow", str(EXPORT), "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    from_bundle = _problems(err, root.resolve() / "mapping.yaml")
    assert len(from_spec) == 3
    assert from_spec == from_folder == from_bundle
    assert err.rstrip().endswith("2 errors; nothing was written") and not out.exists()


def test_the_check_is_a_function_of_the_model_the_export_and_the_places(tmp_path):
    spec = _spec(tmp_path, BROKEN)
    solution = load_spec(spec).solution
    places = Places(source.load(spec))
    export = flow.read(EXPORT)
    first = flow_checks.check(solution, export, places)
    assert [p.level.value for p in first] == ["warning", "error", "error"]
    assert flow_checks.check(solution, export, places) == first


def test_a_solution_folder_that_fits_passes_and_is_still_checked_for_freshness(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(_spec(tmp_path)))
    assert main(["check", str(root), "--flow", str(EXPORT)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith(f"{root}: up to date")
    mapping = root / "mapping.yaml"
    mapping.write_text(mapping.read_text().replace("node: 7050", "node: 5850"), encoding="utf-8")
    assert main(["check", str(root), "--flow", str(EXPORT)]) == 2
    assert "node number 5850 is taken in the flow" in capsys.readouterr().err


def test_several_solutions_at_once_take_no_flow(tmp_path, capsys):
    for name in ("one", "two"):
        generate.write_new(tmp_path / name, generate.prepare(_spec(tmp_path)))
    assert main(["check", str(tmp_path), "--flow", str(EXPORT)]) == 2
    assert "--flow checks one spec or solution at a time" in capsys.readouterr().err


@pytest.mark.parametrize("door", ["check", "bundle"])
def test_a_bad_export_is_one_message_at_every_door(tmp_path, capsys, door):
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"Node Number,Node Type\r\n1,A\r\n")
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(_spec(tmp_path)))
    args = [door, str(root), "--flow", str(bad)]
    if door == "bundle":
        args += ["--env", "sandbox", "--out", str(tmp_path / "out")]
    assert main(args) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{bad}:1:1: error: is not a Design Studio export")
    assert len([line for line in lines if ": error: " in line]) == 1
    assert not (tmp_path / "out").exists()
