"""A solution's generation state, kept in `.pypestream-braze/` inside the solution.

    state.json   what the last generation made: see State
    baseline/    the last generated text of every file: the common ancestor of a 3-way merge
    transaction/ only while files are being written (transaction.py)

state.json is input like any other: it is read through the solution boundary and validated
against this schema before anything uses it, and anything else is an error naming the file
(with line:column for broken JSON) and what to do. Every key but the optional ones is required;
no other key is allowed (a new key means a new format number):

    format              1; a higher number was written by a newer pypestream-braze
    generator_version   text
    generator_sha256    (optional) fingerprint.py: the generator's code and what it renders with
    spec_sha256         64 lower-case hex digits: sha256 of the spec text
    files               {relative path: sha256 of its generated text}
    orphans             (optional) [paths of files that are kept but no longer generated]
    node_numbers        (optional) {node name: the number the generator assigned it}
    spec_warnings       (optional) [{line, column, message}]: the spec's warnings, for a regen
                        that has nothing to do and so does not read the spec
    conventions_sha256  (optional) 64 hex digits: the team conventions it was generated under

The state is always written last, so an interrupted write leaves the previous state in force.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from ..errors import PypestreamBrazeError
from .boundary import Folder, path_problem

MAPPING = "mapping.yaml"  # a solution's spec, at its root
STATE_DIR = ".pypestream-braze"
STATE_FILE = "state.json"
BASELINE_DIR = "baseline"
STATE_PATH = f"{STATE_DIR}/{STATE_FILE}"
FORMAT = 1


def is_solution(path: Path) -> bool:
    """A folder the generator made: it holds its records or its mapping.yaml."""
    return path.is_dir() and ((path / STATE_DIR).is_dir() or (path / MAPPING).is_file())


MAX_STATE_BYTES = 64 * 1024 * 1024
MAX_NODE_NUMBER = 2**32 - 1

_SHA256 = re.compile(r"[0-9a-f]{64}")
_REQUIRED = ("format", "generator_version", "spec_sha256", "files")
_OPTIONAL = ("generator_sha256", "orphans", "node_numbers", "spec_warnings", "conventions_sha256")


class StateError(PypestreamBrazeError):
    """state.json is not a state this version can use."""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SpecWarning:
    """A warning about the spec, where it is in the spec text."""

    line: int
    column: int
    message: str


def spec_warnings(problems) -> list[SpecWarning]:
    """Where the spec's warnings are, to repeat them without reading the spec again."""
    return [
        SpecWarning(p.location.line, p.location.column, p.message)
        for p in problems
        if p.level == "warning"
    ]


@dataclass
class State:
    generator_version: str
    spec_sha256: str
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of generated text
    node_numbers: dict[str, int] = field(default_factory=dict)  # node name -> assigned number
    generator_sha256: str = ""
    orphans: list[str] = field(default_factory=list)  # in files, no longer generated
    spec_warnings: list[SpecWarning] = field(default_factory=list)
    conventions_sha256: str | None = None  # the team conventions' digest, if any

    def to_json(self) -> str:
        data: dict = {
            "format": FORMAT,
            "generator_version": self.generator_version,
        }
        if self.generator_sha256:
            data["generator_sha256"] = self.generator_sha256
        data["spec_sha256"] = self.spec_sha256
        data["files"] = dict(sorted(self.files.items()))
        if self.orphans:
            data["orphans"] = sorted(self.orphans)
        if self.node_numbers:
            data["node_numbers"] = dict(sorted(self.node_numbers.items()))
        if self.spec_warnings:
            data["spec_warnings"] = [
                {"line": w.line, "column": w.column, "message": w.message}
                for w in self.spec_warnings
            ]
        if self.conventions_sha256:
            data["conventions_sha256"] = self.conventions_sha256
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


def read(root: Path | Folder) -> State | None:
    """The solution's validated state, None when it has none; StateError when it is not valid."""
    return read_with_text(root)[0]


def read_with_text(root: Path | Folder) -> tuple[State | None, str | None]:
    """The state and the exact text of state.json (a regen rewrites one not in canonical form)."""
    folder = root if isinstance(root, Folder) else Folder(root)
    location = folder.root / STATE_PATH
    info = folder.file_info(STATE_PATH)
    if info is None:
        return None, None
    if info.st_size > MAX_STATE_BYTES:
        raise _error(location, f"is larger than {MAX_STATE_BYTES // 2**20} MB")
    data = folder.read(STATE_PATH, MAX_STATE_BYTES) or b""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _error(location, "is not UTF-8 text") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        where = f"{location}:{err.lineno}:{err.colno}"
        raise _error(where, f"is not valid JSON ({err.msg})") from None
    except (ValueError, RecursionError) as err:
        raise _error(location, f"is not valid JSON ({err})") from None
    return _validated(location, value), text


def _validated(location: Path, data: object) -> State:
    if not isinstance(data, dict):
        raise _error(location, "must hold a JSON object")
    form = data.get("format")
    if _is_int(form) and form > FORMAT:
        raise StateError(
            f"made by a newer pypestream-braze (state format {form}; this version "
            f"reads format {FORMAT}): upgrade pypestream-braze to work on this solution",
            path=location,
        )
    if form != FORMAT or not _is_int(form):
        raise _error(location, f"'format' must be {FORMAT}, not {json.dumps(form)}")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise _error(location, f"lacks {', '.join(repr(k) for k in missing)}")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise _error(location, f"has unknown keys {', '.join(repr(k) for k in unknown)}")
    version = data["generator_version"]
    if not isinstance(version, str) or not 0 < len(version) <= 200:
        raise _error(location, "'generator_version' must be a short text")
    generator = data.get("generator_sha256", "")
    if generator != "" and not _is_sha(generator):
        raise _error(location, "'generator_sha256' must be 64 lower-case hex digits")
    if not _is_sha(data["spec_sha256"]):
        raise _error(location, "'spec_sha256' must be 64 lower-case hex digits")
    conventions = data.get("conventions_sha256")
    if conventions is not None and not _is_sha(conventions):
        raise _error(location, "'conventions_sha256' must be 64 lower-case hex digits")
    files = data["files"]
    if not isinstance(files, dict):
        raise _error(location, "'files' must be an object of path: sha256")
    for path, sha in files.items():
        _check_path(location, "files", path)
        if not _is_sha(sha):
            raise _error(location, f"'files' entry {path!r} must be 64 lower-case hex digits")
    orphans = data.get("orphans", [])
    if not isinstance(orphans, list):
        raise _error(location, "'orphans' must be a list of paths")
    for path in orphans:
        _check_path(location, "orphans", path)
        if path not in files:
            raise _error(location, f"'orphans' entry {path!r} is not in 'files'")
    numbers = data.get("node_numbers", {})
    if not isinstance(numbers, dict):
        raise _error(location, "'node_numbers' must be an object of node name: number")
    for name, number in numbers.items():
        if not name or len(name) > 200:
            raise _error(location, f"'node_numbers' has a bad node name {name!r}")
        if not _is_int(number) or not 0 < number <= MAX_NODE_NUMBER:
            allowed = f"a whole number 1..{MAX_NODE_NUMBER}"
            raise _error(location, f"'node_numbers' entry {name!r} must be {allowed}")
    return State(
        generator_version=version,
        spec_sha256=data["spec_sha256"],
        files=dict(files),
        node_numbers=dict(numbers),
        generator_sha256=generator,
        orphans=list(orphans),
        spec_warnings=_warnings(location, data.get("spec_warnings", [])),
        conventions_sha256=data.get("conventions_sha256"),
    )


def _warnings(location: Path, value: object) -> list[SpecWarning]:
    if not isinstance(value, list):
        raise _error(location, "'spec_warnings' must be a list")
    warnings = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) != {"line", "column", "message"}
            or not all(_is_int(item[k]) and 0 <= item[k] < 2**31 for k in ("line", "column"))
            or not isinstance(item["message"], str)
        ):
            raise _error(location, "'spec_warnings' entries must be {line, column, message}")
        warnings.append(SpecWarning(item["line"], item["column"], item["message"]))
    return warnings


def _check_path(location: Path, key: str, path: str) -> None:
    problem = path_problem(path)
    if problem is None and (path == STATE_DIR or path.startswith(STATE_DIR + "/")):
        problem = f"is inside {STATE_DIR}/"
    if problem is not None:
        raise _error(location, f"'{key}' entry {path!r} {problem}")


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_sha(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"the key {key!r} appears twice")
        data[key] = value
    return data


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _error(location: str | Path, problem: str) -> StateError:
    return StateError(
        f"the generation state {problem}. It is written by pypestream-braze "
        "and not meant to be edited: restore it from version control, or delete the "
        f"{STATE_DIR} folder and run 'pypestream-braze regen' (files you edited then show as "
        "conflicts to review)",
        path=location,
    )


def baseline(root: Path | Folder, relative: str) -> str | None:
    """The last generated text of a solution file, None when there is none (or not UTF-8)."""
    folder = root if isinstance(root, Folder) else Folder(root)
    data = folder.read(baseline_path(relative))
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def baseline_path(relative: str) -> str:
    """Where the last generated text of a solution file is kept, relative to the solution."""
    return f"{STATE_DIR}/{BASELINE_DIR}/{relative}"


def files_for(record: State, generated: dict[str, str]) -> dict[str, str]:
    """Everything a fresh state consists of: the baselines, then state.json last."""
    files = {baseline_path(relative): text for relative, text in sorted(generated.items())}
    files[STATE_PATH] = record.to_json()
    return files
