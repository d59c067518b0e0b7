"""What a bundle holds, in memory: the files Pypestream takes, by name, and what they are for.

bundle.py collects them from a solution and writes them; flow.py merges a Design Studio export
into their CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

MANIFEST = "manifest.json"
CSV = "design_studio.csv"


@dataclass(frozen=True)
class Bundle:
    files: dict[str, str]  # relative path -> text, manifest last
    env: str
    key_embedded: bool
