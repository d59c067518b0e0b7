"""Reading a Design Studio export (`--flow EXPORT.csv`): the data as it is, and one clear message
for anything that is not an export."""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from pathlib import Path

import pytest
from flows import make_export
from helpers import TESTS

from pypestream_braze.cli.main import main
from pypestream_braze.errors import SpecError
from pypestream_braze.mapping import flow

EXPORT = make_export.EXPORT
SPEC = TESTS / "flows" / "fits.yaml"
GENEROUS_SECONDS = 10


def _records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_fixture_is_what_its_script_writes():
    assert EXPORT.read_bytes() == make_export.text().encode(
        "utf-8"
    ), "run python tests/flows/make_export.py"


def test_a_realistic_export_is_read_cell_for_cell():
    read = flow.read(EXPORT)
    expected = _records(make_export.text())
    assert read.header == tuple(expected[0])
    assert [list(row.cells) for row in read.rows] == expected[1:]
    assert len(read.rows) == 412 and read.newline == "\r\n" and not read.bom
    assert [row.number for row in read.at(make_export.NEGATIVE_NODE)] == [-585]
    assert read.cell(read.at(make_export.NEGATIVE_NODE)[0], "Node Number") == "'-585"
    slack = read.at(make_export.ERROR_NODE)[0]
    assert read.cell(slack, "Message") == "Live App ID\n\nf635a328-d734-4a89-8b39-3b37e2057da2"
    assert any(read.cell(row, "Description") == make_export.FORMULA for row in read.rows)


def test_each_row_knows_the_line_it_starts_on():
    read = flow.read(EXPORT)
    lines = re.split(r"\r\n|\n|\r", EXPORT.read_text(encoding="utf-8"))  # as editors count
    for row in read.rows:
        assert lines[row.line - 1] == re.split(r"\r\n|\n|\r", row.text)[0]
    assert read.rows[0].line == 2 and read.rows[1].line == 7  # the first row spans 5 lines


def test_the_text_is_kept_exactly():
    data = EXPORT.read_bytes()
    read = flow.parse(data, "export.csv")
    kept = read.header_text + "".join(row.text + row.gap for row in read.rows)
    assert kept.encode("utf-8") == data


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_bom_and_either_line_ending(newline, bom):
    text = make_export.text().replace("\r\n", newline)
    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
    read = flow.parse(data, "export.csv")
    assert read.bom is bom and read.newline == newline
    assert read.header[0] == "Node Number"
    assert [list(row.cells) for row in read.rows] == _records(text)[1:]


def test_blank_lines_are_kept_and_ignored():
    text = make_export.text()
    head, rest = text.split("\r\n", 1)
    data = (head + "\r\n\r\n" + rest + "\r\n\r\n").encode("utf-8")
    read = flow.parse(data, "export.csv")
    assert len(read.rows) == 412
    assert (read.header_text + "".join(r.text + r.gap for r in read.rows)).encode() == data


def test_node_numbers_as_design_studio_and_this_tool_write_them():
    assert [flow.node_number(c) for c in ("1200", "'-585", "-585", " 7 ", "' -3")] == [
        1200,
        -585,
        -585,
        7,
        -3,
    ]
    assert [flow.node_number(c) for c in ("", "12a", "1.5", "'", "²", "١٢")] == [None] * 6


# -- one clear message for anything else, through the command line -------------------------


def _bad(tmp_path: Path, data: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _only_message(capsys, path: Path, args=()) -> str:
    assert main(["check", str(SPEC), "--flow", str(path), *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert Path(lines[0].split(":", 1)[0]).resolve() == path.resolve(), err
    assert "Traceback" not in err
    problems = [line for line in lines if ": error: " in line]
    assert len(problems) == 1, err
    return problems[0]


def _header() -> str:
    return ",".join(make_export.HEADER)


def test_a_missing_column(tmp_path, capsys):
    text = make_export.text().replace(",What Next?,", ",", 1)
    message = _only_message(capsys, _bad(tmp_path, text.encode()))
    assert message.startswith(f"{tmp_path / 'export.csv'}:1:1: error: is not a Design Studio")
    assert "its header has no 'What Next?' column" in message


def test_an_older_layout_lists_what_it_lacks(tmp_path, capsys):
    header = [c for c in make_export.HEADER if c not in ("Intent", "Entity Type", "Entity")]
    message = _only_message(capsys, _bad(tmp_path, (",".join(header) + "\n").encode()))
    assert "no 'Intent', 'Entity Type', 'Entity' columns" in message


def _line_of(data: bytes, marker: bytes) -> int:
    return data[: data.index(marker)].count(b"\n") + 1


def test_a_row_of_the_wrong_width(tmp_path, capsys):
    data = make_export.text().encode().replace(b"666,D,End chat,", b"666,D,End, chat,", 1)
    message = _only_message(capsys, _bad(tmp_path, data))
    line = _line_of(data, b"666,D,End")
    assert message.startswith(f"{tmp_path / 'export.csv'}:{line}:1: error: this row has 27")


def test_a_file_of_50_mb_is_refused_before_it_is_read(tmp_path, capsys):
    path = tmp_path / "export.csv"
    with open(path, "wb") as handle:  # sparse: no disk space taken
        handle.truncate(50 * 1024 * 1024)
    message = _only_message(capsys, path)
    assert message == (
        f"{path}: error: is 52,428,800 bytes; a Design Studio export may be at most "
        "16,777,216 bytes (16 MiB, some 50,000 nodes): is this the flow's CSV?"
    )


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path):
    with pytest.raises(SpecError, match="may be at most 16,777,216 bytes"):
        flow.parse(b"x" * (flow.MAX_BYTES + 1), "export.csv")


def test_a_formula_cell_is_text(tmp_path):
    text = make_export.text().replace("Bye!", "=1+2", 1)
    read = flow.parse(text.encode(), "export.csv")
    assert read.cell(read.at(666)[0], "Message") == "=1+2"


def test_a_file_that_is_not_utf8(tmp_path, capsys):
    data = make_export.text().encode().replace(b"Bye!", "Au revoir, à bientôt".encode("cp1252"))
    message = _only_message(capsys, _bad(tmp_path, data))
    line = _line_of(data, b"Au revoir")
    assert message.startswith(f"{tmp_path / 'export.csv'}:{line}:32: error: is not UTF-8 text")
    assert "(byte 0xE0)" in message and "'CSV UTF-8'" in message


def test_utf16_is_named(tmp_path, capsys):
    message = _only_message(capsys, _bad(tmp_path, make_export.text().encode("utf-16")))
    assert "is UTF-16 text" in message


def test_semicolons_are_named(tmp_path, capsys):
    text = make_export.text().replace(",", ";")
    message = _only_message(capsys, _bad(tmp_path, text.encode()))
    assert ":1:1: error: separates its columns with semicolons, not commas" in message


def test_a_nul_byte(tmp_path, capsys):
    text = make_export.text().replace("Bye!", "By\0e", 1)
    assert "holds a NUL character" in _only_message(capsys, _bad(tmp_path, text.encode()))


def test_a_quote_never_closed(tmp_path, capsys):
    data = make_export.text().encode() + b'7777,D,"Unclosed,' + b"," * 23 + b"\r\n"
    message = _only_message(capsys, _bad(tmp_path, data))
    line = _line_of(data, b"7777,D")
    assert f":{line}:1: error: a double quote opened in this row is never closed" in message


def test_a_stray_quote_inside_a_quoted_cell(tmp_path, capsys):
    text = make_export.text().replace("Bye!", '"Bye"!"', 1)
    assert "is not valid CSV" in _only_message(capsys, _bad(tmp_path, text.encode()))


def test_a_cell_longer_than_the_csv_limit(tmp_path, capsys):
    text = make_export.text().replace("Bye!", '"' + "x" * 200_000 + '"', 1)
    message = _only_message(capsys, _bad(tmp_path, text.encode()))
    assert "longer than 131,072 characters" in message


def test_a_node_number_that_is_not_one(tmp_path, capsys):
    text = make_export.text().replace("\r\n666,D,", "\r\nsix,D,", 1)
    message = _only_message(capsys, _bad(tmp_path, text.encode()))
    assert "error: Node Number 'six' is not a whole number" in message


def test_too_many_rows(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(flow, "MAX_ROWS", 100)
    message = _only_message(capsys, EXPORT)
    assert "has more than 100 rows" in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n"])
def test_an_empty_file(tmp_path, capsys, data):
    message = _only_message(capsys, _bad(tmp_path, data))
    assert "is empty" in message or "is not a Design Studio export" in message


def test_no_such_file_a_folder_and_a_device(tmp_path, capsys):
    assert "no such file" in _only_message(capsys, tmp_path / "missing.csv")
    assert "is a folder" in _only_message(capsys, tmp_path)
    if Path("/dev/zero").exists():
        assert "is a device, not a file" in _only_message(capsys, Path("/dev/zero"))


def test_a_link_is_not_followed(tmp_path, capsys):
    link = tmp_path / "export.csv"
    link.symlink_to(EXPORT)
    assert "is a symbolic link" in _only_message(capsys, link)


def test_a_link_swapped_in_after_the_look_is_not_followed(tmp_path, monkeypatch):
    link = tmp_path / "export.csv"
    link.symlink_to(EXPORT)
    regular = os.stat(EXPORT)
    monkeypatch.setattr(flow.os, "lstat", lambda path, **_: regular)  # swapped after lstat
    with pytest.raises(SpecError, match="is a symbolic link"):
        flow.read(link)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("swapped", [False, True])
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, monkeypatch, swapped):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    if swapped:  # a FIFO put in its place after the look: opened without blocking, then refused
        regular = os.stat(EXPORT)
        monkeypatch.setattr(flow.os, "lstat", lambda path: regular)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            flow.read(fifo)
        except SpecError as err:
            outcome.append(err)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(GENEROUS_SECONDS)
    if reader.is_alive():
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert "is a named pipe (FIFO), not a file" in str(outcome[0])
