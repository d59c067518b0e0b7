"""The flow Design Studio exported, with a solution's rows merged in: what `bundle --flow` writes.

    merge(flow, rows) -> Merged       rows: the solution's rows, column -> cell as written

The export's own rows stay exactly as they were: the same text, in the same order, under the
same header, with the file's byte order mark and line endings. A row of the solution that is
the same node as a row of the export (flow.same_node: the same number and Command) takes that
row's place; any other is added at the end, in the solution's order. So merging into the
merged file again changes nothing: after an upload and a re-export, each of the solution's rows
is found and replaced, never added twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..mapping.flow import Flow, node_number, same_node


@dataclass(frozen=True)
class Change:
    node: int | None
    name: str  # the Command, or the Node Name of a row without one
    line: int | None = None  # the export's line of a replaced row

    def as_json(self) -> dict:
        shown = {"node": self.node, "name": self.name}
        return shown if self.line is None else {**shown, "export_line": self.line}


@dataclass(frozen=True)
class Merged:
    text: str
    added: tuple[Change, ...]
    replaced: tuple[Change, ...]


def merge(flow: Flow, rows: Iterable[Mapping[str, str]]) -> Merged:
    pieces = [row.text for row in flow.rows]
    gaps = [row.gap for row in flow.rows]
    position = {id(row): index for index, row in enumerate(flow.rows)}
    added: list[Change] = []
    replaced: list[Change] = []
    appended: list[str] = []
    for generated in rows:
        text = _row_text(flow, generated)
        change = Change(
            node_number(generated.get("Node Number", "")),
            generated.get("Command", "").strip() or generated.get("Node Name", "").strip(),
        )
        found = [row for row in flow.at(change.node) if same_node(flow.as_dict(row), generated)]
        if not found:
            appended.append(text)
            added.append(change)
        else:
            index = position[id(found[0])]
            pieces[index] = text
            replaced.append(Change(change.node, change.name, flow.rows[index].line))
    body = "".join(piece + gap for piece, gap in zip(pieces, gaps, strict=True))
    before = flow.header_text + body
    if appended and not before.endswith(("\n", "\r")):  # the export's last line had no ending
        before += flow.newline
    text = ("\ufeff" if flow.bom else "") + before + "".join(appended)
    return Merged(text, tuple(added), tuple(replaced))


def _row_text(flow: Flow, row: Mapping[str, str]) -> str:
    """The row as a line of the export: its cells under the export's header, in its order."""
    buffer = io.StringIO()
    # The csv module quotes a cell holding a character of the line terminator only: written
    # with \r\n, a cell with either line break is quoted whatever the export's own ending.
    csv.writer(buffer, lineterminator="\r\n").writerow(
        [row.get(title.strip(), "") for title in flow.header]
    )
    return buffer.getvalue()[: -len("\r\n")] + flow.newline
