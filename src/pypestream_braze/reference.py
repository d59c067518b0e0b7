"""The README's reference tables, rendered from the records they describe: the endpoints of the
Braze catalogue (braze/) and the value types a spec's `as` names (values.py).

    tables() -> {name: Markdown table}
    update(text) -> text with every table between its markers rendered anew

In the README each table stands between `<!-- NAME: generated ... -->` and `<!-- end NAME -->`.
`python -m pypestream_braze.reference README.md` rewrites them in place; a test fails while the
README's tables differ from the records.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import reading
from .braze import ENDPOINTS
from .values import VALUE_TYPES

COMMAND = "python -m pypestream_braze.reference README.md"
_MAX_README = 1 << 20


def tables() -> dict[str, str]:
    return {"endpoints": endpoints_table(), "value types": value_types_table()}


def endpoints_table() -> str:
    return _table(
        ("Method", "Endpoint", "What it does", "Permission", "Rate limit"),
        [
            (e.method, f"`{e.path}`", e.summary, f"`{e.permission}`", e.rate_limit)
            for e in ENDPOINTS.values()
        ],
    )


def value_types_table() -> str:
    return _table(
        ("`as`", "A node sends", "It reads"),
        [(f"`{t.name}`", t.sent_as, t.read_from) for t in VALUE_TYPES.values()],
    )


def update(text: str) -> str:
    """text with each table between its markers replaced by the table rendered now."""
    for name, table in tables().items():
        found = _marked(name).search(text)
        if found is None:
            raise ValueError(f"no '<!-- {name}: ...' and '<!-- end {name} -->' markers")
        text = text[: found.start("table")] + table + text[found.end("table") :]
    return text


def marker(name: str) -> str:
    return f"<!-- {name}: generated from the code by `{COMMAND}` -->"


def _marked(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"^<!-- {re.escape(name)}: [^\n]*-->\n(?P<table>.*?)^<!-- end {re.escape(name)} -->$",
        re.M | re.S,
    )


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [header, tuple("---" for _ in header), *rows]
    return "".join(
        "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n" for cells in lines
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        text = reading.read_file(path, _MAX_README).decode("utf-8")
    except (OSError, UnicodeDecodeError, reading.UnsafePathError) as err:
        print(f"{path}: {err}", file=sys.stderr)
        return 2
    updated = update(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"{path}: tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
