"""Routing notes and Design Studio rows: pasteable CSV, ROUTING.md, node numbers, `routing`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE

from pypestream_braze.cli.main import main
from pypestream_braze.mapping import numbering
from pypestream_braze.mapping.reader import load_solution
from pypestream_braze.render import design_studio
from pypestream_braze.render.samples import sample_payload
from pypestream_braze.solution import generate, regen, state

HEAD = """\
version: 1
customer: AcmeInsurance
solution: AcmeClaims
environments:
  sandbox: {instance: US-01}
  live: {instance: US-05}
"""


def node_yaml(name: str, routing: str | None, description: str = "Track it") -> str:
    text = f"""
  - name: {name}
    endpoint: users/track
    description: {description}
    identifier: {{external_id: "{{USER_ID}}"}}
    body:
      attributes:
        - first_name: "{{FIRST_NAME}}"
"""
    return text + (f"    routing: {routing}\n" if routing else "")


def spec(*nodes: str, defaults: str = "defaults: {error_node: 99990}\n") -> str:
    return HEAD + defaults + "nodes:" + "".join(nodes)


def write_spec(folder: Path, text: str) -> Path:
    path = folder / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def csv_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames) == design_studio.COLUMNS
    rows = list(reader)
    for row in rows:
        assert None not in row, "a row with more than 26 cells"
        assert len(row) == 26 and None not in row.values(), "a row with fewer than 26 cells"
    return rows


def mermaid_block(text: str) -> str:
    match = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert match, "no ```mermaid block"
    return match.group(1)


# -- design_studio.csv ----------------------------------------------------------------------------


def test_csv_has_one_action_row_per_node_and_references_the_error_node():
    prepared = generate.prepare(PARTNER_EXAMPLE)
    rows = csv_rows(prepared.files["design_studio.csv"])
    nodes = prepared.solution.nodes
    # 99990 is where solutions keep their global error handler: referenced, never created
    assert [r["Node Type"] for r in rows] == ["A"] * len(nodes)
    assert all("error~99990" in r["What Next?"] for r in rows)
    for node, row in zip(nodes, rows, strict=True):
        assert row["Node Number"] == str(node.routes.node)
        assert row["Node Name"] == row["Command"] == node.name
        assert row["Decision Variable"] == "success"
        assert row["Output"].split(",") == ["success", *node.output_variables]
        assert json.loads(row["Parameter Input"]) == {v: "{" + v + "}" for v in node.variables}
        pairs = dict(pair.split("~") for pair in row["What Next?"].split("|"))
        assert pairs == {
            "true": str(node.routes.success),
            "false": str(node.routes.failure),
            "error": str(node.routes.error),
        }
        assert all(value == value.lower() and " " not in value for value in pairs)
        variables = row["Variable"].split(",")
        assert set(variables) == {*node.variables, *node.output_variables}
        assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", v) for v in variables)
    numbers = [r["Node Number"] for r in rows]
    assert len(set(numbers)) == len(numbers)


def test_csv_survives_commas_quotes_and_line_breaks_in_descriptions(tmp_path):
    description = '"Say \\"hi\\", then, | pipe\\nand a second line"'
    mapping = write_spec(
        tmp_path, spec(node_yaml("BrazeTrackA", "{node: 100, success: 110}", description))
    )
    prepared = generate.prepare(mapping)
    rows = csv_rows(prepared.files["design_studio.csv"])
    assert rows[0]["Description"] == 'Say "hi", then, | pipe and a second line'
    assert len(rows) == 1


def test_the_error_node_row_is_created_only_when_asked(tmp_path):
    defaults = "defaults: {error_node: 99990, create_error_node: true}\n"
    text = spec(node_yaml("BrazeTrackA", "{node: 100, success: 110}"), defaults=defaults)
    rows = csv_rows(generate.prepare(write_spec(tmp_path, text)).files["design_studio.csv"])
    assert [(r["Node Number"], r["Node Type"]) for r in rows] == [("100", "A"), ("99990", "D")]


def test_parameter_input_is_exactly_what_the_node_reads(generate, monkeypatch):
    """Run every generated node with a payload that records each key it reads."""

    class Recording(dict):
        def __init__(self, *args):
            super().__init__(*args)
            self.read: set[str] = set()

        def get(self, key, default=None):
            self.read.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            self.read.add(key)
            return super().__getitem__(key)

        def __contains__(self, key):
            self.read.add(key)
            return super().__contains__(key)

        def __iter__(self):
            raise AssertionError("a node must read the payload by key, not iterate over it")

    solution = generate()
    prepared_rows = csv_rows((solution.root / "design_studio.csv").read_text(encoding="utf-8"))
    model, _ = load_solution(PARTNER_EXAMPLE)
    monkeypatch.setitem(solution.app.PARAMS["sandbox"], "braze_api_key", "test-key")
    for node, row in zip(model.nodes, prepared_rows, strict=True):
        module, instance = solution.node(node.name)
        monkeypatch.setattr(module, "_call", lambda *args: {"success": "true"})
        expected = set(json.loads(row["Parameter Input"]))
        for payload in (Recording({"UNRELATED": "x"}), Recording(sample_payload(node))):
            instance.execute(lambda message: None, payload, {"env": "sandbox"})
            assert payload.read - {"UNRELATED"} == expected, node.name


def test_missing_routes_are_left_out_of_what_next_and_warned_about(tmp_path):
    mapping = write_spec(
        tmp_path, spec(node_yaml("BrazeTrackA", "{node: 100, success: 110}"), defaults="")
    )
    prepared = generate.prepare(mapping)
    row = csv_rows(prepared.files["design_studio.csv"])[0]
    assert row["What Next?"] == "true~110"
    messages = [p.message for p in prepared.warnings]
    assert any("no failure route: add routing.failure" in m for m in messages)
    assert any("no error route" in m and "defaults.error_node" in m for m in messages)
    routing_md = prepared.files["ROUTING.md"]
    assert "`false` → not set" in routing_md and "What Next? is incomplete" in routing_md
    assert "unset" in mermaid_block(routing_md)


# -- ROUTING.md ----------------------------------------------------------------------------------


def test_routing_md_has_a_valid_flowchart_of_every_node(tmp_path):
    mapping = write_spec(
        tmp_path,
        spec(
            node_yaml("BrazeTrackA", "{node: 100, success: 200, failure: 110}"),
            node_yaml("BrazeTrackB", "{node: 200, success: 210, failure: 110}"),
            node_yaml("BrazeTrackC", None),
        ),
    )
    prepared = generate.prepare(mapping)
    block = mermaid_block(prepared.files["ROUTING.md"])
    lines = block.splitlines()
    assert lines[0] == "flowchart TD"
    declarations = [line.split()[0] for line in lines[1:] if "--" not in line and "-." not in line]
    assert len(declarations) == len(set(declarations)), "a Mermaid id declared twice"
    for node in prepared.solution.nodes:
        assert f'n{node.routes.node}["{node.routes.node} {node.name}<br/>' in block
    assert block.count("n99990{{") == 1 and "99990 error handler" in block
    assert "n100 -- true --> n200" in block  # a target that is a node links to it
    assert '(("200"))' not in block
    assert block.count('(("110"))') == 1
    for line in lines[1:]:
        if "--" in line or "-." in line:
            continue
        assert re.fullmatch(r"\s+\w+(\[\".*\"\]|\(\(\".*\"\)\)|\{\{\".*\"\}\})", line), line
    text = prepared.files["ROUTING.md"]
    for node in prepared.solution.nodes:
        assert f"## {node.routes.node} {node.name}" in text
        assert json.dumps(node.parameter_input) in text
        assert f"POST /{node.endpoint.path}" in text
    assert "`true~100\\|" not in text and "`true~200\\|false~110\\|error~99990`" in text


def test_negative_numbers_make_valid_mermaid_ids(tmp_path):
    mapping = write_spec(tmp_path, spec(node_yaml("BrazeTrackA", "{node: -585, success: -500}")))
    block = mermaid_block(generate.prepare(mapping).files["ROUTING.md"])
    assert 'nm585["-585 BrazeTrackA' in block and "nm585 -- true --> nm500" in block


# -- node numbers --------------------------------------------------------------------------------


def test_assign_takes_the_next_free_multiple_of_ten():
    nodes = [("A", 100), ("B", None), ("C", None)]
    assert numbering.assign(nodes, targets=[110, 120, 130], error_targets=[99990]) == {
        "B": 140,
        "C": 150,
    }
    assert numbering.assign([("A", None)], targets=[]) == {"A": 1000}
    assert numbering.assign([("A", None)], targets=[1790]) == {"A": 1810}  # 1800 is reserved
    assert numbering.assign([("A", 5), ("B", None)], targets=[], previous={"B": 5}) == {
        "B": 20  # 5 is A's now; 10 is reserved
    }


def test_assign_keeps_earlier_numbers_while_free():
    previous = {"Old": 140}
    nodes = [("New", None), ("A", 100), ("Old", None)]
    assert numbering.assign(nodes, [110, 120], [], previous) == {"Old": 140, "New": 150}
    taken = [("A", 140), ("Old", None)]  # the spec now gives 140 to A
    assert numbering.assign(taken, [], [], previous) == {"Old": 150}


def test_unnumbered_nodes_get_numbers_that_survive_a_regen(tmp_path):
    first = spec(
        node_yaml("BrazeTrackA", "{node: 100, success: 110, failure: 120}"),
        node_yaml("BrazeTrackB", "{success: 130, failure: 140}"),
    )
    mapping = write_spec(tmp_path, first)
    root = tmp_path / "solution"
    prepared = generate.prepare(mapping)
    generate.write_new(root, prepared)
    assert prepared.solution.assigned_numbers == {"BrazeTrackB": 150}
    assert state.read(root).node_numbers == {"BrazeTrackB": 150}
    rows = csv_rows((root / "design_studio.csv").read_text(encoding="utf-8"))
    assert [r["Node Number"] for r in rows] == ["100", "150"]
    assert (
        "write `routing: {node: 150}` in mapping.yaml to pin it"
        in (root / "ROUTING.md").read_text()
    )

    # A new unnumbered node, written before B, with routes above B's number.
    second = spec(
        node_yaml("BrazeTrackA", "{node: 100, success: 110, failure: 120}"),
        node_yaml("BrazeTrackNew", "{success: 300, failure: 310}"),
        node_yaml("BrazeTrackB", "{success: 130, failure: 140}"),
    )
    (root / "mapping.yaml").write_text(second, encoding="utf-8")
    planned = regen.plan(root)
    regen.apply(root, planned)
    numbers = {
        n.name: n.routes.node
        for n in generate.prepare(
            root / "mapping.yaml", assigned_numbers=state.read(root).node_numbers
        ).solution.nodes
    }
    assert numbers == {"BrazeTrackA": 100, "BrazeTrackNew": 320, "BrazeTrackB": 150}
    assert state.read(root).node_numbers == {"BrazeTrackB": 150, "BrazeTrackNew": 320}
    rows = csv_rows((root / "design_studio.csv").read_text(encoding="utf-8"))
    assert [(r["Node Name"], r["Node Number"]) for r in rows[:3]] == [
        ("BrazeTrackA", "100"),
        ("BrazeTrackNew", "320"),
        ("BrazeTrackB", "150"),
    ]
    # Without the state, the order of the spec would have decided: B would have moved.
    fresh = generate.prepare(root / "mapping.yaml").solution.assigned_numbers
    assert fresh == {"BrazeTrackNew": 320, "BrazeTrackB": 330}
    assert regen.plan(root).nothing_to_write


def test_an_error_node_that_is_also_a_node_is_rejected(tmp_path):
    mapping = write_spec(tmp_path, spec(node_yaml("BrazeTrackA", "{node: 99990, success: 1}")))
    with pytest.raises(Exception) as caught:
        load_solution(mapping)
    assert "also defaults.error_node" in str(caught.value)


# -- pypestream-braze routing --------------------------------------------------------------------


def test_routing_command_prints_the_summary(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    assert main(["routing", str(root)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines if "parameter input" not in line)
    model, _ = load_solution(PARTNER_EXAMPLE)
    for node in model.nodes:
        assert re.search(rf"^{node.routes.node}\s+{node.name}$", out, re.M)
        assert f"POST /{node.endpoint.path}" in out
        assert node.routes.what_next() in out
    assert "true -> 1300   false -> 1310   error -> 99990 (error handler)" in out
    # The Parameter Input is one line of JSON, whatever its length: copied, it pastes as is.
    pasted = [line.split("parameter input", 1)[1] for line in lines if "parameter input" in line]
    assert [json.loads(text) for text in pasted] == [n.parameter_input for n in model.nodes]
    assert max(len(line) for line in lines) > 100, "the example's first input is a long line"


def test_routing_json_is_the_whole_table(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    assert main(["routing", str(root), "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    model, _ = load_solution(PARTNER_EXAMPLE)
    assert [n["command"] for n in table["nodes"]] == [n.name for n in model.nodes]
    first = table["nodes"][0]
    assert first["parameter_input"] == model.nodes[0].parameter_input
    assert first["routes"] == {"true": 1300, "false": 1310, "error": 99990}
    assert first["what_next"] == "true~1300|false~1310|error~99990"
    assert table["error_node"] == {"node": 99990, "name": "error handler", "created": False}
    # A spec file works too, before any solution exists.
    assert main(["routing", str(PARTNER_EXAMPLE), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nodes"] == table["nodes"]


def test_routing_command_shows_assigned_numbers_from_the_state(tmp_path, capsys):
    root = tmp_path / "solution"
    write_spec(tmp_path, spec(node_yaml("BrazeTrackB", "{success: 130, failure: 140}")))
    generate.write_new(root, generate.prepare(tmp_path / "mapping.yaml"))
    data = json.loads((root / ".pypestream-braze/state.json").read_text())
    data["node_numbers"] = {"BrazeTrackB": 4000}
    (root / ".pypestream-braze/state.json").write_text(json.dumps(data))
    assert main(["routing", str(root)]) == 0
    assert re.search(r"^4000\s+BrazeTrackB  \(number assigned", capsys.readouterr().out, re.M)


def test_routing_command_rejects_a_bad_mapping_with_located_problems(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    (root / "mapping.yaml").write_text(spec(node_yaml("braze_track", None)), encoding="utf-8")
    assert main(["routing", str(root)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"mapping\.yaml:\d+:\d+: error: node name 'braze_track'", err)
    assert "nothing was written" not in err, "routing never writes"
    assert err.endswith(f"{root / 'mapping.yaml'}: note: 1 error\n")
    assert main(["routing", str(tmp_path / "nowhere")]) == 2
