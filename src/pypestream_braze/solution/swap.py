"""Putting a finished solution folder in place of another, so the target is never missing.

`new` bakes a solution in a staging folder next to its target, then:

    staging = make_staging(output_dir)           locked; leftovers of killed runs recovered first
    replace_folder(finished, target, staging)    the swap
    remove_staging(staging)                      the old solution goes with it

On Linux the swap is one atomic renameat2(RENAME_EXCHANGE): at every moment the target is the
old folder or the new one. Where that call does not exist (or the file system refuses it), the
swap is two renames with a journal in the staging folder; a kill between them leaves the target
missing only until the next `new` in that folder, which finishes the swap. A staging folder is
locked for as long as its `new` runs, so a second `new` in the same folder only recovers or
removes staging folders nobody holds (Windows cannot lock a folder: there leftovers stay). The
old target is locked during the swap too, so it never happens under a running regen.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import stat
import sys
import tempfile
from pathlib import Path

from .. import reading
from ..errors import Level, Location, Problem, UsageError
from . import lock
from .boundary import UnsafePathError, remove_tree

STAGING_PREFIX = ".pypestream-braze-new-"
JOURNAL = "swap.json"
REPLACED = "replaced"
MAX_JOURNAL = 64 * 1024  # two folder names
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

_WINDOWS = sys.platform == "win32"
_staging_locks: dict[Path, int] = {}


def make_staging(output_dir: Path) -> tuple[Path, list[Problem]]:
    """A new, locked staging folder in output_dir, after recovering what killed runs left.

    Also returns what the recovery did, to be reported.
    """
    notes = [Problem(Location(where), Level.WARNING, what) for where, what in recover(output_dir)]
    while True:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output_dir))
        if _WINDOWS:  # pragma: no cover - a folder cannot be locked there
            return staging, notes
        try:
            descriptor = os.open(staging, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except FileNotFoundError:  # a concurrent recovery took it for a leftover: try again
            continue
        if _try_lock(descriptor) and _same(descriptor, staging):
            _staging_locks[staging] = descriptor
            return staging, notes
        os.close(descriptor)


def remove_staging(staging: Path) -> None:
    remove_tree(staging)
    descriptor = _staging_locks.pop(staging, None)
    if descriptor is not None:
        os.close(descriptor)


def replace_folder(finished: Path, target: Path, staging: Path) -> None:
    """Put the folder finished (inside staging) at target; the old target ends in staging."""
    info = _lstat(target)
    if info is None:
        os.rename(finished, target)
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafePathError(
            "is a symbolic link or a file, not a solution folder; pypestream-braze "
            "does not replace it: move it away and run the command again",
            path=target,
        )
    held = lock.acquire(target)
    try:
        if not _exchange(finished, target):
            _write_journal(staging, target, finished)
            os.rename(target, staging / REPLACED)
            os.rename(finished, target)
    finally:
        held.release()


def recover(output_dir: Path) -> list[tuple[str, str]]:
    """Finish the swap of every staging folder in output_dir that no running `new` holds."""
    notes: list[tuple[str, str]] = []
    if _WINDOWS or not output_dir.is_dir():  # pragma: no cover - no folder locks on Windows
        return notes
    for entry in sorted(os.scandir(output_dir), key=lambda e: e.name):
        if not entry.name.startswith(STAGING_PREFIX):
            continue
        staging = Path(entry.path)
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            raise UnsafePathError(
                "is not a staging folder pypestream-braze made (a link or a file "
                "with that name); move it away and run the command again",
                path=staging,
            )
        try:
            descriptor = os.open(staging, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except FileNotFoundError:
            continue
        try:
            if not _try_lock(descriptor):
                continue  # a `new` running now
            finished = _finish_swap(output_dir, staging)
            remove_tree(staging)
        finally:
            os.close(descriptor)
        if finished is not None:
            notes.append((str(finished), "finished putting the solution in place"))
        notes.append((str(staging), "removed the staging folder an interrupted command left"))
    return notes


def _finish_swap(output_dir: Path, staging: Path) -> Path | None:
    journal = staging / JOURNAL
    try:
        data = json.loads(reading.read(staging, JOURNAL, MAX_JOURNAL) or b"null")
        if data is None:
            return None
        name, finished = data["target"], data["finished"]
        for part in (name, *finished.split("/")):
            if not isinstance(part, str) or part in ("", ".", "..") or "/" in part or "\\" in part:
                raise ValueError
        sources = [finished, REPLACED]
        found = [(s, reading.lstat(staging, s)) for s in sources]  # no link on the way
        if any(info is not None and not stat.S_ISDIR(info.st_mode) for _, info in found):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnsafePathError):
        raise UsageError(
            f"the record of an interrupted 'new' is damaged; look in {staging} for "
            "your solution before deleting that folder",
            path=journal,
        ) from None
    target = output_dir / name
    if _lstat(target) is not None:
        return None  # the swap had finished
    for relative, info in found:
        if info is not None:
            os.rename(staging / relative, target)
            return target
    return None


def _write_journal(staging: Path, target: Path, finished: Path) -> None:
    record = {"target": target.name, "finished": finished.relative_to(staging).as_posix()}
    temporary = staging / (JOURNAL + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        os.write(descriptor, json.dumps(record).encode("utf-8"))
    finally:
        os.close(descriptor)
    os.replace(temporary, staging / JOURNAL)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; False where this system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    path, descriptor = ctypes.c_char_p, ctypes.c_int
    function.argtypes = [descriptor, path, descriptor, path, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _same(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except OSError:
        return False


def _try_lock(descriptor: int) -> bool:
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
