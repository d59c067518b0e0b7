"""A solution's generation state, kept in `.pypestream-braze/` inside the solution.

    state.json   generator version, spec hash, the hash of every generated file and the node
                 numbers the generator assigned (nodes whose spec gives no routing.node), and
                 the hash of the team conventions it was generated under, if any
    baseline/    the last generated text of every file: the common ancestor of a 3-way merge

The state is always written last, so an interrupted write leaves the previous state in force.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = ".pypestream-braze"
STATE_FILE = "state.json"
BASELINE_DIR = "baseline"
FORMAT = 1


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class State:
    generator_version: str
    spec_sha256: str
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of generated text
    node_numbers: dict[str, int] = field(default_factory=dict)  # node name -> assigned number
    conventions_sha256: str | None = None  # mapping/conventions.py digest(); absent: none

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "generator_version": self.generator_version,
            "spec_sha256": self.spec_sha256,
            "files": dict(sorted(self.files.items())),
        }
        if self.node_numbers:
            data["node_numbers"] = dict(sorted(self.node_numbers.items()))
        if self.conventions_sha256:
            data["conventions_sha256"] = self.conventions_sha256
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


def read(root: Path) -> State | None:
    path = root / STATE_DIR / STATE_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    numbers = data.get("node_numbers") or {}
    return State(
        data["generator_version"],
        data["spec_sha256"],
        dict(data["files"]),
        {name: n for name, n in numbers.items() if isinstance(n, int) and not isinstance(n, bool)},
        conventions if isinstance(conventions := data.get("conventions_sha256"), str) else None,
    )


def baseline(root: Path, relative: str) -> str | None:
    path = root / STATE_DIR / BASELINE_DIR / relative
    return path.read_text(encoding="utf-8") if path.exists() else None


def baseline_path(relative: str) -> str:
    """Where the last generated text of a solution file is kept, relative to the solution."""
    return f"{STATE_DIR}/{BASELINE_DIR}/{relative}"


STATE_PATH = f"{STATE_DIR}/{STATE_FILE}"


def files_for(record: State, generated: dict[str, str]) -> dict[str, str]:
    """Everything a fresh state consists of: the baselines, then state.json last."""
    files = {baseline_path(relative): text for relative, text in sorted(generated.items())}
    files[STATE_PATH] = record.to_json()
    return files
