"""Writing and deleting a set of files inside a solution, all or nothing.

Every new text is first written to a staging folder inside the solution (same file system, so
os.replace is atomic). Each file about to be replaced or deleted is copied to a backup folder
first. The staged files are then moved into place in the given order; if any step fails, the
files already touched are restored from their backups, files that did not exist are removed,
and the error is raised again. Callers put the state file last, so it only changes when
everything else has.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

STAGING_PREFIX = ".pypestream-braze-staging-"


def apply(root: Path, writes: Mapping[str, str], deletes: Iterable[str] = ()) -> None:
    """Write writes (relative path -> text, in order) and delete deletes, or change nothing."""
    deletes = list(deletes)
    if not writes and not deletes:
        return
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        for relative, text in writes.items():
            target = staging / "new" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        _move_into_place(root, staging, writes, deletes)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(root: Path, staging: Path, writes, deletes: list[str]) -> None:
    touched: list[tuple[Path, Path | None]] = []  # (target, its backup or None if it was new)
    created_dirs: list[Path] = []
    try:
        for relative in deletes:
            target = root / relative
            touched.append((target, _backup(target, staging / "backup" / relative)))
            target.unlink()
        for relative in writes:
            target = root / relative
            created_dirs.extend(_make_parents(target.parent))
            touched.append((target, _backup(target, staging / "backup" / relative)))
            os.replace(staging / "new" / relative, target)
    except BaseException:
        _restore(touched, created_dirs)
        raise
    for relative in deletes:
        _remove_empty_parents(root, (root / relative).parent)


def _backup(target: Path, backup: Path) -> Path | None:
    if not target.exists():
        return None
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(target, backup)
    return backup


def _restore(touched: list[tuple[Path, Path | None]], created_dirs: list[Path]) -> None:
    for target, backup in reversed(touched):
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            shutil.copy2(backup, target)
    for folder in reversed(created_dirs):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _make_parents(folder: Path) -> list[Path]:
    """Create folder and its missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir()
    return missing


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
