"""Killed at any moment, a solution is its old version or its new one once the next command ran.

Each command runs in a forked child whose file-system calls (os.replace, rename, unlink, write,
link, mkdir, rmdir and the folder exchange) are counted; the child dies with os._exit(9) at the
k-th call, for every k until the command runs to its end. Then the next command recovers, and
every file of the solution (the state and baselines included) must be exactly the old or the
new version, with nothing left behind. A shorter loop kills at random moments with SIGKILL.
"""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import black
import pytest
from test_regen import change_mapping, hand_edit

from pypestream_braze.cli.main import main
from pypestream_braze.cli.template import bundled_mapping
from pypestream_braze.render import files
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import generate, merge, regen, swap, transaction

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child per kill point")

COUNTED = ("replace", "rename", "unlink", "write", "link", "mkdir", "rmdir")
KILLED = 9
_FORMATTED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _render_once(monkeypatch):
    """Children render what the parent rendered: black's results and Jinja's templates cached."""
    real = black.format_str

    def cached(source, *, mode):
        if source not in _FORMATTED:
            _FORMATTED[source] = real(source, mode=mode)
        return _FORMATTED[source]

    monkeypatch.setattr(formatting.black, "format_str", cached)
    monkeypatch.setattr(files, "jinja_environment", functools.cache(files.jinja_environment))


@pytest.fixture
def scratch(tmp_path: Path):
    """A folder for the loops: in RAM where there is one (they count calls, not disk speed)."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(dir=shm, prefix="pypestream-braze-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def restore(root: Path, files: dict[str, bytes]) -> None:
    """Put root back to files exactly (cheaper than copying the whole tree again)."""
    for path in sorted(set(tree(root)) - set(files)):
        (root / path).unlink()
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    for path, data in files.items():
        target = root / path
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_bytes(data)


def run_killed_at(k: int | None, command) -> int:
    """Run command() in a child killed at its k-th counted call; its exit status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if k is not None:
                _arm(k)
            command()
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _arm(k: int) -> None:
    count = [0]

    def counted(real):
        def call(*args, **kwargs):
            count[0] += 1
            if count[0] == k:
                os._exit(KILLED)
            return real(*args, **kwargs)

        return call

    for name in COUNTED:
        setattr(os, name, counted(getattr(os, name)))
    swap._exchange = counted(swap._exchange)


def quietly(argv):
    return lambda: main(argv)


@pytest.fixture(params=["changed", "renamed"])
def before_regen(scratch: Path, request) -> Path:
    """A solution with hand edits and a changed mapping: a regen merges, creates and prunes;
    and with a hand-edited node renamed, moves it (writes the new file, deletes the old)."""
    root = scratch / "acme_claims"
    generate.write_new(root, generate.prepare(bundled_mapping()))
    hand_edit(root)
    change_mapping(root)
    if request.param == "renamed":
        spec = root / "mapping.yaml"
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("- name: BrazeTrackProfile", "- name: BrazeSaveProfile"))
    planned = regen.plan(root, prune=True)  # renders here once, so each child renders fast
    planned.release()
    renamed = [c.path for c in planned.changes if c.action is regen.Action.RENAMED]
    moved = ["acme_claims/actions/BrazeSaveProfile.py", "tests/test_braze_save_profile.py"]
    assert renamed == (moved if request.param == "renamed" else [])
    return root


def counted_calls(command) -> list[str]:
    """The counted calls command makes, by name, in order (run in a child)."""
    read, write = os.pipe()

    names: list[str] = []

    def recorded(name, real):
        def call(*args, **kwargs):
            names.append(name)
            return real(*args, **kwargs)

        return call

    def record():
        for name in COUNTED:
            setattr(os, name, recorded(name, getattr(os, name)))
        command()
        os.write(write, " ".join(names).encode())

    assert run_killed_at(None, record) == 0
    os.close(write)
    with os.fdopen(read) as pipe:
        return pipe.read().split()


@pytest.mark.slow
def test_regen_killed_at_every_step_is_old_or_new_after_the_next_command(before_regen):
    root = before_regen
    old = tree(root)
    command = quietly(["regen", "--prune", str(root)])
    planned = regen.plan(root, prune=True)
    planned.release()
    apply_only = lambda: regen.apply(root, planned)  # noqa: E731
    # Every file-system call of the command is its transaction's: the plan writes nothing.
    # So killing the transaction at every call kills the command at every call.
    calls = counted_calls(command)
    restore(root, old)
    assert calls == counted_calls(apply_only)
    restore(root, old)
    assert run_killed_at(None, command) == 0
    new = tree(root)
    assert new != old and not (root / transaction.FOLDER).exists()

    outcomes = {"old": 0, "new": 0}
    k = 0
    while True:
        k += 1
        restore(root, old)
        # The whole command now and then, its transaction alone otherwise (the same calls).
        if run_killed_at(k, command if k % 10 == 1 else apply_only) != KILLED:
            assert tree(root) == new
            break
        for path, data in tree(root).items():  # no file is ever torn, even before recovery
            if not path.startswith(transaction.FOLDER + "/"):
                assert data in (old.get(path), new.get(path)), (k, path)
        # The next command, whichever it is, finishes or undoes the interrupted regen first.
        after = ["check", "regen --dry-run"][k % 2].split() if k % 10 == 5 else ["routing"]
        run_killed_at(None, quietly([*after, str(root)]))
        now = tree(root)
        assert now in (old, new), f"killed at call {k}: a mix of old and new"
        outcomes["old" if now == old else "new"] += 1
        assert not (root / transaction.FOLDER).exists()
    assert k > 20 and outcomes["old"] and outcomes["new"], (k, outcomes)
    assert not any(merge.START.encode() in data for data in new.values())


@pytest.mark.parametrize("exchange", ["atomic", "two renames"])
@pytest.mark.slow
def test_new_force_swap_killed_at_every_step_never_loses_the_target(scratch, exchange):
    if exchange == "atomic" and swap._renameat2 is None:
        pytest.skip("no renameat2 on this system")
    output = scratch / "out"
    target = output / "acme_claims"
    old = {"mapping.yaml": b"old\n", "acme_claims/app.py": b"old app\n", "mine.txt": b"mine\n"}
    new = {"mapping.yaml": b"new\n", "acme_claims/app.py": b"new app\n", "tests/t.py": b"t\n"}

    def force():
        if exchange == "two renames":
            swap._renameat2 = None
        staging, _ = swap.make_staging(output)  # what `new` does first, then it bakes
        finished = staging / "out" / "acme_claims"
        for path, data in new.items():
            (finished / path).parent.mkdir(parents=True, exist_ok=True)
            (finished / path).write_bytes(data)
        try:
            swap.replace_folder(finished, target, staging)
        finally:
            swap.remove_staging(staging)

    k = 0
    while True:
        k += 1
        shutil.rmtree(output, ignore_errors=True)
        restore(target, old)
        if run_killed_at(k, force) != KILLED:
            assert tree(target) == new and [p.name for p in output.iterdir()] == [target.name]
            break
        if exchange == "atomic":  # never missing, never a mix, even before any recovery
            assert tree(target) in (old, new), k
        swap.make_staging(output)  # what the next `new` in this folder does first
        assert tree(target) in (old, new), k
        assert len(list(output.iterdir())) == 2, k  # the target and the new staging only
    assert k > 10


def test_the_real_new_force_goes_through_the_swap(tmp_path):
    output = tmp_path / "out"
    target = output / "acme_claims"
    generate.write_new(target, generate.prepare(bundled_mapping()))
    (target / "mine.txt").write_text("the old solution\n", encoding="utf-8")
    old = tree(target)

    def killed_at_the_swap():
        def die(*args):
            os._exit(KILLED)

        swap._exchange = die
        main(["new", "--no-input", "--force", "--output-dir", str(output)])

    assert run_killed_at(None, killed_at_the_swap) == KILLED
    assert tree(target) == old
    left = [p for p in output.iterdir() if p != target]
    assert len(left) == 1 and left[0].name.startswith(swap.STAGING_PREFIX)
    staging, notes = swap.make_staging(output)  # the next `new` in this folder begins so
    assert [p for p in output.iterdir() if p != target] == [staging]
    assert [(n.location.file, n.message) for n in notes] == [
        (str(left[0]), "removed the staging folder an interrupted command left")
    ]


def test_regen_killed_at_random_moments(before_regen):
    root = before_regen
    old = tree(root)
    regen = quietly(["regen", "--prune", str(root)])
    started = time.monotonic()
    assert run_killed_at(None, regen) == 0
    duration = time.monotonic() - started
    new = tree(root)
    chance = random.Random(int(os.environ.get("KILL_SEED", "11")))
    for _ in range(10):
        restore(root, old)
        pid = os.fork()
        if pid == 0:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            try:
                regen()
            finally:
                os._exit(0)
        time.sleep(chance.uniform(0, duration * 1.2))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        run_killed_at(None, quietly(["routing", str(root)]))
        assert tree(root) in (old, new)
        assert not (root / transaction.FOLDER).exists()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
