"""The solution folder as a boundary: every path the tool touches stays inside it, links refused.

Paths inside a solution are always relative, '/'-separated and normalised (no '.', '..', empty
parts, backslashes, drive letters or control characters). Every folder on the way to a file and
the file itself are looked at with lstat before use: a symbolic link anywhere below the root is
refused with an error naming it, never followed, so a link cannot carry a read, a write or a
delete outside the solution. Reads go through reading.py (openat without following links, only
regular files, sizes bounded). The root itself is the folder the user named, resolved once.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from ..reading import (
    LINK,
    LINK_ADVICE,
    MAX_PATH,
    UnsafePathError,
    path_problem,
    read_with_info,
    require_relative,
)

__all__ = [
    "MAX_FILE",
    "MAX_PATH",
    "Folder",
    "UnsafePathError",
    "path_problem",
    "remove_tree",
    "require_relative",
]

# The most the tool reads of one file of a solution (a generated file, a baseline, a record of
# its own): far above anything it generates, low enough that a hostile one cannot exhaust memory.
MAX_FILE = 32 * 1024 * 1024


class Folder:
    """A solution root; reads and checks paths below it without ever following a link."""

    def __init__(self, root: Path):
        self.root = root
        self._checked: set[str] = set()  # folders already known to be real folders (or absent)

    def path(self, relative: str) -> Path:
        return self.root / require_relative(relative)

    def lstat(self, relative: str) -> os.stat_result | None:
        """The entry at relative (never a link, its folders neither), or None if absent."""
        parts = require_relative(relative).split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self._checked:
                continue
            info = _lstat(self.root / folder)
            if info is None:
                return None
            if stat.S_ISLNK(info.st_mode):
                raise self._link_error(folder)
            if not stat.S_ISDIR(info.st_mode):
                raise UnsafePathError(
                    f"is not a folder, but {relative} should be inside it",
                    self.root / folder,
                    "move it away and run the command again",
                )
            self._checked.add(folder)
        info = _lstat(self.root / relative)
        if info is not None and stat.S_ISLNK(info.st_mode):
            raise self._link_error(relative)
        return info

    def require_folder(self, relative: str) -> bool:
        """Whether relative is a real folder (False when absent); an error for anything else."""
        info = self.lstat(relative)
        if info is None:
            return False
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafePathError(
                "is not a folder", self.root / relative, "move it away and run the command again"
            )
        self._checked.add(relative)
        return True

    def file_info(self, relative: str) -> os.stat_result | None:
        """The regular file at relative, None when absent; an error for a folder, FIFO, device."""
        info = self.lstat(relative)
        if info is not None and not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise UnsafePathError(
                f"is {kind}, where pypestream-braze keeps a file",
                self.root / relative,
                "move it away and run the command again",
            )
        return info

    def read(self, relative: str, limit: int = MAX_FILE) -> bytes | None:
        """The content of the regular file at relative, None when there is none."""
        self.file_info(relative)  # the messages above for what is plainly wrong
        found = read_with_info(self.root, relative, limit)
        return None if found is None else found[0]

    def text(self, relative: str, limit: int = MAX_FILE) -> str | None:
        """The UTF-8 text of the file at relative, None when absent; an error when not UTF-8."""
        data = self.read(relative, limit)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnsafePathError(
                "is not UTF-8 text; pypestream-braze only merges text: "
                "restore the generated file or delete it, and run the command again",
                path=self.root / relative,
            ) from None

    def _link_error(self, relative: str) -> UnsafePathError:
        return UnsafePathError(LINK, self.root / relative, LINK_ADVICE)


def remove_tree(path: Path) -> None:
    """Remove path and everything below it, as shutil.rmtree(ignore_errors=True) does, without
    following a link (a link is removed, never what it points to) and without recursion: a
    tree however deep goes (rmtree recurses once per level before Python 3.12)."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)
            return
    except OSError:
        return
    folders, pending = [], [path]
    while pending:
        folder = pending.pop()
        folders.append(folder)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
                    else:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
        except OSError:
            continue
    for folder in reversed(folders):  # deepest first
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
