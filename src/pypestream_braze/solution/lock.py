"""One command at a time per solution: an exclusive lock on the solution folder itself.

On POSIX the lock is flock() on the folder's own descriptor, so no lock file is left in the
solution; the kernel drops it when the process ends, however it ends. Windows cannot lock a
folder, so there the lock is `.pypestream-braze/lock`, locked with msvcrt. A second command
waits up to WAIT seconds, then stops with an error saying who holds the lock. Within one process
the lock is re-entrant (a plan holds it until its regen is applied).

If the folder was swapped for another while we waited (`new --force` replaced the solution),
the lock we got is on the old folder: it is dropped and taken again on the new one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..errors import PypestreamBrazeError

WAIT = 10.0  # seconds a second writer waits before giving up
_POLL = 0.05


class LockedError(PypestreamBrazeError):
    """Another pypestream-braze command is working on the same solution."""


class Lock:
    def __init__(self, root: Path, descriptor: int):
        self.root = root
        self.descriptor = descriptor
        self.count = 1

    def release(self) -> None:
        self.count -= 1
        if self.count == 0:
            _held.pop(self.root, None)
            _unlock(self.descriptor)
            os.close(self.descriptor)


_held: dict[Path, Lock] = {}


def acquire(root: Path, wait: float = WAIT) -> Lock:
    """Lock the solution at root (an existing folder), waiting up to wait seconds."""
    held = _held.get(root)
    if held is not None:
        held.count += 1
        return held
    deadline = time.monotonic() + wait
    while True:
        descriptor = _open(root)
        try:
            got = _try_lock(descriptor)
            if got and _same_file(descriptor, root):
                lock = Lock(root, descriptor)
                _held[root] = lock
                return lock
            if got:  # the folder was replaced while we waited: lock the new one
                _unlock(descriptor)
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
        if time.monotonic() >= deadline:
            raise LockedError(
                f"another pypestream-braze command is working on this solution (it "
                f"holds the lock; waited {wait:g} s); run this one again when it has finished",
                path=root,
            )
        time.sleep(_POLL)


def _same_file(descriptor: int, root: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(_lock_path(root)))
    except OSError:
        return False


if sys.platform == "win32":  # pragma: no cover - the suite runs on POSIX
    import msvcrt

    def _lock_path(root: Path) -> Path:
        return root / ".pypestream-braze" / "lock"

    def _open(root: Path) -> int:
        _lock_path(root).parent.mkdir(exist_ok=True)
        return os.open(_lock_path(root), os.O_RDWR | os.O_CREAT)

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import errno
    import fcntl

    def _lock_path(root: Path) -> Path:
        return root

    def _open(root: Path) -> int:
        return os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
