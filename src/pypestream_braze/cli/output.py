"""How every command speaks: results on stdout, problems on stderr, one form for each line.

    PATH[:LINE:COL]: level: message

PATH is the file or folder the line is about; a message about no file in particular names the
program instead (as argparse does), so no line starts with an empty name. A reader that closes
stdout early (`regen --diff | head -3`) ends the output, not the work: the command finishes and
exits with its true outcome, without a word about the pipe.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import plural, printable

__all__ = [
    "FORMATS",
    "PROGRAM",
    "PipeSafeStdout",
    "display",
    "located",
    "plural",
    "print_problems",
    "report",
    "say",
]

PROGRAM = "pypestream-braze"
# The forms a command's outcomes can take (--output-format, and output-format in
# pyproject.toml): formats.py prints them, config.py checks a configured one against them.
FORMATS = ("text", "json", "github")


def say(line: str = "", raw: bool = False) -> None:
    """A result line, on stdout, control characters escaped; raw: as it is (a diff)."""
    print(line if raw else printable(line))


def report(path: str | Path | None, level: str, message: str) -> None:
    """A problem, or a note about one, on stderr."""
    print(located(path, level, message), file=sys.stderr)


def located(path: str | Path | None, level: str, message: str) -> str:
    return printable(f"{display(path)}: {level}: {message}")


def display(path: str | Path | None) -> str:
    """A path as every line shows it: relative to the current folder when it is below it (as
    the user most likely typed it), else as it is; no path at all is the program."""
    text = str(path) if path is not None else ""
    if not text:
        return PROGRAM
    if not os.path.isabs(text):
        return text
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive, on Windows
        return text
    return text if relative == ".." or relative.startswith(".." + os.sep) else relative


def print_problems(problems) -> None:
    for problem in problems:
        where = problem.location
        place = (
            f"{display(where.file)}:{where.line}:{where.column}"
            if where.line
            else display(where.file)
        )
        print(printable(f"{place}: {problem.level.value}: {problem.message}"), file=sys.stderr)


class PipeSafeStdout:
    """stdout that goes quiet, instead of raising, once its reader has gone away."""

    def __init__(self, stream):
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if self.closed_by_reader:
            return len(text)
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._quiet()
            return len(text)

    def flush(self) -> None:
        if self.closed_by_reader:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._quiet()

    def _quiet(self) -> None:
        # Python flushes stdout once more at exit; pointing the descriptor at devnull keeps
        # that last flush from printing "Exception ignored ... BrokenPipeError".
        self.closed_by_reader = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)
