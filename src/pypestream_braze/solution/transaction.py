"""Writing and deleting a set of files inside a solution: all of it or none of it, even if killed.

    apply(root, writes, deletes)    the change, under the solution's lock
    recover(root) -> notes          run by every command first, under the lock

While a change runs, `.pypestream-braze/transaction/` holds it:

    new/<n>        the new text of step n
    old/<n>        the file step n replaces or deletes (a hard link, or a copy)
    journal.json   the steps, each with the sha256 of the file before and after
    undo.json      the same, renamed from journal.json when a failure makes the change go back

1. Stage: every new text and every backup is written into the folder, then journal.json (a
   temporary file renamed into place). Nothing in the solution has changed yet; a kill leaves
   only the folder, which the next command removes.
2. Apply: in order, each staged file is moved into place (os.replace, atomic) or its file is
   deleted; the caller puts state.json last. The journal's appearance is the commit point: a
   kill from here on is finished by the next command, which moves the remaining staged files.
3. Done: journal.json is renamed done.json, then the folder is removed.

A failure while applying (a read-only folder, a full disk) renames the journal to undo.json and
puts every file back from its backup; a file it cannot put back is named, and the next command
goes on undoing. Redoing or undoing touches a file only if it still holds what the change
expects (its old or new text, by hash): one edited since is left alone and named.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import PypestreamBrazeError
from . import lock
from .boundary import Folder, UnsafePathError, path_problem, remove_tree, require_relative
from .state import STATE_DIR

FOLDER = f"{STATE_DIR}/transaction"
JOURNAL = "journal.json"
UNDO = "undo.json"
DONE = "done.json"
LEGACY_STAGING_PREFIX = ".pypestream-braze-staging-"  # written by earlier versions at the root
MAX_JOURNAL = 16 * 1024 * 1024  # far above the record of a regen of the largest solution
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class TransactionError(PypestreamBrazeError):
    """The solution could not be changed; says what is on disk now."""

    tells_what_was_written = True


@dataclass(frozen=True)
class Step:
    path: str
    before: str | None  # sha256 of the file before, None if it did not exist
    after: str | None  # sha256 of the new text, None for a delete
    mode: int | None = None  # permission bits of the file replaced, kept on the new one

    def to_json(self) -> dict:
        return {"path": self.path, "before": self.before, "after": self.after}


def apply(root: Path, writes: Mapping[str, str], deletes: Iterable[str] = ()) -> None:
    """Write writes (relative path -> text, in order) and delete deletes, or change nothing."""
    deletes = [require_relative(path) for path in deletes]
    if not writes and not deletes:
        return
    held = lock.acquire(root)
    try:
        folder = Folder(root)
        steps, folders = _steps(folder, writes, deletes)
        txn = _stage(folder, steps, folders, writes)
        _apply(folder, txn, steps, folders)
    finally:
        held.release()


def recover(root: Path) -> list[tuple[str, str]]:
    """Finish or undo a change a killed command left, remove its staging; (where, what) done.

    The caller holds the lock. Everything in the transaction folder is input like any other:
    its folders must be real folders, its records regular files of sensible size, and a staged
    file is moved only if it is a regular file inside the folder holding the text the journal
    says (by hash); anything else is an error naming it, and nothing is moved.
    """
    folder = Folder(root)
    notes = _remove_legacy_staging(root)
    if not folder.require_folder(STATE_DIR) or not folder.require_folder(FOLDER):
        return notes
    txn = root / FOLDER
    for part in ("new", "old"):
        folder.require_folder(f"{FOLDER}/{part}")  # a link there is refused, never followed
    if folder.file_info(f"{FOLDER}/{JOURNAL}") is not None:
        steps, folders = _read_journal(folder, JOURNAL)
        left = _redo_all(folder, txn, steps, folders)
        what = "finished the interrupted change it had begun"
    elif folder.file_info(f"{FOLDER}/{UNDO}") is not None:
        steps, folders = _read_journal(folder, UNDO)
        left = _undo_all(folder, txn, steps, folders)
        what = "undid the interrupted change that had failed"
    elif folder.file_info(f"{FOLDER}/{DONE}") is not None:
        steps, left = [], []
        what = "removed what a finished change left behind"
    else:
        steps, left = [], []
        what = "removed the staging of an interrupted change; nothing had been changed"
    if left:
        raise TransactionError(_left_message(root, left, what))
    _discard(root, txn)
    count = f" ({len(steps)} file{'s' * (len(steps) != 1)})" if steps else ""
    return [*notes, (str(txn), what + count)]


def _steps(folder: Folder, writes: Mapping[str, str], deletes: list[str]):
    steps: list[Step] = []
    folders: list[str] = []
    for path in deletes:
        info = folder.file_info(path)
        if info is not None:
            steps.append(Step(path, _sha(folder.read(path) or b""), None))
    for path, text in writes.items():
        require_relative(path)
        info = folder.file_info(path)
        before = None if info is None else _sha(folder.read(path) or b"")
        mode = None if info is None else info.st_mode & 0o7777
        steps.append(Step(path, before, _sha(text.encode("utf-8")), mode))
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            parent = "/".join(parts[:depth])
            if parent not in folders and not folder.require_folder(parent):
                folders.append(parent)
    return steps, folders


def _stage(folder: Folder, steps: list[Step], folders: list[str], writes) -> Path:
    """Everything the change needs, in the transaction folder; the journal last."""
    root = folder.root
    created_state_dir = not folder.require_folder(STATE_DIR)
    if folder.require_folder(FOLDER):
        raise TransactionError(
            "an interrupted change is still there; run the command again", path=root / FOLDER
        )
    txn = root / FOLDER
    try:
        if created_state_dir:
            os.mkdir(root / STATE_DIR)
        os.mkdir(txn)
        os.mkdir(txn / "new")
        os.mkdir(txn / "old")
        for n, step in enumerate(steps):
            if step.after is not None:
                _write(txn / "new" / str(n), writes[step.path].encode("utf-8"), step.mode)
            if step.before is not None:
                _backup(folder, step.path, txn / "old" / str(n))
        journal = {"format": 1, "folders": folders, "steps": [s.to_json() for s in steps]}
        _write(txn / "journal.tmp", json.dumps(journal, indent=1).encode("utf-8"))
        os.replace(txn / "journal.tmp", txn / JOURNAL)
    except BaseException as err:
        _discard(root, txn)
        if isinstance(err, OSError):
            raise TransactionError(
                f"{_reason(err)} while preparing the new files in {txn}; "
                "nothing in the solution was changed"
            ) from None
        raise
    return txn


def _apply(folder: Folder, txn: Path, steps: list[Step], folders: list[str]) -> None:
    root = folder.root
    current = ""
    try:
        for relative in folders:
            current = relative
            if not folder.require_folder(relative):
                os.mkdir(root / relative)
        for n, step in enumerate(steps):
            current = step.path
            folder.lstat(step.path)  # refuses a link put there since the plan
            if step.after is None:
                os.unlink(root / step.path)
            else:
                os.replace(txn / "new" / str(n), root / step.path)
        _remove_emptied(folder, steps)
    except BaseException as err:
        failure = f"{root / current}: {_reason(err)}" if isinstance(err, OSError) else None
        os.replace(txn / JOURNAL, txn / UNDO)
        left = _undo_all(folder, txn, steps, folders)
        if left:
            raise TransactionError(
                f"could not write {failure or type(err).__name__}; "
                + _left_message(root, left, "put every other file back as it was")
            ) from None
        _discard(root, txn)
        if failure is None:
            raise
        raise TransactionError(
            f"could not write {failure}; every file was put back as it was: nothing was changed"
        ) from None
    os.replace(txn / JOURNAL, txn / DONE)
    _discard(root, txn)


def _redo_all(folder: Folder, txn: Path, steps: list[Step], folders: list[str]) -> list[str]:
    left = []
    for n, step in enumerate(steps):
        try:
            if not _redo(folder, txn, n, step):
                left.append(f"{step.path} (changed since)")
        except (OSError, UnsafePathError) as err:
            reason = _reason(err) if isinstance(err, OSError) else f"{err.path}: {err}"
            left.append(f"{step.path} ({reason})")
    if not left:
        _remove_emptied(folder, steps)
    return left


def _redo(folder: Folder, txn: Path, n: int, step: Step) -> bool:
    target = folder.root / step.path
    current = _current(folder, step.path)
    if step.after is None:
        if current is not None and current == step.before:
            os.unlink(target)
        return current in (None, step.before)
    staged = _staged(folder, "new", n, step.after)
    if staged is None:
        return True  # moved into place before the kill
    if current not in (None, step.before, step.after):
        return False
    _make_parents(folder, step.path)
    os.replace(staged, target)
    return True


def _undo_all(folder: Folder, txn: Path, steps: list[Step], folders: list[str]) -> list[str]:
    left = []
    for n in reversed(range(len(steps))):
        step = steps[n]
        try:
            if not _undo(folder, txn, n, step):
                left.append(f"{step.path} (changed since)")
        except (OSError, UnsafePathError) as err:
            reason = _reason(err) if isinstance(err, OSError) else f"{err.path}: {err}"
            left.append(f"{step.path} ({reason})")
    for relative in reversed(folders):
        _remove_if_empty(folder.root / relative)
    return left


def _undo(folder: Folder, txn: Path, n: int, step: Step) -> bool:
    target = folder.root / step.path
    current = _current(folder, step.path)
    if current == step.before:
        return True  # never changed, or already put back
    if step.before is None:  # the change created it
        if current == step.after:
            os.unlink(target)
        return current in (None, step.after)
    if current is not None and current != step.after:
        return False
    backup = _staged(folder, "old", n, step.before)
    if backup is None:
        return False
    _make_parents(folder, step.path)
    os.replace(backup, target)
    return True


def _staged(folder: Folder, kind: str, n: int, sha: str) -> Path | None:
    """The staged file kind/n, None when absent; an error unless it holds the text of sha."""
    relative = f"{FOLDER}/{kind}/{n}"
    data = folder.read(relative)  # refuses a link, a FIFO, a device, a folder
    if data is None:
        return None
    if _sha(data) != sha:
        raise UnsafePathError(
            "does not hold the text the record of the interrupted change expects",
            folder.root / relative,
        )
    return folder.root / relative


def _current(folder: Folder, relative: str) -> str | None:
    data = folder.read(relative)
    return None if data is None else _sha(data)


def _make_parents(folder: Folder, relative: str) -> None:
    parts = relative.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        parent = "/".join(parts[:depth])
        if not folder.require_folder(parent):
            os.mkdir(folder.root / parent)


def _remove_emptied(folder: Folder, steps: list[Step]) -> None:
    """Folders a delete left empty go too, up to the solution root."""
    for step in steps:
        if step.after is not None:
            continue
        parts = step.path.split("/")[:-1]
        while parts and _remove_if_empty(folder.root / "/".join(parts)):
            parts.pop()


def _remove_if_empty(path: Path) -> bool:
    try:
        if path.is_symlink() or not path.is_dir() or any(path.iterdir()):
            return False
        os.rmdir(path)
    except OSError:
        return False
    return True


def _discard(root: Path, txn: Path) -> None:
    remove_tree(txn)
    _remove_if_empty(root / STATE_DIR)


def _remove_legacy_staging(root: Path) -> list[tuple[str, str]]:
    """Remove the staging folders earlier versions left at the root, and only those."""
    notes = []
    for entry in os.scandir(root):
        if _LEGACY_STAGING.fullmatch(entry.name) and _made_by_earlier_version(Path(entry.path)):
            remove_tree(Path(entry.path))
            notes.append((entry.path, "removed the staging folder an interrupted command left"))
    return notes


# tempfile.mkdtemp's names: the prefix, then 8 of its characters.
_LEGACY_STAGING = re.compile(re.escape(LEGACY_STAGING_PREFIX) + r"[a-z0-9_]{8}")


def _made_by_earlier_version(path: Path) -> bool:
    """A real folder holding nothing but the real folders new/ and backup/ those versions made.

    A folder of the user's that happens to have such a name is left alone.
    """
    try:
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        children = list(os.scandir(path))
    except (OSError, AttributeError):  # no getuid on Windows: leave it
        return False
    return all(
        child.name in ("new", "backup") and child.is_dir(follow_symlinks=False)
        for child in children
    )


def _read_journal(folder: Folder, name: str) -> tuple[list[Step], list[str]]:
    path = folder.root / FOLDER / name
    try:
        data = json.loads(folder.text(f"{FOLDER}/{name}", MAX_JOURNAL) or "")
        folders = data["folders"]
        steps = [Step(s["path"], s["before"], s["after"]) for s in data["steps"]]
        if data["format"] != 1 or not isinstance(folders, list):
            raise ValueError
        for relative in [*folders, *(s.path for s in steps)]:
            if path_problem(relative) is not None:
                raise ValueError
        for step in steps:
            for sha in (step.before, step.after):
                if sha is not None and (not isinstance(sha, str) or len(sha) != 64):
                    raise ValueError
            if step.path == FOLDER or step.path.startswith(FOLDER + "/"):
                raise ValueError  # the record would move its own staging
    except (OSError, ValueError, KeyError, TypeError, RecursionError, UnsafePathError):
        raise TransactionError(
            f"the record of an interrupted change is damaged; check the solution's "
            f"files by hand (version control helps), then delete {path.parent}",
            path=path,
        ) from None
    return steps, folders


def _left_message(root: Path, left: list[str], what: str) -> str:
    return (
        f"{what}, but not: {', '.join(left)}; these hold the new version or your later edit. "
        f"Fix the cause and run any pypestream-braze command on {root} to finish, "
        f"or restore them by hand and delete {root / FOLDER}"
    )


def _write(path: Path, data: bytes, mode: int | None = None) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
    descriptor = os.open(path, flags, 0o666)
    try:
        if mode is not None:
            os.chmod(descriptor, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def _backup(folder: Folder, relative: str, backup: Path) -> None:
    try:
        os.link(folder.root / relative, backup, follow_symlinks=False)
    except OSError:  # no hard links here (some file systems, some platforms): copy
        _write(backup, folder.read(relative) or b"")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "no space left on the device"
    return err.strerror or str(err)
