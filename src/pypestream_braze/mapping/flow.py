"""A flow as Design Studio exports it: the 26-column solution CSV, read as the data it is.

    read(path) -> Flow              SpecError with ONE located message when the file is not an
                                    export (or cannot be read); never a traceback
    parse(data, name) -> Flow       the same, from the file's bytes
    node_number(cell) -> int|None   a Node Number cell as a number: '1200', '-585', "'-585"
    same_node(a, b) -> bool         whether two rows are one node (same number and Command)

A cell is any text: line breaks, quotes, emoji, a leading '=' or apostrophe are kept exactly as
read. The file may start with a byte order mark and end its lines with CRLF or LF. Each row
keeps the exact text it had in the file, so a merge can write the export's rows back byte for
byte (mapping the rows to cells and back would re-quote them).

The export is hostile input like a spec: only a regular file is opened (never through a
symbolic link, never a FIFO, which would wait for a writer), at most MAX_BYTES are read, and at
most MAX_ROWS rows are kept.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Level, Location, Problem, SpecError
from ..reading import LINK, UnsafePathError, read_file

# The export's columns, in Design Studio's order.
COLUMNS = (
    "Node Number",
    "Node Type",
    "Node Name",
    "Intent",
    "Entity Type",
    "Entity",
    "NLU Disabled?",
    "Next Nodes",
    "Message",
    "Rich Asset Type",
    "Rich Asset Content",
    "Answer Required?",
    "Behaviors",
    "Command",
    "Description",
    "Output",
    "Node Input",
    "Parameter Input",
    "Decision Variable",
    "What Next?",
    "Node Tags",
    "Skill Tag",
    "Variable",
    "Platform Flag",
    "Flows",
    "CSS Classname",
)
# The largest public export (560 nodes) is 176 KB, about 314 bytes a row: 16 MiB holds some
# 50,000 such rows, ten times the largest flow anyone edits by hand, and reads in about 2 s
# (benchmarks/README.md).
MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 100_000  # a row of empty cells is 26 bytes: bounds memory for a file of such rows
MAX_CELL = 131_072  # the csv module's own limit on a cell, kept rather than raised process-wide

_NUMBER = re.compile(r"[+-]?[0-9]+")
_EXPORT_AGAIN = "export the flow from Design Studio again"


@dataclass(frozen=True)
class Row:
    """One node of the flow: its cells in the header's order and its text as in the file."""

    line: int  # the file line the row starts on (the header is line 1)
    cells: tuple[str, ...]
    text: str  # exactly as in the file, its line ending included
    number: int | None  # None only for a row whose cells are all empty
    gap: str = ""  # blank lines after the row, as in the file


@dataclass(frozen=True)
class Flow:
    path: str  # as the user gave it
    header: tuple[str, ...]  # as written
    header_text: str  # the header line as in the file (BOM excluded), blank lines after it too
    rows: tuple[Row, ...]
    newline: str  # the file's line ending, for rows written into it
    bom: bool
    columns: dict[str, int] = field(compare=False, repr=False)  # column -> index in a row
    numbered: dict[int, tuple[Row, ...]] = field(compare=False, repr=False, default_factory=dict)

    def cell(self, row: Row, column: str) -> str:
        return row.cells[self.columns[column]]

    def as_dict(self, row: Row) -> dict[str, str]:
        return {column: self.cell(row, column) for column in self.columns}

    def at(self, number: int | None) -> tuple[Row, ...]:
        """The rows numbered number, in the file's order (one, in a sound flow)."""
        return () if number is None else self.numbered.get(number, ())

    def where(self, row: Row) -> str:
        """'export.csv line 37', for messages that name a row."""
        return f"{self.path} line {row.line}"


def node_number(cell: str) -> int | None:
    """A Node Number cell as a number, or None. Design Studio writes -585 as "'-585" (the
    spreadsheet mark for text), and this tool writes it plainly: both are -585."""
    if cell.isascii() and cell.isdigit():  # most cells, at once (isdigit alone takes "²")
        return int(cell)
    text = cell.strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return int(text) if _NUMBER.fullmatch(text) else None


def same_node(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Whether two rows are one node: the same number and the same Command; for a node without
    a Command (a decision node, such as the error node this tool creates), the same type and
    name too, since the number alone says nothing about what the node is."""
    number = node_number(a.get("Node Number", ""))
    if number is None or number != node_number(b.get("Node Number", "")):
        return False
    command = a.get("Command", "").strip()
    if command != b.get("Command", "").strip():
        return False
    if command:
        return True
    return all(a.get(c, "").strip() == b.get(c, "").strip() for c in ("Node Type", "Node Name"))


def read(path: str | Path) -> Flow:
    name = str(path)
    return parse(_read_bytes(name, path), name)


def parse(data: bytes, name: str) -> Flow:
    if len(data) > MAX_BYTES:
        raise _error(name, _too_large(len(data)))
    bom = data.startswith(b"\xef\xbb\xbf")
    text = _decode(name, data[3:] if bom else data)
    if "\0" in text:
        before = text[: text.index("\0")]
        raise _error(
            name,
            "holds a NUL character, so it is not a text file; give the CSV Design Studio "
            "exported",
            before.count("\n") + 1,
        )
    records = _records(name, text)
    try:
        _, header, header_text = next(records)
    except StopIteration:
        raise _error(name, f"is empty; {_EXPORT_AGAIN}") from None
    columns = _columns(name, header)
    rows: list[Row] = []
    tail = ""  # blank lines before the first row belong to the header's text
    for line, cells, raw in records:
        if not cells or (len(cells) == 1 and not cells[0].strip()):  # a blank line: kept
            # with the row before it, so the file's text is written back as it was
            if rows:
                last = rows[-1]
                rows[-1] = Row(last.line, last.cells, last.text, last.number, last.gap + raw)
            else:
                tail += raw
            continue
        if len(cells) != len(header):
            raise _error(
                name,
                f"this row has {len(cells)} cells, but the header has {len(header)}: a cell "
                "holding a comma, a double quote or a line break must be in double quotes; "
                f"{_EXPORT_AGAIN} rather than editing it as text",
                line,
            )
        if len(rows) == MAX_ROWS:
            raise _error(
                name,
                f"has more than {MAX_ROWS:,} rows; a Design Studio export this tool reads may "
                "have at most that many",
                line,
            )
        cell = cells[columns["Node Number"]]
        number = node_number(cell)
        if number is None and any(c.strip() for c in cells):
            raise _error(
                name,
                f"Node Number {cell!r} is not a whole number; every node of a Design Studio "
                "flow has one (such as 1200, or -585)",
                line,
            )
        rows.append(Row(line, tuple(cells), raw, number))
    numbered: dict[int, list[Row]] = {}
    for row in rows:
        if row.number is not None:
            numbered.setdefault(row.number, []).append(row)
    return Flow(
        path=name,
        header=tuple(header),
        header_text=header_text + tail,
        rows=tuple(rows),
        newline=_newline(header_text),
        bom=bom,
        columns=columns,
        numbered={number: tuple(found) for number, found in numbered.items()},
    )


# -- reading the file -----------------------------------------------------------------------


def _read_bytes(name: str, path: str | Path) -> bytes:
    """The file's bytes, through the one reader (a regular file only, never through a link);
    a file larger than MAX_BYTES is answered by its size alone."""
    try:
        return read_file(Path(path), MAX_BYTES + 1)
    except FileNotFoundError:
        raise _error(name, "no such file; give the CSV exported from Design Studio") from None
    except UnsafePathError as err:
        if err.problem.startswith("is larger than"):
            try:
                size = os.lstat(path).st_size
            except OSError:  # gone since: it was larger than the limit when read
                size = MAX_BYTES + 1
            raise _error(name, _too_large(size)) from None
        if err.problem == LINK:
            raise _error(name, _LINK) from None
        if "folder" in err.problem:
            raise _error(name, "is a folder; give the CSV file Design Studio exported") from None
        raise _error(name, f"{err.problem}; give the CSV file Design Studio exported") from None
    except OSError as err:
        raise _error(name, err.strerror or str(err)) from None


_LINK = (
    "is a symbolic link; pypestream-braze does not follow links to input files: give the "
    "export file itself"
)


def _too_large(size: int) -> str:
    return (
        f"is {size:,} bytes; a Design Studio export may be at most {MAX_BYTES:,} bytes "
        "(16 MiB, some 50,000 nodes): is this the flow's CSV?"
    )


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _error(
            name,
            "is UTF-16 text (a spreadsheet's 'Unicode text'); save it as 'CSV UTF-8', or "
            f"{_EXPORT_AGAIN}",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise _error(
            name,
            f"is not UTF-8 text (byte 0x{data[err.start]:02X}); Design Studio exports UTF-8: "
            f"{_EXPORT_AGAIN}, or save it from the spreadsheet as 'CSV UTF-8'",
            line,
            column,
        ) from None


# -- records --------------------------------------------------------------------------------


def _records(name: str, text: str) -> Iterator[tuple[int, list[str], str]]:
    """(first line, cells, exact text) for each record; [] cells for a blank line.

    The csv module reads a line at a time and asks for the next only while a quoted cell is
    open, so the lines it took for a record are exactly that record's text.
    """
    taken: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            taken.append(line)
            yield line

    reader = csv.reader(lines(), strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _error(name, _csv_problem(str(err)), line) from None
        raw = "".join(taken)
        taken.clear()
        yield line, cells, raw
        line += _line_count(raw)


def _csv_problem(reason: str) -> str:
    if "field larger than field limit" in reason:
        return (
            f"a cell of this row is longer than {MAX_CELL:,} characters; an opening double "
            "quote without its closing one makes the rest of the file one cell: "
            f"{_EXPORT_AGAIN}"
        )
    if "unexpected end of data" in reason:
        return (
            "a double quote opened in this row is never closed, so the file ends inside a "
            f"cell; {_EXPORT_AGAIN}"
        )
    return (
        f"this row is not valid CSV ({reason}): a double quote inside a quoted cell is "
        f'written twice (""); {_EXPORT_AGAIN}'
    )


def _line_count(raw: str) -> int:
    # Lines end in \r\n, \n or \r, the way io.StringIO(newline="") splits them.
    return raw.count("\n") + raw.count("\r") - raw.count("\r\n")


def _columns(name: str, header: list[str]) -> dict[str, int]:
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        separator = "semicolons" if ";" in header[0] else "tabs"
        raise _error(
            name,
            f"separates its columns with {separator}, not commas; Design Studio exports "
            "comma-separated values: export the flow again, or save it as 'CSV UTF-8 (comma "
            "delimited)'",
            1,
        )
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip()
        if key in columns and key in COLUMNS:
            raise _error(name, f"has the column {key!r} twice; {_EXPORT_AGAIN}", 1)
        columns.setdefault(key, index)
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        shown = ", ".join(repr(column) for column in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise _error(
            name,
            f"is not a Design Studio export: its header has no {shown}{more} column"
            f"{'s' * (len(missing) > 1)}; a flow has the {len(COLUMNS)} columns from "
            f"'{COLUMNS[0]}' to '{COLUMNS[-1]}': {_EXPORT_AGAIN}",
            1,
        )
    return {column: columns[column] for column in COLUMNS}


def _newline(header_text: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if header_text.endswith(ending):
            return ending
    return "\n"


def _error(name: str, message: str, line: int = 0, column: int = 1) -> SpecError:
    location = Location(name, line, column if line else 0)
    return SpecError([Problem(location, Level.ERROR, message)])
