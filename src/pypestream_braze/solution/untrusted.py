"""Running a solution's own code (the drift probe): never with the caller's secrets.

    run_untrusted(command, stdin, home, timeout) -> CompletedProcess

A hand-edited node is code anyone with write access to the solution wrote; `check` in a CI gate
runs it on pull requests, where the deploy key is in the environment. So the process gets an
environment built from an allow-list (PATH and the locale, HOME and the temporary folder
pointing at a fresh folder), never a copy of ours with some names removed: a key under a name
nobody thought of is kept out too. It runs in that fresh folder, in a process group of its own
killed whole at the time limit, and what it prints and writes is bounded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile

# What a process running a solution's code is given of this one's environment: enough for
# Python to start and decode text, nothing else (no API key, no token, no proxy password).
KEPT_VARIABLES = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "WINDIR", "TZ")
MAX_ANSWER = 16 * 1024 * 1024  # what is read of its stdout and stderr each


def untrusted_environment(home: str) -> dict[str, str]:
    """The environment of a process that runs a solution's code: no secret of the caller's."""
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(HOME=home, USERPROFILE=home, TMPDIR=home, TEMP=home, TMP=home)
    return env


def run_untrusted(
    command: list[str], stdin: str, home: str, timeout: float
) -> subprocess.CompletedProcess:
    """Run command on a solution's code: an environment without secrets (untrusted_environment),
    home as its working folder, home and temporary folder, in a process group of its own that
    is killed whole (whatever it started too) when it takes longer than timeout seconds. What
    it prints goes to unnamed files, no file it writes may grow past MAX_ANSWER, and only that
    much of each is read back."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            cwd=home,
            env=untrusted_environment(home),
            start_new_session=os.name == "posix",
            preexec_fn=_limit_file_size if os.name == "posix" else None,
        )
        try:
            process.communicate(stdin.encode("utf-8"), timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise
        finally:
            if process.poll() is None:
                _kill(process)
        if os.name == "posix":  # a grandchild it left behind goes with it
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
        texts = []
        for stream in (out, err):
            stream.seek(0)
            texts.append(stream.read(MAX_ANSWER).decode("utf-8", "replace"))
    return subprocess.CompletedProcess(command, process.returncode, *texts)


def _limit_file_size() -> None:  # pragma: no cover - runs in the child, before exec
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_ANSWER, MAX_ANSWER))


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover
            process.kill()
    process.wait()
