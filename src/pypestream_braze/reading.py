"""Reading a file pypestream-braze did not just write: the one way every such read is done.

    read(root, relative, limit) -> bytes | None       None when there is no such file
    read_file(path, limit, within=None) -> bytes      a file named by the user or by another file
    locate(base, written) -> (root, relative)         where a path one file gives for another is

A journal, a swap record, a team template, a conventions file, a mapping, the state, a baseline:
each is hostile until read, so each is read under the same four rules.

- Inside its folder: the path is relative to the folder the file belongs to (its root) and
  normalised, so it cannot climb out of it.
- No link followed: every folder below the root is opened with O_NOFOLLOW, each relative to the
  one before it (openat), so a link anywhere below the root is refused, and a folder swapped for
  a link after it was looked at cannot redirect the read either.
- No FIFO, socket or device: the file is looked at with lstat before it is opened, opened with
  O_NONBLOCK | O_NOFOLLOW (a FIFO opens at once instead of waiting for a writer), and fstat must
  then say a regular file.
- Bounded: a file larger than its limit is refused, and no more than the limit is ever read.

The root itself is trusted: the user named it, or it is the folder of a file the user named.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .errors import PypestreamBrazeError

MAX_PATH = 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = (
    os.O_RDONLY
    | _NOFOLLOW
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | _CLOEXEC
)
_FOLDER_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
_AT = os.open in os.supports_dir_fd and os.lstat in os.supports_dir_fd


class UnsafePathError(PypestreamBrazeError):
    """A path the tool will not use: a link, a FIFO, a device, too large, or outside its folder.

    problem: what is wrong, in a few words ("is a symbolic link"), for callers that word the
    error their own way; str(error) adds what to do.
    """

    def __init__(self, problem: str, path: str | Path | None = None, advice: str = ""):
        super().__init__(problem + (f"; {advice}" if advice else ""), path=path)
        self.problem = problem


LINK = "is a symbolic link"
LINK_ADVICE = (
    "pypestream-braze never follows links: replace it with the real file or folder (or delete "
    "it) and run the command again"
)


def path_problem(relative: object) -> str | None:
    """Why relative is not a normalised relative path, or None when it is one."""
    if not isinstance(relative, str) or not relative:
        return "must be a non-empty text"
    if len(relative) > MAX_PATH:
        return f"is longer than {MAX_PATH} characters"
    if _CONTROL.search(relative):
        return "holds a control character"
    if "\\" in relative or ":" in relative:
        return "holds a backslash or a drive letter; paths are relative, with '/'"
    if relative.startswith("/"):
        return "is absolute; paths are relative to the folder they belong to"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "is not normalised (an empty, '.' or '..' part)"
    return None


def require_relative(relative: str) -> str:
    problem = path_problem(relative)
    if problem is not None:
        raise UnsafePathError(f"{relative!r}: {problem}")
    return relative


def read(root: Path, relative: str, limit: int) -> bytes | None:
    """The bytes of the regular file root/relative, None when it (or a folder on its way) is
    absent; UnsafePathError for a link, a FIFO, a device, a folder or a file over limit."""
    found = read_with_info(root, relative, limit)
    return None if found is None else found[0]


def read_with_info(root: Path, relative: str, limit: int) -> tuple[bytes, os.stat_result] | None:
    """read(), with what fstat said of the file read."""
    parts = require_relative(relative).split("/")
    if not _AT:  # pragma: no cover - Windows: look at each part, then open without following
        return _read_by_path(root, parts, limit)
    try:
        folder = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        for depth, part in enumerate(parts[:-1], start=1):
            below = _open_folder(folder, part, root, parts[:depth])
            os.close(folder)
            folder = below
            if folder < 0:
                return None
        name = parts[-1]
        where = root / relative
        try:
            _require_regular(os.lstat(name, dir_fd=folder), where, limit)
            descriptor = os.open(name, _FILE_FLAGS, dir_fd=folder)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as err:
            if err.errno in (errno.ELOOP, errno.EMLINK):  # swapped for a link meanwhile
                raise UnsafePathError(LINK, where, LINK_ADVICE) from None
            raise
    finally:
        if folder >= 0:
            os.close(folder)
    return _read_open(descriptor, where, limit)


def read_file(path: Path, limit: int, within: Path | None = None) -> bytes:
    """The bytes of a file named by the user or by another file; errors for a missing one too.

    within: the folder the file must be inside, every part below it checked; by default the
    file's own folder, so only the file itself must not be a link.
    """
    path = Path(os.path.abspath(path))
    root = Path(os.path.abspath(within)) if within is not None else path.parent
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        raise UnsafePathError(f"is outside {root}, the folder it belongs to", path) from None
    if relative == ".":
        raise UnsafePathError(FOLDER, path)
    found = read(root, relative, limit)
    if found is None:
        raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
    return found


def locate(base: Path, written: str) -> tuple[Path, str]:
    """(root, relative) of the path `written` in a file whose folder is base.

    The root is the deepest folder of base that the path stays inside once '..' parts are
    taken away (base is resolved first); everything below it is checked on every read.
    """
    base = base.resolve()
    target = Path(os.path.normpath(os.path.join(base, written)))
    root = base
    while root != root.parent and not target.is_relative_to(root):
        root = root.parent
    relative = target.relative_to(root).as_posix()
    return root, relative


def lstat(root: Path, relative: str) -> os.stat_result | None:
    """What is at root/relative without following a link on the way, None when absent.

    A link below the root (the entry itself included) is an UnsafePathError.
    """
    parts = require_relative(relative).split("/")
    for depth in range(1, len(parts) + 1):
        path = root.joinpath(*parts[:depth])
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.S_ISLNK(info.st_mode):
            raise UnsafePathError(LINK, path, LINK_ADVICE)
        if depth < len(parts) and not stat.S_ISDIR(info.st_mode):
            raise UnsafePathError(
                f"is not a folder, but {relative} should be inside it",
                path,
                "move it away and run the command again",
            )
    return info


FOLDER = "is a folder, not a file"


def kind_problem(info: os.stat_result) -> str | None:
    """What is wrong with reading what info describes as a file, or None for a regular file."""
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is a device, not a file"


def too_large(limit: int) -> str:
    return f"is larger than {limit:,} bytes, the most pypestream-braze reads of such a file"


def _require_regular(info: os.stat_result, where: Path, limit: int) -> None:
    problem = kind_problem(info)
    if problem == LINK:
        raise UnsafePathError(LINK, where, LINK_ADVICE)
    if problem is not None:
        raise UnsafePathError(problem, where)
    if info.st_size > limit:
        raise UnsafePathError(too_large(limit), where)


def _open_folder(folder: int, part: str, root: Path, parts: list[str]) -> int:
    """The descriptor of the folder part inside folder, -1 when absent; never a link."""
    try:
        return os.open(part, _FOLDER_FLAGS, dir_fd=folder)
    except FileNotFoundError:
        return -1
    except OSError as err:
        if err.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise
    where = root.joinpath(*parts)
    try:
        info = os.lstat(part, dir_fd=folder)
    except FileNotFoundError:
        return -1
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePathError(LINK, where, LINK_ADVICE)
    raise UnsafePathError(
        f"is not a folder, but {'/'.join(parts)} should be one",
        where,
        "move it away and run the command again",
    )


def _read_open(descriptor: int, where: Path, limit: int) -> tuple[bytes, os.stat_result]:
    try:
        info = os.fstat(descriptor)
        _require_regular(info, where, limit)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:  # grew while read
        raise UnsafePathError(too_large(limit), where)
    return data, info


def _read_by_path(
    root: Path, parts: list[str], limit: int
) -> tuple[bytes, os.stat_result] | None:  # pragma: no cover - for systems without openat
    relative = "/".join(parts)
    info = lstat(root, relative)
    if info is None:
        return None
    where = root / relative
    _require_regular(info, where, limit)
    try:
        descriptor = os.open(where, _FILE_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK):  # swapped for a link meanwhile
            raise UnsafePathError(LINK, where, LINK_ADVICE) from None
        raise
    return _read_open(descriptor, where, limit)
