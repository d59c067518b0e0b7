"""Cut a module where black lays its parts out independently, and put the formatted parts back.

black formats every top-level statement of a module, and every member of a top-level class, on
its own: only the blank lines between two of them depend on both. `split` cuts a module into
pieces that black can format alone, wherever the blank lines black puts between two pieces
follow from the rules below (read off black's EmptyLineTracker), and `join` puts the formatted
pieces back together. Anywhere a rule does not clearly apply (a comment or a docstring at the
cut, a stub `...` body, form feeds, `# fmt:` directives, an encoding declaration) the
statements stay in one piece, so the joined result is always what black makes of the whole
module; tests/render/test_format.py checks that on every golden module and on generated ones.

The rules, for two neighbours A and B separated only by blank lines, in the one grammar black
uses for MODE (format.py):

- B is a def, class or decorator: two blank lines at the top level, one in a class, unless
  A ends in a stub (`...`), after which black may put none.
- A is a def or class: two blank lines at the top level, one in a class.
- A is a simple statement (an assignment, a call, an import...): one blank line after an
  import that is followed by something else; otherwise the user's blank lines, at most two
  at the top level and one in a class.
- A or B is a string on its own (a docstring, or what would look like one alone): no cut.

A class member is formatted inside a stand-in class (MEMBER_HEADER), so that it keeps its depth
and the line length it has in the module, and a class header with a stand-in body (STUB_BODY).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from itertools import pairwise

MEMBER_HEADER = "class _:\n"
STUB_BODY = "pass\n"

# Text that black treats specially across statements, or whose lines ast counts differently.
_WHOLE_MODULE_ONLY = re.compile(r"[\r\f\v\x1c-\x1e\x85\u2028\u2029\ufeff]|fmt:|yapf:|coding[:=]")

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)
_SIMPLE = (
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Expr,
    ast.Import,
    ast.ImportFrom,
    ast.Pass,
    ast.Delete,
    ast.Assert,
    ast.Global,
    ast.Nonlocal,
    ast.Raise,
    ast.Return,
    ast.Break,
    ast.Continue,
)


@dataclass(frozen=True)
class Piece:
    """A module black can format on its own, and the blank lines that follow it."""

    source: str
    blank_lines: int  # after this piece in the joined module (0 for the last)
    member: bool = False  # a class member: source starts with MEMBER_HEADER, dropped by join
    stub: bool = False  # a class header: source ends with an indented STUB_BODY, dropped by join


def split(source: str) -> list[Piece]:
    """The pieces of source; a single piece when it cannot be cut safely."""
    whole = [Piece(source, 0)]
    if _WHOLE_MODULE_ONLY.search(source):
        return whole
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return whole  # black reports it, formatting the module whole
    lines = source.split("\n")
    pieces: list[Piece] = []
    for statements, first, last, blank_lines in _runs(tree.body, lines, 1, len(lines), depth=0):
        if len(statements) == 1 and isinstance(statements[0], ast.ClassDef):
            pieces.extend(_class_pieces(statements[0], lines, first, last, blank_lines))
        else:
            pieces.append(Piece(_text(lines, first, last), blank_lines))
    return pieces or whole


def join(pieces: list[Piece], formatted: list[str]) -> str:
    """The module from its pieces, each as black formatted it (in the same order)."""
    out = []
    for piece, text in zip(pieces, formatted, strict=True):
        if piece.member:
            if not text.startswith(MEMBER_HEADER):
                raise ValueError("a class member lost its stand-in class")
            text = text[len(MEMBER_HEADER) :].lstrip("\n")
        if piece.stub:
            if not text.endswith("\n    " + STUB_BODY):
                raise ValueError("a class header lost its stand-in body")
            text = text[: -len("    " + STUB_BODY)]
        if piece.blank_lines:
            text = text.rstrip("\n") + "\n" * (1 + piece.blank_lines)
        out.append(text)
    return "".join(out)


def _runs(statements: list[ast.stmt], lines: list[str], first: int, last: int, depth: int):
    """(statements, first line, last line, blank lines after) of each run kept together.

    Lines are 1-based and inclusive; the runs cover first..last without a gap.
    """
    run: list[ast.stmt] = []
    for a, b in pairwise(statements):
        run.append(a)
        blank_lines = _blank_lines_between(a, b, lines, depth)
        if blank_lines is not None:
            yield run, first, _first_line(b) - 1, blank_lines
            run, first = [], _first_line(b)
    if statements:
        yield [*run, statements[-1]], first, last, 0


def _class_pieces(cls: ast.ClassDef, lines: list[str], first: int, last: int, blank_lines: int):
    """The class header, then each run of members that can stand alone."""
    header_end = _first_line(cls.body[0]) - 1
    if header_end < cls.lineno:  # `class A: x = 1` on one line
        yield Piece(_text(lines, first, last), blank_lines)
        return
    runs = list(_runs(cls.body, lines, header_end + 1, last, depth=1))
    if _header_stands_alone(cls, lines, header_end):
        # The header alone, with a `pass` body that join() takes off again; black puts no blank
        # line between it and a first member that follows it directly.
        indent = lines[header_end][: len(lines[header_end]) - len(lines[header_end].lstrip())]
        yield Piece(_text(lines, first, header_end) + indent + STUB_BODY, 0, stub=True)
    else:  # the header and the first run together
        _, _, end, after = runs.pop(0)
        yield Piece(_text(lines, first, end), blank_lines if not runs else after)
    for index, (_, start, end, after) in enumerate(runs):
        after = blank_lines if index == len(runs) - 1 else after
        yield Piece(MEMBER_HEADER + _text(lines, start, end), after, member=True)


def _header_stands_alone(cls: ast.ClassDef, lines: list[str], header_end: int) -> bool:
    """The first member starts on the line after the header's colon and is no docstring."""
    last_header_line = lines[header_end - 1].strip()
    first_member = cls.body[0]
    return (
        bool(last_header_line)
        and not last_header_line.startswith("#")
        and _starts_its_line(first_member, lines)
        and not _is_string(first_member)
    )


def _blank_lines_between(a: ast.stmt, b: ast.stmt, lines: list[str], depth: int) -> int | None:
    """The blank lines black puts between neighbours a and b, or None when a cut is unsafe."""
    first_of_b = _first_line(b)
    end_of_a = a.end_lineno or a.lineno  # always set by ast.parse
    between = lines[end_of_a : first_of_b - 1]
    if first_of_b <= end_of_a or any(line.strip() for line in between):
        return None  # on one line, or a comment between them: black may move blank lines
    if not _starts_its_line(b, lines) or _is_string(a) or _is_string(b):
        return None
    most = 2 if depth == 0 else 1
    if isinstance(b, _DEFS):
        return None if "..." in lines[end_of_a - 1] else most
    if isinstance(a, _DEFS):
        return most
    if isinstance(a, _SIMPLE):
        if isinstance(a, _IMPORTS) and not isinstance(b, _IMPORTS):
            return 1
        return min(len(between), most)
    return None


def _first_line(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", None) or []
    return min([statement.lineno, *(d.lineno for d in decorators)])


def _starts_its_line(statement: ast.stmt, lines: list[str]) -> bool:
    line = lines[_first_line(statement) - 1]
    if getattr(statement, "decorator_list", None):
        return line.lstrip().startswith("@")
    return not line[: statement.col_offset].strip()


def _is_string(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(
        statement.value, ast.Constant | ast.JoinedStr
    )


def _text(lines: list[str], first: int, last: int) -> str:
    """Lines first..last (1-based, inclusive) with their line ends."""
    text = "\n".join(lines[first - 1 : last])
    return text + "\n" if last < len(lines) else text
