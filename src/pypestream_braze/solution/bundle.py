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

import ast
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from . import bundles, endings, lock, state
from .boundary import Folder, remove_tree
from .bundle_contents import CSV, MANIFEST, Bundle
from .check import require_solution, verdict
from .outcome import FileResult, Outcome, Status, guarded

STAGING_PREFIX = ".pypestream-braze-bundle-"
_PRIVATE_FILE, _PRIVATE_FOLDER = 0o600, 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


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
    if out is None:
        out = bundles.default_place(root, env)
    else:
        require_no_link(out)  # before anything is read: a link is refused, not resolved
        out = Path(os.path.realpath(out.parent)) / out.name
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
    Status.DRIFT: "a hand-edited node no longer does what was generated for it (the drift lines "
    "say how): bring the node back in line, or change mapping.yaml and regen, then bundle",
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
        files[path] = _read(root, package / "actions" / node.file_name)
        described[path] = (
            f"action node script {node.name} (Design Studio Command {node.name}, node "
            f"{node.routes.node}): {node.endpoint.display}"
        )
    app = _read(root, package / "app.py")
    if api_key is not None:
        app = _embed_key(app, env, environment.api_key_env, api_key)
    files["app.py"] = app
    described["app.py"] = "the solution's config file: NAME, CSV_BOTS and PARAMS per environment"
    files[CSV] = _read(root, root / CSV)
    described[CSV] = "the action-node rows to paste into Design Studio"
    manifest = {
        "solution": solution.bot_id,
        "environment": env,
        "generator_version": __version__,
        "mapping_sha256": state.digest(_read(root, root / "mapping.yaml")),
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
    """Write the bundle at out, all at once: nothing appears there unless all of it is there.

    out must not be, or pass through, a symbolic link: a bundle can hold a key, and a link
    would carry it wherever the link points. It is made in a staging folder beside it, readable
    by its owner only from the start, so a killed run leaves nothing anyone else can read; the
    next bundle in that folder removes what a killed one left (leftovers()).
    """
    require_no_link(out)
    if os.path.lexists(out):
        raise UsageError(f"{out} already exists; remove it or give another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    require_no_link(out)  # a folder made meanwhile is checked again
    remove_leftovers(out.parent)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out.parent))  # mode 0o700
    descriptor = _lock_folder(staging)
    try:
        if out.suffix.lower() == ".zip":
            made = staging / out.name
            _write_zip(bundle, made)
        else:
            made = staging / "bundle"
            _write_folder(bundle, made)
        os.replace(made, out)
    finally:
        remove_tree(staging)
        if descriptor is not None:
            os.close(descriptor)


def require_no_link(path: Path) -> None:
    """UsageError when path, or a folder on its way, is a symbolic link.

    A relative path is looked at from the working folder down, an absolute one from the root.
    """
    parts = path.parts
    for depth in range(1, len(parts) + 1):
        prefix = Path(*parts[:depth])
        if prefix == Path(prefix.anchor):
            continue
        try:
            info = os.lstat(prefix)
        except (FileNotFoundError, NotADirectoryError):
            return
        if stat.S_ISLNK(info.st_mode):
            raise UsageError(
                "is a symbolic link; a bundle is never written through a link (it can hold a "
                "key): give --out as a real path",
                path=prefix,
            )


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the staging folders killed bundles left in folder; the removed ones.

    Only folders that look like a bundle's own are touched: named like one, owned by this user,
    readable by the owner only, and not held by a bundle running now (each holds a lock on its
    staging folder while it writes).
    """
    removed: list[Path] = []
    owner = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(STAGING_PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        mine = stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == _PRIVATE_FOLDER
        if not mine or (owner is not None and info.st_uid != owner):
            continue
        descriptor = _lock_folder(Path(entry.path))
        if descriptor is None and os.name == "posix":
            continue  # a bundle running now
        try:
            remove_tree(Path(entry.path))
            removed.append(Path(entry.path))
        finally:
            if descriptor is not None:
                os.close(descriptor)
    return removed


def _lock_folder(folder: Path) -> int | None:
    """A descriptor holding an exclusive lock on folder; None if another process holds one."""
    if os.name != "posix":  # pragma: no cover - a folder cannot be locked there
        return None
    import fcntl

    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


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


def _embed_key(app: str, env: str, variable: str, api_key: str) -> str:
    """app.py with the key in place of the expression that reads it from `variable`, in the
    PARAMS entry of env only: another environment naming the same variable keeps reading it."""
    reads = f'os.environ.get({json.dumps(variable)}, "").strip()'
    place = _key_expression(app, env, reads)
    if place is None:
        raise UsageError(
            f"app.py no longer reads the key of {env!r} with {reads} in PARAMS[{env!r}], so "
            "there is no place to write it; restore that line, or set the key on Pypestream's "
            "side"
        )
    start, end = place
    return app[:start] + json.dumps(api_key) + app[end:]  # a Python string literal too


def _key_expression(app: str, env: str, reads: str) -> tuple[int, int] | None:
    """Where, in app's text, PARAMS[env]["braze_api_key"] is the expression reads."""
    try:
        tree = ast.parse(app)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    offsets = [0]
    for line in app.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    for statement in tree.body:
        if not (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "PARAMS" for t in statement.targets)
            and isinstance(statement.value, ast.Dict)
        ):
            continue
        entry = _item(statement.value, env)
        value = _item(entry, "braze_api_key") if isinstance(entry, ast.Dict) else None
        if value is None or value.end_lineno is None or value.end_col_offset is None:
            continue
        start = offsets[value.lineno - 1] + _column(app, offsets, value.lineno, value.col_offset)
        end = offsets[value.end_lineno - 1] + _column(
            app, offsets, value.end_lineno, value.end_col_offset
        )
        if app[start:end] == reads:
            return start, end
    return None


def _item(mapping: ast.Dict, key: str) -> ast.expr | None:
    for name, value in zip(mapping.keys, mapping.values, strict=True):
        if isinstance(name, ast.Constant) and name.value == key:
            return value
    return None


def _column(app: str, offsets: list[int], line: int, byte_offset: int) -> int:
    """ast's columns count UTF-8 bytes; the text's count characters."""
    text = app[offsets[line - 1] : offsets[line]]
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))


def _read(root: Path, path: Path) -> str:
    """A file of the solution, read under its boundary (no link on the way, a regular file),
    with the LF endings Pypestream runs, whatever the checkout."""
    text = Folder(root).text(path.relative_to(root).as_posix())
    if text is None:
        raise UsageError("missing from the solution", path=path)
    return endings.normalised(text)
