"""Where a bundle goes when no --out is given: `bundles/<env>/` in the solution, a folder that
keeps itself out of version control.

    default_place(root, env) -> Path       bundles/ made ready, its .gitignore in place
    ignored(root, out) -> bool             whether out is inside that folder
    replacing(out)                         a context: the previous bundle at out moved aside,
                                           deleted once the new one is there, put back if not

`bundles/` holds a `.gitignore` of `*`, as `.pytest_cache/` and `.ruff_cache/` do: git then
ignores the folder and everything in it (the .gitignore too) wherever the solution lives, in a
repository of its own or in a team's, whatever the solution's own .gitignore says, and so do
black and ruff. A bundle with an API key in it can therefore be written there: it is the one
place inside the solution `--embed-key` accepts.

The folder is the tool's own: a `bundles/` that is not (no such .gitignore) is refused rather
than taken over, and a bundle in it is replaced by the next one for the same environment.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import reading
from ..errors import UsageError

FOLDER = "bundles"
IGNORE_ALL = "*\n"
_GITIGNORE = ".gitignore"


def default_place(root: Path, env: str) -> Path:
    """root/bundles/env, with bundles/ and its .gitignore made if missing."""
    folder = root / FOLDER
    info = _lstat(folder)
    if info is None:
        staging = Path(tempfile.mkdtemp(prefix=f".{FOLDER}-", dir=root))
        try:  # appears with its .gitignore, never without
            (staging / _GITIGNORE).write_text(IGNORE_ALL, encoding="utf-8")
            os.rename(staging, folder)
        except FileExistsError:  # another bundle made it meanwhile
            pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if not ignored(root, folder):
        raise UsageError(
            f"{FOLDER}/ in the solution is not the folder pypestream-braze bundles into (a "
            f"real folder holding a {_GITIGNORE} of '*', so git ignores it) but one of your "
            "own; give --out",
            path=folder,
        )
    return folder / env


def ignored(root: Path, out: Path) -> bool:
    """Whether out is root/bundles or below it, and that folder ignores everything in it."""
    folder = root / FOLDER
    if out != folder and folder not in out.parents:
        return False
    try:
        marker = reading.read(root, f"{FOLDER}/{_GITIGNORE}", 64)
    except (OSError, reading.UnsafePathError):
        return False
    return marker is not None and marker.decode("utf-8", "replace") == IGNORE_ALL


@contextmanager
def replacing(out: Path) -> Iterator[None]:
    """The bundle at out (a folder or file) moved aside while the new one is written; deleted
    once it is there, put back if it could not be."""
    if _lstat(out) is None:
        yield
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}-previous-", dir=out.parent)) / out.name
    os.rename(out, aside)
    try:
        yield
    except BaseException:
        if _lstat(out) is None:
            os.rename(aside, out)
        raise
    finally:
        shutil.rmtree(aside.parent, ignore_errors=True)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
