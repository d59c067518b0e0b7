"""The runtime as a node carries it: one marker line, then the text of runtime.py exactly.

    text() -> str                           runtime.py, as every node carries it
    marker() -> str                         RUNTIME = "pypestream-braze runtime V sha256:H"
    attach(part) -> str                     a node's own part, the marker, the runtime
    split(node_text) -> Split | None        a node file cut at its marker line
    problem(node_text) -> str | None        why a node's runtime is not its marker's

The marker names the generator's version and the SHA-256 of everything below the line, so a
node whose runtime was edited is found from the node file alone; the line is also the name
under which the nodes of one runtime share one transport in a process (runtime._shared).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_RUNTIME = Path(__file__).with_name("runtime.py")
# The start of the line, as found in a node; what follows is checked by _MARKER.
MARKER_START = 'RUNTIME = "pypestream-braze runtime '
_MARKER = re.compile(
    r'RUNTIME = "pypestream-braze runtime (?P<version>[^\s"]+) sha256:(?P<sha256>[0-9a-f]{64})"'
    r"  # do not edit below this line"
)


@dataclass(frozen=True)
class Split:
    part: str  # the node's own part, up to and with the newline before the marker
    marker: str  # the marker line, without its newline
    runtime: str  # everything below it


@cache
def text() -> str:
    with open(_RUNTIME, encoding="utf-8", newline="") as file:
        return file.read()


def sha256(runtime: str) -> str:
    return hashlib.sha256(runtime.encode("utf-8")).hexdigest()


@cache
def marker() -> str:
    from . import __version__

    return f'{MARKER_START}{__version__} sha256:{sha256(text())}"  # do not edit below this line'


def attach(part: str) -> str:
    """A node file: its own part (black-formatted, ending with its class), then the runtime."""
    return part.rstrip("\n") + "\n\n\n" + marker() + "\n" + text()


def split(node_text: str) -> Split | None:
    """The node cut at its one marker line; None when it has none, or more than one."""
    starts = [m.start() for m in re.finditer("^" + re.escape(MARKER_START), node_text, re.M)]
    if len(starts) != 1:
        return None
    start = starts[0]
    end = node_text.find("\n", start)
    if end < 0:
        return Split(node_text[:start], node_text[start:], "")
    return Split(node_text[:start], node_text[start:end], node_text[end + 1 :])


def problem(node_text: str) -> str | None:
    """Why the runtime in a node file does not match its marker line; None when it does.

    Line endings are not edits: a CRLF checkout of the file matches as it was generated.
    """
    node_text = node_text.replace("\r\n", "\n")
    count = len(re.findall("^" + re.escape(MARKER_START), node_text, re.M))
    if count != 1:
        what = "no" if count == 0 else f"{count}"
        return f"has {what} runtime marker lines ({MARKER_START}...); it must have one"
    cut = split(node_text)
    assert cut is not None
    found = _MARKER.fullmatch(cut.marker)
    if found is None:
        return "its runtime marker line is not as generated"
    if sha256(cut.runtime) != found["sha256"]:
        return (
            "its runtime (below the RUNTIME line) was edited: it no longer matches the "
            "sha256 on that line"
        )
    return None
