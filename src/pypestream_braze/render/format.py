"""Generated Python formatted with black, in process and pinned (see pyproject.toml).

Formatting happens before anything is hashed, compared or merged, so a solution's files, its
baselines and a fresh render all share one form.

black is the slowest step of generation, so it is given as little as possible: every module
is cut where black lays out its parts independently (layout.py), each distinct piece is
formatted once (a helper shared by two hundred nodes, once), pieces and modules formatted by
an earlier run are read back from the on-disk cache (cache.py), and what is left is shared
among the cores when there is enough of it to pay for starting a process. The result is what
`black.format_str` makes of each module whole, byte for byte (tests/render/test_format.py).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache as once

from . import cache, layout

# black's default line length, so `black --check` passes on a solution with or without its
# pyproject.toml; Python 3.8 as the oldest target, since Pypestream does not publish its own.
# MODE is built from these on first use: a run that finds all its code in the cache never
# imports black (a quarter of a second).
TARGET_VERSIONS = ("PY38",)

# Everything a formatted text depends on besides the text; a change to any is a fresh cache.
# Bump LAYOUT_VERSION with any change to layout.py.
LAYOUT_VERSION = 1

# Below this much unformatted text per extra process, forking costs more than it saves.
CHARS_PER_PROCESS = 40_000

_memo: dict[str, str] = {}  # this process's results, modules and pieces alike
_MEMO_LIMIT = 50_000
_store_opened = False
_store: cache.Store | None = None


class GeneratedCodeError(Exception):
    """A template produced Python that does not parse: a bug in the generator, never the spec."""


def __getattr__(name: str):
    if name == "MODE":
        return _mode()
    if name == "black":
        return _black()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def namespace() -> str:
    """What a cache entry's key says besides the text: black's version, the mode, the layout."""
    try:
        from _black_version import version  # black's own version module, without black
    except ImportError:
        version = _black().__version__
    return f"black {version} targets {','.join(TARGET_VERSIONS)} layout {LAYOUT_VERSION}"


def format_python(source: str, path: str = "<generated>") -> str:
    return format_modules({path: source})[path]


def format_python_parts(parts: Sequence[str], path: str = "<generated>") -> str:
    return format_modules({path: parts})[path]


def format_modules(sources: Mapping[str, str | Sequence[str]]) -> dict[str, str]:
    """path -> module formatted as black.format_str would, for every path of sources.

    A module given as a sequence of parts, each holding whole top-level statements, is each
    part formatted and the parts joined by two blank lines (black's blank lines between
    top-level definitions).
    """
    modules = {
        path: [value] if isinstance(value, str) else [part for part in value if part.strip()]
        for path, value in sources.items()
    }
    where: dict[str, str] = {}
    for path, parts in modules.items():
        for part in parts:
            where.setdefault(part, path)
    formatted = _format_texts(where)
    return {path: "\n\n".join(formatted[part] for part in parts) for path, parts in modules.items()}


def _format_texts(where: Mapping[str, str]) -> dict[str, str]:
    """Each module text formatted; where names a file each one comes from, for errors."""
    store = _open_store()
    done: dict[str, str] = {}
    layouts: dict[str, list[layout.Piece]] = {}
    for text in where:
        found = _known(text, store)
        if found is None:
            layouts[text] = layout.split(text)
        else:
            done[text] = found
    pieces: dict[str, str | None] = {}
    for piece in {piece.source for split in layouts.values() for piece in split}:
        pieces[piece] = _known(piece, store)
    fresh = _format_all([piece for piece, found in pieces.items() if found is None])
    for piece, result in fresh.items():
        pieces[piece] = result
        if result is not None:
            _remember(piece, result, store)
    for text, split in layouts.items():
        results = [pieces[piece.source] for piece in split]
        formatted = [result for result in results if result is not None]
        try:
            if len(formatted) < len(results):
                raise ValueError("black cannot format a piece")
            done[text] = layout.join(split, formatted)
        except ValueError:  # the module whole: raises with black's own message if it must
            done[text] = _black_or_error(text, where[text])
        if len(split) > 1:
            _remember(text, done[text], store)
    return done


def _known(text: str, store: cache.Store | None) -> str | None:
    found = _memo.get(text)
    if found is None and store is not None:
        found = store.get(text)
        if found is not None:
            _remember(text, found, None)
    return found


def _remember(text: str, formatted: str, store: cache.Store | None) -> None:
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[text] = formatted
    if store is not None:
        store.put(text, formatted)


def _open_store() -> cache.Store | None:
    global _store, _store_opened
    if not _store_opened:
        _store, _store_opened = cache.open_store(namespace()), True
    return _store


def _black_or_error(text: str, path: str) -> str:
    black = _black()
    try:
        return black.format_str(text, mode=_mode())
    except black.InvalidInput as err:
        raise GeneratedCodeError(f"{path}: generated code does not parse: {err}") from err


def _format_all(sources: list[str]) -> dict[str, str | None]:
    """Each source formatted (None where black cannot), on as many cores as it is worth."""
    if not sources:
        return {}  # all found: black is not even imported
    shares = _shares(sources, _processes(sum(map(len, sources))))
    if len(shares) < 2:
        return dict(_format_share(sources))
    results: dict[str, str | None] = {}
    try:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(len(shares) - 1, mp_context=_context()) as pool:
            futures = [pool.submit(_format_share, share) for share in shares[1:]]
            results.update(_format_share(shares[0]))  # this process takes a share too
            for future in futures:
                results.update(future.result())
    except (OSError, RuntimeError, ImportError):  # no processes here: format what is left
        pass
    missing = [source for source in sources if source not in results]
    results.update(_format_share(missing))
    return results


def _format_share(sources: Iterable[str]) -> list[tuple[str, str | None]]:
    black, mode = _black(), _mode()
    out = []
    for source in sources:
        try:
            out.append((source, black.format_str(source, mode=mode)))
        except black.InvalidInput:
            out.append((source, None))
    return out


def _black():
    import black

    return black


@once
def _mode():
    black = _black()
    return black.Mode(target_versions={black.TargetVersion[name] for name in TARGET_VERSIONS})


def _processes(chars: int) -> int:
    """How many processes to format chars of text in: one per CHARS_PER_PROCESS, one per core.

    Only where a process can be forked safely: on Linux, from a process without other threads
    (a lock one of them holds would stay locked in the child). Elsewhere a new process would
    start by running the main script again, and a cookiecutter hook is a script that must run
    once, so everything is formatted here.
    """
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0))
    return max(1, min(cores, chars // CHARS_PER_PROCESS))


def _shares(sources: list[str], count: int) -> list[list[str]]:
    """sources in count lists of about equal length, longest first (greedy)."""
    if count < 2:
        return [sources] if sources else []
    shares: list[list[str]] = [[] for _ in range(count)]
    sizes = [0] * count
    for source in sorted(sources, key=len, reverse=True):
        smallest = sizes.index(min(sizes))
        shares[smallest].append(source)
        sizes[smallest] += len(source)
    return [share for share in shares if share]


def _context():
    import multiprocessing

    return multiprocessing.get_context("fork")  # see _processes: only on Linux, one thread
