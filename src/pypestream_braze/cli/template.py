"""Where the cookiecutter template is: inside the installed wheel, or this source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def template_dir() -> Path:
    bundled = _PACKAGE / "_template"
    if (bundled / "cookiecutter.json").exists():
        return bundled
    source_tree = _PACKAGE.parents[1]  # src/pypestream_braze -> repository root
    if (source_tree / "cookiecutter.json").exists():
        return source_tree
    raise FileNotFoundError("the cookiecutter template is missing from this installation")


def bundled_mapping() -> Path:
    return template_dir() / "mappings" / "partner_example.yaml"
