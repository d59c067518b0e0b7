"""Every file the package reads goes through reading.py, or is on a short list with its reason.

reading.py is the one place that opens a file the tool did not just write: no link followed,
no FIFO or device opened, sizes bounded, paths inside their folder. This test walks the AST
of every module of the package and fails on any other call that opens or reads a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pypestream_braze

PACKAGE = Path(pypestream_braze.__file__).resolve().parent
HELPER = "reading.py"
# Calls that open or read a file: open(), os.open(), os.fdopen(), io.open(), and any
# .open(), .read_text() or .read_bytes() (Path's, whatever the receiver).
_FUNCTIONS = {"open"}
_METHODS = {"open", "fdopen", "read_text", "read_bytes"}
_LOADERS = {"FileSystemLoader", "PackageLoader"}  # Jinja reading a folder by itself

# (module, function) -> why it may open a file without reading.py.
ALLOWED = {
    ("cli/cookiecutter_hooks.py", "template_text"): "the installed package's own template",
    ("cli/questions.py", "_prompts"): "the installed package's own cookiecutter.json",
    ("cli/generator_source.py", "requirement"): "the installed distribution's metadata",
    ("cli/output.py", "_quiet"): "opens os.devnull to write to it",
    ("node_runtime.py", "text"): "the installed package's own runtime.py, copied into every node",
    ("render/files.py", "jinja_environment"): "the generator's own templates, inside the package",
    ("render/cache.py", "put"): "writes the temporary file mkstemp just made",
    ("solution/fingerprint.py", "generator_fingerprint"): "the installed package's own files",
    ("solution/lock.py", "_open"): "opens the solution folder itself to lock it (no read)",
    ("solution/swap.py", "make_staging"): "opens the staging folder it made, to lock it",
    ("solution/swap.py", "recover"): "opens a staging folder (lstat-checked) to lock it",
    ("solution/swap.py", "_write_journal"): "creates a new file (O_CREAT | O_EXCL)",
    ("solution/bundle.py", "_lock_folder"): "opens a staging folder, O_NOFOLLOW, to lock it",
    ("solution/transaction.py", "_write"): "creates a new file (O_CREAT | O_EXCL | O_NOFOLLOW)",
}


def _calls() -> list[tuple[str, str, int, str]]:
    """(module, enclosing function, line, call) of every call that opens or reads a file."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.extend((module, *call) for call in _file_calls(tree))
    return found


def _file_calls(tree: ast.Module):
    pending: list[tuple[ast.AST, str]] = [(tree, "<module>")]
    while pending:
        node, function = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call) and _opens(node.func):
            yield function, node.lineno, ast.unparse(node.func)
        pending.extend((child, function) for child in ast.iter_child_nodes(node))


def _opens(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in _FUNCTIONS | _LOADERS
    if isinstance(func, ast.Attribute):
        return func.attr in _METHODS | _LOADERS
    return False


def test_every_file_read_goes_through_the_one_reader():
    bypasses = [
        f"{module}:{line} {call}() in {function}"
        for module, function, line, call in _calls()
        if module != HELPER and (module, function) not in ALLOWED
    ]
    assert bypasses == [], "read these through pypestream_braze.reading, or justify them"


def test_the_allow_list_holds_nothing_stale():
    used = {(module, function) for module, function, _, _ in _calls()}
    assert set(ALLOWED) <= used, sorted(set(ALLOWED) - used)


@pytest.mark.parametrize(
    "source",
    [
        "open('x')",
        "Path('x').read_text()",
        "p.read_bytes()",
        "os.open('x', 0)",
        "os.fdopen(3)",
        "io.open('x')",
        "FileSystemLoader('team')",
    ],
)
def test_the_walk_finds_each_kind_of_read(source):
    tree = ast.parse(f"def reader():\n    {source}\n")
    assert [call[0] for call in _file_calls(tree)] == ["reader"]
