"""Reading a spec under the team conventions it names: what the commands call.

    load_spec(path, text=None, assigned_numbers=None, conventions=None) -> Loaded
    conventions_sha256(path, text=None, conventions=None) -> str | None, cheaply
    relocate(text, path, conventions_file, target) -> the text, naming the file from target

A spec names its conventions with a top-level `conventions: path/to/file.yaml`, relative to the
spec's folder; `conventions` (a command's --conventions FILE) takes precedence over it. The spec
inherits the conventions' defaults where it says nothing, and is held to their naming rules and
policy (mapping/policy.py). A spec that names no conventions is read exactly as before.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .. import reading
from ..errors import Level, Location, Problem, SpecError
from ..model import Solution
from . import conventions as conventions_file
from . import policy, source
from .conventions import Conventions
from .reader import load_solution
from .report import describe, key_text
from .source import MappingNode, ScalarNode

KEY = "conventions"


@dataclass(frozen=True)
class Loaded:
    solution: Solution
    warnings: list[Problem]
    conventions: Conventions | None


def load_spec(
    path: str | Path,
    text: str | None = None,
    assigned_numbers=None,
    conventions: str | Path | None = None,
) -> Loaded:
    """Read a spec and the conventions it names; SpecError with every problem of both."""
    if text is None:
        text = source.read(path)
    if conventions is None and KEY not in text:  # no conventions: the reader alone, as ever
        return Loaded(*load_solution(path, text, assigned_numbers), None)
    src = source.load(path, text)
    team = find_conventions(src, conventions)
    if team is None:
        return Loaded(*load_solution(path, text, assigned_numbers, composed=src), None)
    top = src.root if isinstance(src.root, MappingNode) else MappingNode("", [])
    names = {key: _scalar(_child(top, key)) for key in ("solution", "customer")}
    problems = list(team.warnings)
    solution: Solution | None = None
    try:
        inherited = team.inherited(names["solution"], names["customer"])
        solution, warnings = load_solution(path, text, assigned_numbers, inherited, src)
        problems.extend(warnings)
    except SpecError as err:
        problems.extend(err.problems)
    problems.extend(policy.enforce(team, src, solution))
    if solution is None or any(p.level is Level.ERROR for p in problems):
        raise SpecError(problems)
    return Loaded(solution, sorted(problems, key=lambda p: p.location), team)


def conventions_sha256(
    path: str | Path, text: str | None = None, conventions: str | Path | None = None
) -> str | None:
    """The conventions hash a solution generated from this spec records (None: no conventions).

    Reads the spec's `conventions` key and the conventions, nothing else: with the spec's and
    the files' hashes, it tells from hashes alone that a regeneration has nothing to do.
    """
    if text is None:
        text = source.read(path)
    if conventions is None and KEY not in text:
        return None
    team = find_conventions(source.load(path, text), conventions)
    return team.sha256 if team else None


def find_conventions(src: source.Source, override: str | Path | None = None) -> Conventions | None:
    """The conventions a spec is read under: override, else the file its key names, else None."""
    if override is not None:  # named on the command line: only the file itself is checked
        file = Path(override)
        return conventions_file.read(file.parent.resolve() / file.name, str(override))
    entry = _entry(src)
    if entry is None:
        return None
    value = entry[1]
    text = _scalar(value)
    if text is None or not text.strip() or "\0" in text:
        raise SpecError(
            [
                src.problem(
                    value,
                    f"{KEY} must be the path of the team's conventions file, relative to this "
                    f"spec, not {describe(value)}",
                )
            ]
        )
    text = text.strip()
    # No link below the folder where the path leaves the spec's own, the file included.
    root, relative = reading.locate(Path(src.path).parent, text)
    file = root / relative
    shown_as = os.path.normpath(os.path.join(os.path.dirname(src.path), text))
    try:
        return conventions_file.read(file, shown_as, within=root)
    except SpecError as err:
        # A file that cannot be read at all is the spec's mistake, reported at its key; a file
        # with mistakes inside keeps its own places.
        unlocated = [p for p in err.problems if not p.location.line and p.location.file == shown_as]
        if not unlocated:
            raise
        problems = [
            src.problem(value, f"{KEY}: {text!r} {_why(p.message)} (looked for {file})")
            for p in unlocated
        ]
        others = [p for p in err.problems if p not in unlocated]
        raise SpecError(problems + others) from None


def relocate(text: str, path: str | Path, file: Path, target: Path) -> str:
    """The spec text with `conventions:` naming file relative to target, the folder it goes to.

    A solution's mapping.yaml is a spec in the solution's folder: its `conventions` must be
    relative to that folder, wherever the original spec was. The text is unchanged when it
    already names the file from there; otherwise only that value is replaced, or one line
    inserted before the first key, so comments and layout survive.
    """
    try:
        value = Path(os.path.relpath(file, target)).as_posix()
    except ValueError:  # another drive: only an absolute path can name it
        value = file.as_posix()
    src = source.load(path, text)
    entry = _entry(src)
    if entry is not None and isinstance(entry[1], ScalarNode):
        current = entry[1].value.strip()
        if current and (target / current).resolve() == file.resolve():
            return text
        start, end = entry[1].start_mark.index, entry[1].end_mark.index
        return text[:start] + _yaml_text(value) + text[end:]
    top = src.root
    first = top.value[0][0] if isinstance(top, MappingNode) and top.value else None
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1 if first is not None else 0
    if (
        first is None
        or not isinstance(top, MappingNode)
        or top.flow_style
        or text[line_start : first.start_mark.index].strip()
    ):
        location = Location(str(path))
        message = f"add '{KEY}: {_yaml_text(value)}' at the top level of the spec yourself"
        raise SpecError([Problem(location, Level.ERROR, message)])
    indent = " " * first.start_mark.column
    line = f"{indent}{KEY}: {_yaml_text(value)}\n"
    return text[:line_start] + line + text[line_start:]


def _why(message: str) -> str:
    return "was not found" if message == "no such file" else message


def _entry(src: source.Source):
    if isinstance(src.root, MappingNode):
        for key, value in src.root.value:
            if key_text(key) == KEY:
                return key, value
    return None


def _child(node: MappingNode, key: str):
    for k, v in node.value:
        if key_text(k) == key:
            return v
    return None


def _scalar(node) -> str | None:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        return node.value
    return None


def _yaml_text(value: str) -> str:
    """A path as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if re.fullmatch(r"[\w.][\w./-]*", value) and value not in ("null", "true", "false"):
        return value
    return json.dumps(value, ensure_ascii=False)
