"""What Pypestream takes, from a solution, flat: one script per node, app.py, the flow's CSV.

    collect(root, env, api_key=None) -> Bundle     in memory; refuses a solution that is not
                                                   up to date with its mapping
    write(bundle, out)                              a folder, or a .zip when out ends in .zip

The scripts and the CSV are the solution's files as they are on disk, hand edits included. With
an API key, the bundled app.py has it written in, for that environment only, in place of the
line that reads it from the process environment; the solution's own files never hold it, and
the bundle is then written readable by its owner only.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, node_runtime
from ..errors import UsageError
from . import state

MANIFEST = "manifest.json"
CSV = "design_studio.csv"
_PRIVATE_FILE, _PRIVATE_FOLDER = 0o600, 0o700


@dataclass(frozen=True)
class Bundle:
    files: dict[str, str]  # relative path -> text, manifest last
    env: str
    key_embedded: bool


def collect(root: Path, env: str, api_key: str | None = None) -> Bundle:
    from ..mapping.reader import load_solution
    from .regen import check_solution

    _require_up_to_date(root, check_solution(root))
    recorded = state.read(root)
    solution, _ = load_solution(
        root / "mapping.yaml", None, recorded.node_numbers if recorded else None
    )
    environment = next(e for e in solution.environments if e.name == env)
    package = root / solution.package
    files: dict[str, str] = {}
    described: dict[str, str] = {}
    for node in solution.nodes:
        path = f"scripts/{node.file_name}"
        files[path] = _read(package / "actions" / node.file_name)
        _require_runtime(package / "actions" / node.file_name, files[path])
        described[path] = (
            f"action node script {node.name} (Design Studio Command {node.name}, node "
            f"{node.routes.node}): {node.endpoint.display}"
        )
    app = _read(package / "app.py")
    if api_key is not None:
        app = _embed_key(app, environment.api_key_env, api_key)
    files["app.py"] = app
    described["app.py"] = "the solution's config file: NAME, CSV_BOTS and PARAMS per environment"
    files[CSV] = _read(root / CSV)
    described[CSV] = "the action-node rows to paste into Design Studio"
    manifest = {
        "solution": solution.bot_id,
        "environment": env,
        "generator_version": __version__,
        "mapping_sha256": state.digest(_read(root / "mapping.yaml")),
        "api_key": (
            f"written into app.py for {env!r}"
            if api_key is not None
            else (f"read from {environment.api_key_env} where the solution runs")
        ),
        "files": described,
    }
    files[MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return Bundle(files, env, api_key is not None)


def write(bundle: Bundle, out: Path) -> None:
    """Write the bundle at out, all at once: nothing appears there unless all of it is there."""
    if out.exists() or out.is_symlink():
        raise UsageError(f"{out} already exists; remove it or give another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pypestream-braze-bundle-", dir=out.parent))
    try:
        os.chmod(staging, _PRIVATE_FOLDER)
        if out.suffix.lower() == ".zip":
            made = staging / out.name
            _write_zip(bundle, made)
        else:
            made = staging / "bundle"
            _write_folder(bundle, made)
        os.replace(made, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_folder(bundle: Bundle, folder: Path) -> None:
    folder.mkdir()
    for relative, text in bundle.files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        if bundle.key_embedded:
            os.chmod(target, _PRIVATE_FILE)
    if bundle.key_embedded:
        for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
            os.chmod(path, _PRIVATE_FOLDER)


def _write_zip(bundle: Bundle, path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative, text in bundle.files.items():
            info = zipfile.ZipInfo(relative, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (_PRIVATE_FILE if bundle.key_embedded else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    if bundle.key_embedded:
        os.chmod(path, _PRIVATE_FILE)


def _embed_key(app: str, variable: str, api_key: str) -> str:
    """app.py with the key in place of the expression that reads it from `variable`."""
    reads = f'os.environ.get({json.dumps(variable)}, "").strip()'
    if reads not in app:
        raise UsageError(
            f"app.py no longer reads the key with {reads}, so there is no place to write it; "
            "restore that line, or set the key on Pypestream's side"
        )
    return app.replace(reads, json.dumps(api_key))  # a Python string literal too


def _require_up_to_date(root: Path, result) -> None:
    if result.unresolved:
        raise UsageError(
            f"{root} has unresolved conflict markers in {', '.join(result.unresolved)}: "
            "resolve them, then bundle"
        )
    if result.state_missing or result.would_change:
        changed = ", ".join(c.path for c in result.would_change) or "its generation state"
        raise UsageError(
            f"is not up to date with its mapping ({changed} would change): run "
            f"'pypestream-braze regen {root}', check the result, then bundle",
            path=root,
        )


def _require_runtime(path: Path, text: str) -> None:
    """A node goes to Pypestream only with the runtime its marker line names, unedited."""
    why = node_runtime.problem(text)
    if why is not None:
        raise UsageError(
            f"{why}; a node ships with the reviewed runtime only: restore that part as "
            "generated (.pypestream-braze/baseline/ keeps it), then bundle",
            path=path,
        )


def _read(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        raise UsageError("missing from the solution (or not a regular file)", path=path)
    return path.read_text(encoding="utf-8")
