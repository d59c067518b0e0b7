"""`bundle --flow`: the export with the solution's rows merged in, every export row unchanged,
and bundling again against the result (or a re-export) adding nothing twice."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from flows import make_export
from helpers import TESTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pypestream_braze.cli.main import main
from pypestream_braze.mapping import flow
from pypestream_braze.render import flow_merge
from pypestream_braze.solution import generate

EXPORT = make_export.EXPORT
FITS = TESTS / "flows" / "fits.yaml"
# What the fitting spec's two nodes add, with their routes.
OURS = {
    7050: ("BrazeTrackClaim", "true~7060|false~5856|error~99990"),
    7060: ("BrazeLookupTier", "true~2100|false~2100|error~99991"),
}


@pytest.fixture
def solution(tmp_path):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(FITS))
    return root


def _bundle(root: Path, export: Path, out: Path, capsys) -> tuple[str, dict]:
    args = ["bundle", str(root), "--env", "sandbox", "--flow", str(export), "--out", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    if out.suffix == ".zip":
        with zipfile.ZipFile(out) as archive:
            csv_text = archive.read("design_studio.csv").decode("utf-8")
            manifest = json.loads(archive.read("manifest.json"))
    else:
        csv_text = (out / "design_studio.csv").read_bytes().decode("utf-8")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return printed, {"csv": csv_text, "manifest": manifest}


def test_the_export_with_the_solutions_rows_added(solution, tmp_path, capsys):
    printed, made = _bundle(solution, EXPORT, tmp_path / "bundle", capsys)
    export_text = EXPORT.read_bytes().decode("utf-8")
    assert made["csv"].startswith(export_text), "every export row unchanged, byte for byte"
    merged = flow.parse(made["csv"].encode("utf-8"), "merged.csv")
    original = flow.read(EXPORT)
    assert merged.header == original.header
    assert [r.cells for r in merged.rows[:412]] == [r.cells for r in original.rows]
    added = merged.rows[412:]
    assert [(r.number, merged.cell(r, "Command")) for r in added] == [
        (7050, "BrazeTrackClaim"),
        (7060, "BrazeLookupTier"),
    ]
    for row in added:
        assert merged.cell(row, "What Next?") == OURS[row.number][1]
        assert merged.cell(row, "Node Type") == "A"
        assert row.text.endswith("\r\n"), "the export's line ending"
    assert made["manifest"]["flow"] == {
        "export": "export.csv",
        "export_sha256": made["manifest"]["flow"]["export_sha256"],
        "export_rows": 412,
        "added": [
            {"node": 7050, "name": "BrazeTrackClaim"},
            {"node": 7060, "name": "BrazeLookupTier"},
        ],
        "replaced": [],
    }
    assert "merged in" in made["manifest"]["files"]["design_studio.csv"]
    assert "design_studio.csv: export.csv (412 rows) with 2 added and 0 replaced" in printed


def test_bundling_against_the_merged_file_adds_nothing(solution, tmp_path, capsys):
    _, first = _bundle(solution, EXPORT, tmp_path / "one", capsys)
    _, second = _bundle(solution, tmp_path / "one" / "design_studio.csv", tmp_path / "two", capsys)
    assert second["csv"] == first["csv"]
    assert second["manifest"]["flow"]["added"] == []
    assert [c["node"] for c in second["manifest"]["flow"]["replaced"]] == [7050, 7060]


def test_bundling_against_a_re_export_replaces_the_rows_in_place(solution, tmp_path, capsys):
    _, first = _bundle(solution, EXPORT, tmp_path / "one", capsys)
    # Design Studio exports again: every cell quoted, LF line endings, our rows moved up.
    records = list(csv.reader(io.StringIO(first["csv"], newline="")))
    header, rows = records[0], records[1:]
    rows = rows[-2:] + rows[:-2]
    rows[0][header.index("Node Name")] = "Renamed in Design Studio"
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    reexport = tmp_path / "reexport.csv"
    reexport.write_bytes(buffer.getvalue().encode("utf-8"))
    _, second = _bundle(solution, reexport, tmp_path / "two", capsys)
    merged = flow.parse(second["csv"].encode("utf-8"), "merged.csv")
    assert [r.number for r in merged.rows][:2] == [7050, 7060] and len(merged.rows) == 414
    assert merged.cell(merged.rows[0], "Node Name") == "BrazeTrackClaim"
    assert merged.rows[0].text.endswith("\n") and not merged.rows[0].text.endswith("\r\n")
    assert second["csv"].split("\n", 3)[3] == buffer.getvalue().split("\n", 3)[3]
    assert [c["export_line"] for c in second["manifest"]["flow"]["replaced"]] == [2, 3]


def test_hand_edits_of_the_solutions_rows_are_what_is_merged(solution, tmp_path, capsys):
    rows = solution / "design_studio.csv"
    records = list(csv.reader(io.StringIO(rows.read_text(encoding="utf-8"), newline="")))
    records[1][records[0].index("Description")] = '"Edited", by hand\non two lines'
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    rows.write_text(buffer.getvalue(), encoding="utf-8")
    _, made = _bundle(solution, EXPORT, tmp_path / "bundle", capsys)
    merged = flow.parse(made["csv"].encode("utf-8"), "merged.csv")
    edited = merged.cell(merged.at(7050)[0], "Description")
    assert edited == '"Edited", by hand\non two lines'


def test_the_created_error_node_is_added_once(tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    text = FITS.read_text(encoding="utf-8").replace("      error: 99991\n", "")
    spec.write_text(
        text.replace("  error_node: 99990\n", "  error_node: 99000\n  create_error_node: true\n")
    )
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(spec))
    _, first = _bundle(root, EXPORT, tmp_path / "one", capsys)
    assert [c["node"] for c in first["manifest"]["flow"]["added"]] == [7050, 7060, 99000]
    _, second = _bundle(root, tmp_path / "one" / "design_studio.csv", tmp_path / "two", capsys)
    assert second["csv"] == first["csv"]
    assert [c["name"] for c in second["manifest"]["flow"]["replaced"]][-1] == "Braze error"


@pytest.mark.parametrize("bom", [False, True])
def test_a_bom_and_lf_export_without_a_last_line_ending(solution, tmp_path, capsys, bom):
    text = make_export.text().replace("\r\n", "\n").rstrip("\n")
    export = tmp_path / "export.csv"
    export.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    _, made = _bundle(solution, export, tmp_path / "bundle.zip", capsys)
    assert made["csv"].startswith(("\ufeff" if bom else "") + text + "\n7050,A,")
    assert "\r" not in made["csv"].replace(text, "")


def test_a_bundle_with_warnings_is_written_and_says_so(tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text(FITS.read_text().replace('"{POLICY_NUMBER}"', '"{POLICY_NUMBR}"'))
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(spec))
    out = tmp_path / "bundle"
    args = ["bundle", str(root), "--env", "sandbox", "--flow", str(EXPORT), "--out", str(out)]
    assert main(args) == 0
    assert "warning: BrazeTrackClaim reads {POLICY_NUMBR}" in capsys.readouterr().err
    assert (out / "design_studio.csv").exists()


# -- the merge, for any export --------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
_COMMANDS = st.sampled_from(["", "BrazeA", "BrazeB", "SlackLogger"])
_NUMBERS = st.integers(-5, 12)  # few, so rows share numbers and commands often


@st.composite
def _row(draw, numbers=_NUMBERS) -> dict[str, str]:
    number = draw(numbers)
    written = f"'{number}" if number < 0 and draw(st.booleans()) else str(number)
    row = {column: draw(_TEXT) for column in draw(st.sets(st.sampled_from(make_export.HEADER)))}
    row.update(
        {
            "Node Number": written,
            "Node Type": draw(st.sampled_from(["A", "D", ""])),
            "Node Name": draw(st.sampled_from(["", "Braze error", "Menu"])),
            "Command": draw(_COMMANDS),
        }
    )
    return row


@st.composite
def _export(draw) -> tuple[bytes, list[list[str]]]:
    header = list(make_export.HEADER)
    records = [[row.get(c, "") for c in header] for row in draw(st.lists(_row(), max_size=12))]
    if draw(st.booleans()):
        records.insert(draw(st.integers(0, len(records))), [""] * len(header))  # an empty row
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    text = "".join(_line(record, newline) for record in [header, *records])
    if draw(st.booleans()):
        text = text[: -len(newline)]
    return ("\ufeff" if draw(st.booleans()) else "").encode() + text.encode("utf-8"), records


def _line(cells: list[str], newline: str) -> str:
    buffer = io.StringIO()  # with \r\n, the csv module quotes a cell holding either line break
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2] + newline


def _number(cell: str) -> int | None:
    text = cell.strip().lstrip("'").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _same(a: dict[str, str], b: dict[str, str]) -> bool:
    """The rule, written out again: same number, same Command, and without a Command the same
    type and name."""
    if _number(a["Node Number"]) is None or _number(a["Node Number"]) != _number(
        b.get("Node Number", "")
    ):
        return False
    keys = ("Command",) if a["Command"].strip() else ("Command", "Node Type", "Node Name")
    return all(a[k].strip() == b.get(k, "").strip() for k in keys)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _export(),
    st.lists(
        _row(st.integers(-5, 12)), max_size=5, unique_by=lambda r: r["Node Number"].lstrip("'")
    ),
)
def test_merge_keeps_every_export_row_and_adds_nothing_twice(exported, generated):
    data, records = exported
    header = list(make_export.HEADER)
    parsed = flow.parse(data, "export.csv")
    assert [list(row.cells) for row in parsed.rows] == records
    merged = flow_merge.merge(parsed, generated)
    expected = [dict(zip(header, r, strict=True)) for r in records]
    added = 0
    for row in generated:
        match = next((i for i, old in enumerate(expected) if _same(old, row)), None)
        cells = {c: row.get(c, "") for c in header}
        if match is None:
            expected.append(cells)
            added += 1
        else:
            expected[match] = cells
    result = flow.parse(merged.text.encode("utf-8"), "merged.csv")
    assert result.header == parsed.header and result.bom == parsed.bom
    kept = [dict(zip(header, row.cells, strict=True)) for row in result.rows]
    assert kept == expected
    assert (len(merged.added), len(merged.replaced)) == (added, len(generated) - added)
    for old in parsed.rows:  # an export row no generated row replaces keeps its exact text
        if not any(_same(parsed.as_dict(old), row) for row in generated):
            assert old.text in merged.text
    again = flow_merge.merge(result, generated)
    assert again.text == merged.text and again.added == ()
