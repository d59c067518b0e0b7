"""A solution's generation state, kept in `.pypestream-braze/` inside the solution.

    state.json   generator version, spec hash, the hash of every generated file and the node
                 numbers the generator assigned (nodes whose spec gives no routing.node)
    baseline/    the last generated text of every file: the common ancestor of a 3-way merge

The state is always written last, so an interrupted write leaves the previous state in force.
"""

from __future__ import annotations

import hashlib
import json
import os
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

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "generator_version": self.generator_version,
            "spec_sha256": self.spec_sha256,
            "files": dict(sorted(self.files.items())),
        }
        if self.node_numbers:
            data["node_numbers"] = dict(sorted(self.node_numbers.items()))
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
    )


def baseline(root: Path, relative: str) -> str | None:
    path = root / STATE_DIR / BASELINE_DIR / relative
    return path.read_text(encoding="utf-8") if path.exists() else None


def write(root: Path, state: State, generated: dict[str, str]) -> None:
    """Record generated texts as baselines, then the state file itself, atomically."""
    base = root / STATE_DIR / BASELINE_DIR
    for relative, text in generated.items():
        _atomic_write(base / relative, text)
    for relative in set(_listing(base)) - set(state.files):
        (base / relative).unlink()
    _atomic_write(root / STATE_DIR / STATE_FILE, state.to_json())


def _listing(base: Path) -> list[str]:
    if not base.exists():
        return []
    return [p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()]


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(temporary, path)
