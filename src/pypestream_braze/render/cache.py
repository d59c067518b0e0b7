"""Formatted Python kept on disk between runs, keyed by the text before formatting.

    store = open_store(namespace)      # None when there is no usable cache folder
    store.get(source) -> str | None
    store.put(source, formatted)

The namespace names everything the result depends on besides the text (black's version and
mode, the way modules are cut); each namespace has its own folder. An entry is a file named
by the hash of its key, holding that hash, the hash of its text and the text (compressed). It
is used only when both hashes check out, so a torn, truncated or stray file is a miss, and the
fresh result replaces it. Entries are written to a temporary file and renamed into place, so
a reader never sees half an entry. The folder is the user's own: created 0700, and one owned
by someone else or writable by others is not used at all. Entries unused for a month are
deleted, at most once a day. Nothing here ever fails a command: a cache that cannot be read
or written is a cache that misses.

The folder is $PYPESTREAM_BRAZE_CACHE_DIR if set (empty: no cache), else the platform's user
cache folder (on Linux $XDG_CACHE_HOME/pypestream-braze, by default ~/.cache/pypestream-braze).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
import zlib
from pathlib import Path

from .. import reading

ENV_VAR = "PYPESTREAM_BRAZE_CACHE_DIR"
MAGIC = b"pypestream-braze formatted 2\n"
UNUSED_FOR = 30 * 24 * 3600  # seconds before an unused entry is deleted
PRUNE_EVERY = 24 * 3600
MAX_ENTRY = 16 * 1024 * 1024  # bytes of an entry read (compressed)
MAX_TEXT = 64 * 1024 * 1024  # characters it may expand to: a zip bomb is no entry
_PRUNED_STAMP = "pruned"


def cache_root() -> Path | None:
    configured = os.environ.get(ENV_VAR)
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    from platformdirs import user_cache_dir  # honours XDG_CACHE_HOME

    return Path(user_cache_dir("pypestream-braze", appauthor=False))


def open_store(namespace: str) -> Store | None:
    root = cache_root()
    if root is None:
        return None
    folder = root / _digest(namespace.encode("utf-8"))[:24]
    try:
        _private_folder(root)
        _private_folder(folder)
    except OSError:
        return None
    store = Store(folder, namespace)
    store.prune_now_and_then(root)
    return store


class Store:
    def __init__(self, folder: Path, namespace: str):
        self.folder = folder
        self.namespace = namespace.encode("utf-8")

    def get(self, source: str) -> str | None:
        key = self._key(source)
        if key is None:
            return None
        path = self._path(key)
        try:  # the cache is input too: no link followed, no FIFO opened, its size bounded
            found = reading.read_with_info(self.folder, f"{key[:2]}/{key[2:]}", MAX_ENTRY)
            if found is None:
                return None
            data, info = found
            if time.time() - info.st_mtime > PRUNE_EVERY:
                os.utime(path, follow_symlinks=False)  # still in use: not pruned
        except (OSError, reading.UnsafePathError):
            return None
        return _parse(data, key)

    def put(self, source: str, formatted: str) -> None:
        key = self._key(source)
        try:
            text = formatted.encode("utf-8")
        except UnicodeEncodeError:
            return
        if key is None:
            return
        path = self._path(key)
        entry = MAGIC + key.encode() + b"\n" + _digest(text).encode() + b"\n" + zlib.compress(text)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(entry)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def prune_now_and_then(self, root: Path) -> None:
        """Delete entries unused for UNUSED_FOR, in every namespace, at most once a day."""
        stamp = root / _PRUNED_STAMP
        try:
            if time.time() - stamp.stat().st_mtime < PRUNE_EVERY:
                return
        except OSError:
            pass
        try:
            stamp.touch()
        except OSError:
            return
        cutoff = time.time() - UNUSED_FOR
        for entry in root.glob("*/*/*"):
            with contextlib.suppress(OSError):
                if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < cutoff:
                    entry.unlink()

    def _key(self, source: str) -> str | None:
        try:
            return _digest(self.namespace + b"\0" + source.encode("utf-8"))
        except UnicodeEncodeError:
            return None

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]


def _parse(data: bytes, key: str) -> str | None:
    """The entry's text, if it is whole and is the entry for key."""
    header = len(MAGIC) + 2 * (64 + 1)
    if not data.startswith(MAGIC) or len(data) < header:
        return None
    stored_key, stored_digest = data[len(MAGIC) : header].decode("ascii", "replace").split("\n")[:2]
    if stored_key != key:
        return None
    try:
        inflate = zlib.decompressobj()
        text = inflate.decompress(data[header:], MAX_TEXT)
        if inflate.unconsumed_tail or not inflate.eof:  # too large (a zip bomb), or torn
            return None
        return text.decode("utf-8") if stored_digest == _digest(text) else None
    except (zlib.error, UnicodeDecodeError):
        return None


def _private_folder(folder: Path) -> None:
    """folder, created 0700; raises OSError when it is not the user's alone to write."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.stat()
    if not hasattr(os, "getuid"):
        return
    if status.st_uid != os.getuid() or status.st_mode & 0o022:
        raise PermissionError(f"{folder}: not private to this user; the cache is not used")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
