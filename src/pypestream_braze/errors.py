"""Problems found in user input, each with a level and a place, reported all at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# Unicode's bidirectional embeddings, overrides, isolates and marks: in a message, a docstring
# or a document they can make text display in another order than it is stored.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# What a terminal acts on rather than shows: C0 and C1 controls (a line break too: every
# message is one line), and the bidi controls.
_UNPRINTABLE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """text as one line a terminal shows as written: every control character escaped.

    Anything printed that comes from a file (a path, a value, a recorded warning) goes through
    this, so a file cannot clear the screen, move the cursor or fake a line of output.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(found: re.Match) -> str:
    char = found.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file, 1-based like every editor and compiler shows it."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    location: Location
    level: Level
    message: str

    def __str__(self) -> str:
        return printable(f"{self.location}: {self.level.value}: {self.message}")


def plural(count: int, noun: str) -> str:
    """'1 node', '3 nodes': counts in messages."""
    return f"{count} {noun}{'s' * (count != 1)}"


class PypestreamBrazeError(Exception):
    """Base of every error this package raises on purpose; the CLI turns it into a message.

    path: the file or folder the error is about, printed first (`PATH: error: message`).
    """

    exit_code = 2
    # Whether the message itself says what became of the files (a write put back, say), so
    # that the command does not add "nothing was written" to it.
    tells_what_was_written = False

    def __init__(self, message: str = "", path: str | Path | None = None):
        super().__init__(message)
        self.path = path


class SpecError(PypestreamBrazeError):
    """A mapping spec has errors; nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.location, p.level != Level.ERROR))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]


class UsageError(PypestreamBrazeError):
    """The command was asked something it cannot do (an existing folder, a missing file)."""
