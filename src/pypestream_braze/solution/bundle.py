"""What Pypestream takes, from a solution, flat: one script per node, app.py, the flow's CSV.

    bundle(path, env, out, key=None) -> Outcome     refuses what check would not pass
    collect(root, env, api_key=None) -> Bundle     in memory
    write(bundle, out)                              a folder, or a .zip when out ends in .zip

A solution is bundled only if `check` passes it, by the same verdict (solution/check.py), and
under one lock from that check to the last file read, so no regen can change it in between.

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
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from . import bundles, endings, lock, state
from .check import require_solution, verdict
from .outcome import FileResult, Outcome, Status, guarded

MANIFEST = "manifest.json"
CSV = "design_studio.csv"
_PRIVATE_FILE, _PRIVATE_FOLDER = 0o600, 0o700


@dataclass(frozen=True)
class Bundle:
    files: dict[str, str]  # relative path -> text, manifest last
    env: str
    key_embedded: bool


def bundle(
    path: Path,
    env: str,
    out: Path | None = None,
    key: Callable[[str], str] | None = None,
    flow: Path | None = None,
) -> Outcome:
    """Bundle the solution at path for env into out (default: bundles/ENV in the solution,
    which git ignores; see bundles.py).

    key: with --embed-key, what gives the API key from the name of the variable that holds it.
    flow: the Design Studio export the solution must fit; its rows merged into the bundle's CSV.
    """
    return guarded(path, lambda: _bundle(path, env, out, key, flow))


def _bundle(
    path: Path,
    env: str,
    out: Path | None,
    key: Callable[[str], str] | None,
    flow: Path | None,
) -> Outcome:
    root = require_solution(path)
    default = out is None
    out = bundles.default_place(root, env) if default else out.resolve()
    if key is not None and (out == root or root in out.parents) and not bundles.ignored(root, out):
        raise UsageError(
            f"{out} is inside the solution, where version control would pick up the key; with "
            f"--embed-key, leave out --out (the bundle goes to {bundles.FOLDER}/{env}/, which "
            "git ignores) or write it outside the solution"
        )
    held = lock.acquire(root)  # from the check to the last file read
    try:
        checked = verdict(path, root, None, False)
        if not checked.passed:
            return _refused(path, checked)
        made = collect(root, env, key)
        merged = None
        if flow is not None:  # refused (nothing written) when the solution does not fit
            from .flow import bundled

            merged = bundled(made, root, flow)
            made = merged.bundle
    finally:
        held.release()
    with bundles.replacing(out) if default else nullcontext():  # the last bundle, replaced
        write(made, out)
    files = tuple(FileResult(relative, "bundled") for relative in made.files)
    return Outcome(
        path,
        Status.BUNDLED,
        files,
        problems=tuple(merged.warnings) if merged else (),
        notes=(merged.summary,) if merged else (),
        summary=str(out),
        wrote=True,
    )


_WHY = {
    Status.WOULD_CHANGE: "it is not up to date with its mapping: run 'pypestream-braze regen', "
    "check the result, then bundle",
    Status.CONFLICT: "it has unresolved conflict markers: resolve them, then bundle",
    Status.DRIFT: "a hand-edited node no longer builds the request its mapping describes: bring "
    "the node back in line, or change mapping.yaml and regen, then bundle",
}


def _refused(path: Path, checked: Outcome) -> Outcome:
    if checked.status not in _WHY:  # a bad spec, or a refusal: as check says it
        return checked
    return Outcome(
        path, Status.FAILED, message=f"not bundled: {_WHY[checked.status]}", cause=checked
    )


def collect(root: Path, env: str, key: Callable[[str], str] | None = None) -> Bundle:
    from ..mapping.reader import load_solution

    recorded = state.read(root)
    solution, _ = load_solution(
        root / "mapping.yaml", None, recorded.node_numbers if recorded else None
    )
    environment = next(e for e in solution.environments if e.name == env)
    api_key = key(environment.api_key_env) if key is not None else None
    package = root / solution.package
    files: dict[str, str] = {}
    described: dict[str, str] = {}
    for node in solution.nodes:
        path = f"scripts/{node.file_name}"
        files[path] = _read(package / "actions" / node.file_name)
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


def _read(path: Path) -> str:
    """A file of the solution, with the LF endings Pypestream runs, whatever the checkout."""
    if path.is_symlink() or not path.is_file():
        raise UsageError("missing from the solution (or not a regular file)", path=path)
    return endings.normalised(path.read_text(encoding="utf-8"))
