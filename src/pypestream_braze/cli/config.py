"""`[tool.pypestream-braze]` in the nearest pyproject.toml: what a team would repeat each time.

    discover(start) -> Configuration | None     the table above start, read and checked
    apply(args) -> Configuration | None         the options the command line left unset, filled

As black, ruff and mypy do, the search starts at the paths a command is given (their common
folder), goes up one folder at a time, and takes the first pyproject.toml that holds the table
(one without it, such as a generated solution's own, is passed over); it stops after a folder
holding `.git`, the repository's root, or at the file system's root. It is read once per
command, here, and the engine gets plain values. An option given on the command line wins.

    [tool.pypestream-braze]
    conventions = "conventions/team.yaml"   # relative to this pyproject.toml's folder
    strict = true                           # check: warnings fail (--no-strict undoes it)
    output-format = "github"                # check and regen: text, json or github
    prune = true                            # regen: delete unedited files of removed nodes

Like every input, the file is read without following a symbolic link and without opening a
FIFO or a device; a mistake in it is an error at its line, and the command does nothing.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Level, Location, Problem, SpecError
from ..reading import LINK, UnsafePathError, read_file
from .output import FORMATS, display, report

FILE = "pyproject.toml"
TABLE = "pypestream-braze"
MAX_BYTES = 1024 * 1024

# Each option: the commands it applies to, and the type of its value.
OPTIONS: dict[str, tuple[frozenset[str], type]] = {
    "conventions": (frozenset({"new", "check", "regen"}), str),
    "strict": (frozenset({"check"}), bool),
    "output-format": (frozenset({"check", "regen"}), str),
    "prune": (frozenset({"regen"}), bool),
}
# Where each command's paths are, to start the search from.
_STARTS = {"new": "output_dir", "check": "paths", "regen": "solutions"}


@dataclass(frozen=True)
class Configuration:
    path: Path  # the pyproject.toml read
    values: dict[str, object] = field(default_factory=dict)  # option -> value, as written

    @property
    def conventions(self) -> Path | None:
        written = self.values.get("conventions")
        return self.path.parent / str(written) if written is not None else None

    def describe(self) -> str:
        shown = ", ".join(f"{key} = {_toml(value)}" for key, value in self.values.items())
        return f"configuration [tool.{TABLE}]: {shown or 'no options set'}"


def add_argument(command) -> None:
    command.add_argument(
        "--no-config",
        action="store_true",
        help=f"read no [tool.{TABLE}] from a {FILE} (by default, the nearest above the paths)",
    )


def apply(args) -> Configuration | None:
    """The configuration for args' command, its options set where args left them unset (None);
    a note on stderr names it (json carries it in the document instead)."""
    attribute = _STARTS.get(args.command)
    if attribute is None or getattr(args, "no_config", False):
        return None
    given = getattr(args, attribute)
    paths = given if isinstance(given, list) else [given]
    found = discover(_common_folder(paths))
    if found is not None:
        for key, value in found.values.items():
            commands, _ = OPTIONS[key]
            name = key.replace("-", "_")
            if args.command in commands and getattr(args, name, None) is None:
                setattr(args, name, found.conventions if key == "conventions" else value)
    if found is not None and getattr(args, "output_format", None) != "json":
        report(found.path, "note", found.describe())
    return found


def discover(start: Path) -> Configuration | None:
    """The nearest [tool.pypestream-braze] at or above the folder start."""
    for folder in (start, *start.parents):
        candidate = folder / FILE
        if os.path.lexists(candidate):
            data, text = _read(candidate)
            table = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
            if table is not None:
                return Configuration(candidate, _checked(candidate, text, table))
        if os.path.lexists(folder / ".git"):  # the repository's root: nothing above is its own
            return None
    return None


def _common_folder(paths: Iterable[Path]) -> Path:
    folders = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        folders.append(absolute if absolute.is_dir() else absolute.parent)
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def _read(path: Path) -> tuple[dict, str]:
    """The parsed file and its text; SpecError naming it (and the place) when it is neither."""
    shown = display(path)
    try:
        data = read_file(path, MAX_BYTES)
    except UnsafePathError as err:
        if err.problem == LINK:
            message = "is a symbolic link; configuration is not read through links"
            raise _error(shown, message) from None
        if err.problem.startswith("is larger than"):
            raise _error(shown, f"is larger than {MAX_BYTES // 2**20} MiB") from None
        raise _error(shown, "is not a regular file") from None
    except OSError as err:
        raise _error(shown, err.strerror or str(err)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _error(shown, "is not UTF-8 text") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as err:
        place = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        line, column = (int(place.group(1)), int(place.group(2))) if place else (0, 0)
        what = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(err))
        raise _error(shown, f"is not valid TOML: {what}", line, column) from None


def _checked(path: Path, text: str, table: object) -> dict[str, object]:
    """The table's options; SpecError with every mistake in it, each at its line."""
    # Imported only here: without a table, a no-op regen still loads nothing of the reader.
    from ..mapping.naming import did_you_mean, one_of

    shown = display(path)
    lines = _lines(text)
    if not isinstance(table, dict):
        line = lines.get("", 0)
        raise _error(shown, f"[tool.{TABLE}] must be a table of options", line, 1 if line else 0)
    problems = []
    for key, value in table.items():
        line = lines.get(key, lines.get("", 0))
        at = Location(shown, line, 1 if line else 0)
        if key not in OPTIONS:
            message = (
                f"unknown key {key!r} in [tool.{TABLE}]{did_you_mean(key, OPTIONS)}; "
                f"allowed: {one_of(OPTIONS)}"
            )
            problems.append(Problem(at, Level.ERROR, message))
            continue
        wrong = _wrong(path, key, value)
        if wrong:
            problems.append(Problem(at, Level.ERROR, f"{key} {wrong}"))
    if problems:
        raise SpecError(problems)
    return dict(table)


def _wrong(path: Path, key: str, value: object) -> str | None:
    """What is wrong with an option's value, or None."""
    from ..mapping.naming import one_of

    _, kind = OPTIONS[key]
    if kind is bool and not isinstance(value, bool):
        return f"must be true or false, not {_toml(value)}"
    if kind is str and not isinstance(value, str):
        return f"must be text (in quotes), not {_toml(value)}"
    if key == "output-format" and value not in FORMATS:
        return f"must be one of {one_of(FORMATS)}, not {_toml(value)}"
    if key == "conventions":
        target = path.parent / str(value)
        if not str(value).strip():
            return "must name the team's conventions file"
        if not target.is_file():
            return f"{_toml(value)} is not a file (it is read relative to this {FILE}'s folder)"
    return None


def _lines(text: str) -> dict[str, int]:
    """The line of each key of the table (and of its header, as ''), as far as a plain reading
    of the text finds them; 0 where it does not (the table written inline, say)."""
    found: dict[str, int] = {}
    inside = False
    header = re.compile(r'\s*\[\s*tool\s*\.\s*("pypestream-braze"|pypestream-braze)\s*\]')
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"\s*\[", line):
            inside = bool(header.match(line))
            if inside:
                found[""] = number
            continue
        key = re.match(r'\s*"?([A-Za-z0-9_-]+)"?\s*=', line)
        if inside and key:
            found.setdefault(key.group(1), number)
    return found


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _error(shown: str, message: str, line: int = 0, column: int = 0) -> SpecError:
    return SpecError([Problem(Location(shown, line, column), Level.ERROR, message)])
