"""Helpers shared by the tests: write generated files to disk and import them for real."""

from __future__ import annotations

import importlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
# The golden files keep each node's own part; the runtime, the same below every node's marker
# line, is kept once (GOLDEN_RUNTIME), so a change to it shows as one diff.
GOLDEN_RUNTIME = GOLDEN / "runtime.py"
RUNTIME_STAND_IN = "# (the RUNTIME line and the runtime: tests/golden/runtime.py)\n"
MAPPINGS = REPO / "mappings"
PARTNER_EXAMPLE = MAPPINGS / "partner_example.yaml"
# What the partner page's conversation collects, as Pypestream passes it in the payload.
PARTNER_ANSWERS = {
    "USER_ID": "conv-user-123",
    "FIRST_NAME": "Ada",
    "LAST_NAME": "Lovelace",
    "EMAIL": "ada@example.com",
    "DATE_OF_BIRTH": "04/01/1990",
    "CITY": "London",
    "OPERATING_SYSTEM": "iOS",
}


def write_files(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    return root


class Solution:
    """A generated solution on disk whose modules can be imported (fresh for every test)."""

    def __init__(self, root: Path, package: str):
        self.root = root
        self.package = package

    def module(self, dotted: str):
        return importlib.import_module(f"{self.package}.{dotted}")

    def node(self, name: str):
        module = self.module(f"actions.{name}")
        return module, getattr(module, name)()

    @property
    def app(self):
        return self.module("app")


def golden_text(path: str, text: str) -> str:
    """A generated file as the golden files keep it: a node without its runtime, which must
    be the one runtime.py holds, below a marker that matches it."""
    from pypestream_braze import node_runtime

    cut = node_runtime.split(text)
    if cut is None:
        return text
    assert node_runtime.problem(text) is None, path
    assert cut.runtime == node_runtime.text(), path
    return cut.part + RUNTIME_STAND_IN


def update_golden_runtime() -> None:
    from pypestream_braze import node_runtime

    GOLDEN_RUNTIME.write_text(node_runtime.text(), encoding="utf-8", newline="")
