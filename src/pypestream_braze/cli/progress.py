"""A progress line for work that takes a while, on a terminal only.

    with progress("generating AcmeClaims") as shown:          a spinner and the time taken
    with progress("checking", total=40) as shown:              a bar, shown.advance() per item

Nothing appears unless stderr is a terminal and the work is still running after DELAY seconds,
so quick commands, pipes, files and tests see exactly the plain output. The line is drawn on
stderr and removed when the work ends; results printed meanwhile appear above it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY = 1.0


@contextlib.contextmanager
def progress(description: str, total: int | None = None):
    if not _on_a_terminal():
        yield _Quiet()
        return
    shown = _Delayed(description, total)
    try:
        yield shown
    finally:
        shown.stop()


class _Quiet:
    def advance(self, steps: int = 1) -> None:
        pass

    def describe(self, description: str) -> None:
        pass


class _Delayed:
    """Counts from the start; draws only once DELAY has passed (on a timer thread)."""

    def __init__(self, description: str, total: int | None):
        self._description = description
        self._total = total
        self._done = 0
        self._lock = threading.Lock()
        self._display: Progress | None = None
        self._task: TaskID | None = None
        self._stopped = False
        self._timer = threading.Timer(DELAY, self._start)
        self._timer.daemon = True
        self._timer.start()

    def advance(self, steps: int = 1) -> None:
        with self._lock:
            self._done += steps
            if self._display is not None and self._task is not None:
                self._display.update(self._task, completed=self._done)

    def describe(self, description: str) -> None:
        with self._lock:
            self._description = description
            if self._display is not None and self._task is not None:
                self._display.update(self._task, description=description)

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            if self._display is not None:
                self._display.stop()
                self._display = None

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = [SpinnerColumn(), TextColumn("{task.description}")]
        if self._total:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns.append(TimeElapsedColumn())
        with self._lock:
            if self._stopped:
                return
            display = Progress(
                *columns,
                console=Console(file=sys.stderr),
                transient=True,
                # Results printed meanwhile go above the line, but only when they go to the
                # same terminal: piped results must stay on stdout.
                redirect_stdout=_is_terminal(sys.stdout),
                redirect_stderr=True,
            )
            self._task = display.add_task(
                self._description, total=self._total, completed=self._done
            )
            display.start()
            self._display = display


def _on_a_terminal() -> bool:
    return _is_terminal(sys.stderr) and os.environ.get("TERM") != "dumb"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
