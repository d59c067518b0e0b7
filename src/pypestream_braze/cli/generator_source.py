"""requirements-generator.txt: where pip finds the generator that made a solution.

A solution's requirements-dev.txt includes this file, so `pip install -r requirements-dev.txt`
in a fresh environment installs the `pypestream-braze` that `regen` needs. Where that generator
comes from depends on the machine (a clone, a git URL, a package index), so the file is not
part of the generated, hashed output: the front doors write it when it is missing and never
overwrite it, and a team that installs the generator from elsewhere edits it once.
"""

from __future__ import annotations

import json
from pathlib import Path

FILE = "requirements-generator.txt"
NAME = "pypestream-braze"

_HEADER = """\
# The generator of this solution, which `pypestream-braze regen` needs: where pip finds it.
# Written once by pypestream-braze; point it at your team's source of the generator (a package
# index pin such as pypestream-braze==0.1.0, or a git URL) if that is not this one.
"""


def text() -> str:
    return _HEADER + requirement() + "\n"


def requirement() -> str:
    """This generator as a pip requirement: the URL it was installed from, else its version."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(NAME)
    except PackageNotFoundError:  # run from a source tree that is not installed
        return f"{NAME} @ {_source_tree().as_uri()}"
    try:
        origin = json.loads(dist.read_text("direct_url.json") or "null")
    except (ValueError, OSError):
        origin = None
    if isinstance(origin, dict) and isinstance(origin.get("url"), str):
        url = origin["url"]
        vcs = origin.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("vcs") and vcs.get("commit_id"):
            return f"{NAME} @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
        if "dir_info" in origin:
            return f"{NAME} @ {url}"
    return f"{NAME}=={dist.version}"


def write_if_missing(root: Path) -> bool:
    """Give a solution its requirements-generator.txt unless it has one (kept as edited)."""
    target = root / FILE
    if target.exists() or target.is_symlink():
        return False
    target.write_text(text(), encoding="utf-8")
    return True


def _source_tree() -> Path:
    return Path(__file__).resolve().parents[3]
