"""Helpers shared by the tests: write generated files to disk and import them for real."""

from __future__ import annotations

import importlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
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
