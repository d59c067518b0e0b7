"""What a generation's output depends on besides the spec: this generator and its renderers.

The fingerprint hashes the text of every file of the installed package (code and templates, so
an edited checkout counts as a new generator, not only a new version number), the package
version, and the versions of black, Jinja2 and PyYAML and of Python itself. Equal fingerprint
and equal spec hash mean an equal render, which is how a regen with nothing to do knows it
without rendering. It costs a few milliseconds and imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_DISTRIBUTIONS = ("pypestream-braze", "black", "Jinja2", "PyYAML")
_SKIPPED = {"__pycache__", "_template"}  # bytecode; the cookiecutter template's own copy


@cache
def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info[:2]}\0".encode())
    for name, version in _versions(_DISTRIBUTIONS).items():
        digest.update(f"{name} {version}\0".encode())
    for path in _files(_PACKAGE):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _versions(names: tuple[str, ...]) -> dict[str, str]:
    """Installed versions, from the names of the .dist-info folders on sys.path.

    importlib.metadata would parse every METADATA file and costs more to import than this whole
    module takes to run; it is the fallback for installs without such folders.
    """
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            children = os.listdir(entry or ".")
        except OSError:
            continue
        for child in children:
            if not child.endswith(".dist-info") or "-" not in child:
                continue
            name, version = child[: -len(".dist-info")].split("-", 1)
            key = _normal(name)
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = version
        if len(found) == len(wanted):
            break
    for name in names:
        if name not in found:
            found[name] = _metadata_version(name)
    return {name: found[name] for name in names}


def _metadata_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _files(folder: Path) -> list[Path]:
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name in _SKIPPED or entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.extend(_files(entry))
        elif entry.is_file() and entry.suffix not in (".pyc", ".pyo"):
            found.append(entry)
    return found
