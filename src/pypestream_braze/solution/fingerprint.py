"""What a generation's output depends on besides the spec: this generator and its renderers.

The fingerprint hashes the text of every file of the installed package (code and templates, so
an edited checkout counts as a new generator, not only a new version number), the package
version, and the versions of black, Jinja2 and PyYAML and of Python itself. Equal fingerprint
and equal spec hash mean an equal render, which is how a regen with nothing to do knows it
without rendering. It costs a few milliseconds and imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_RENDERERS = ("black", "Jinja2", "PyYAML")
_SKIPPED = {"__pycache__", "_template"}  # bytecode; the cookiecutter template's own copy


@cache
def generator_fingerprint() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    digest = hashlib.sha256()
    digest.update(f"pypestream-braze {__version__}\0python {sys.version_info[:2]}\0".encode())
    for name in _RENDERERS:
        try:
            digest.update(f"{name} {version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    for path in _files(_PACKAGE):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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
