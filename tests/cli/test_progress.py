"""The progress line: only on a terminal, only for work that outlasts its delay, gone after."""

from __future__ import annotations

import contextlib
import io
import sys
import time

import pytest

from pypestream_braze.cli import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def short_delay(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(progress, "DELAY", 0.05)


@contextlib.contextmanager
def stderr(stream):
    # Set inside the test itself: pytest puts its own capture back between setup and call.
    saved, sys.stderr = sys.stderr, stream
    try:
        yield stream
    finally:
        sys.stderr = saved


def test_long_work_on_a_terminal_shows_its_progress():
    with stderr(Terminal()) as screen, progress.progress("checking", total=4) as shown:
        time.sleep(0.3)
        shown.advance()
        time.sleep(0.3)
    assert "checking" in screen.getvalue()
    assert "1/4" in screen.getvalue()


def test_quick_work_shows_nothing(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 5)
    with stderr(Terminal()) as screen, progress.progress("checking", total=4) as shown:
        shown.advance()
    assert screen.getvalue() == ""


def test_nothing_when_stderr_is_not_a_terminal():
    with stderr(io.StringIO()) as captured, progress.progress("checking") as shown:
        time.sleep(0.2)
        shown.describe("still checking")
    assert captured.getvalue() == ""
