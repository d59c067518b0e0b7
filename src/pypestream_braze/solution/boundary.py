"""The solution folder as a boundary: every path the tool touches stays inside it, links refused.

Paths inside a solution are always relative, '/'-separated and normalised (no '.', '..', empty
parts, backslashes, drive letters or control characters). Every folder on the way to a file and
the file itself are looked at with lstat before use: a symbolic link anywhere below the root is
refused with an error naming it, never followed, so a link cannot carry a read, a write or a
delete outside the solution. Files are opened with O_NOFOLLOW as well, and only regular files are
read (a FIFO or a device never is). The root itself is the folder the user named, resolved once.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import PypestreamBrazeError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the lstat cannot hang open()
_BINARY = getattr(os, "O_BINARY", 0)
MAX_PATH = 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafePathError(PypestreamBrazeError):
    """A path inside a solution that the tool will not use: a link, or not what it should be."""


def path_problem(relative: object) -> str | None:
    """Why relative is not a normalised path inside a solution, or None when it is one."""
    if not isinstance(relative, str) or not relative:
        return "must be a non-empty text"
    if len(relative) > MAX_PATH:
        return f"is longer than {MAX_PATH} characters"
    if _CONTROL.search(relative):
        return "holds a control character"
    if "\\" in relative or ":" in relative:
        return "holds a backslash or a drive letter; paths are relative, with '/'"
    if relative.startswith("/"):
        return "is absolute; paths are relative to the solution folder"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "is not normalised (an empty, '.' or '..' part)"
    return None


def require_relative(relative: str) -> str:
    problem = path_problem(relative)
    if problem is not None:
        raise UnsafePathError(f"{relative!r}: {problem}")
    return relative


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
                    f"is not a folder, but {relative} should be inside it; "
                    "move it away and run the command again",
                    path=self.root / folder,
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
            raise UnsafePathError("is not a folder; move it away", path=self.root / relative)
        self._checked.add(relative)
        return True

    def file_info(self, relative: str) -> os.stat_result | None:
        """The regular file at relative, None when absent; an error for a folder, FIFO, device."""
        info = self.lstat(relative)
        if info is not None and not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise UnsafePathError(
                f"is {kind}, where pypestream-braze keeps a file; "
                "move it away and run the command again",
                path=self.root / relative,
            )
        return info

    def read_bytes(self, relative: str) -> bytes | None:
        """The content of the regular file at relative, None when there is none."""
        if self.file_info(relative) is None:
            return None
        try:
            flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY
            descriptor = os.open(self.root / relative, flags)
        except FileNotFoundError:
            return None
        except OSError as err:
            if _is_link_refusal(err):
                raise self._link_error(relative) from None
            raise
        with open(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnsafePathError("is not a regular file", path=self.root / relative)
            return handle.read()

    def read_text(self, relative: str) -> str | None:
        """The UTF-8 text of the file at relative, None when absent; an error when not UTF-8."""
        data = self.read_bytes(relative)
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
        return UnsafePathError(
            "is a symbolic link; pypestream-braze never follows links "
            "inside a solution: replace it with the real file or folder (or delete it) and run "
            "the command again",
            path=self.root / relative,
        )


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _is_link_refusal(err: OSError) -> bool:
    import errno

    return err.errno in (errno.ELOOP, errno.EMLINK)
