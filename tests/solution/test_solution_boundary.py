"""The solution folder is a boundary: links, hostile state files, locks, failures and full disks.

Nothing outside the solution is read into it, written or deleted; every refusal names the path
and says what to do; a failed write puts every file back or names those it could not.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import black
import pytest
from test_regen import change_mapping, hand_edit

from pypestream_braze.cli import cookiecutter_hooks
from pypestream_braze.cli.main import main
from pypestream_braze.cli.template import bundled_mapping
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import generate, lock, merge, regen, state, swap, transaction

APP = "acme_claims/app.py"
NODE = "acme_claims/actions/BrazeTrackProfile.py"
_FORMATTED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fast_black(monkeypatch):
    real = black.format_str

    def cached(source, *, mode):
        if source not in _FORMATTED:
            _FORMATTED[source] = real(source, mode=mode)
        return _FORMATTED[source]

    monkeypatch.setattr(formatting.black, "format_str", cached)


@pytest.fixture(scope="module")
def prepared():
    return generate.prepare(bundled_mapping())


@pytest.fixture
def root(tmp_path: Path, prepared) -> Path:
    solution = tmp_path / "acme_claims"
    generate.write_new(solution, prepared)
    return solution


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the solution holding a secret, which must stay as it is and unread."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.txt").write_text("TOP-SECRET-VALUE\n", encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (
            os.readlink(p).encode() if p.is_symlink() else p.read_bytes(),
            p.lstat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def relink(root: Path, relative: str, to: Path) -> None:
    """Replace root/relative with a link to `to`, moving what was there into `to` first."""
    path = root / relative
    if not path.exists():
        to.mkdir()
        (to / "journal.json").write_text("{}", encoding="utf-8")
    elif not to.exists():
        path.rename(to)
    elif path.is_dir():
        for child in path.iterdir():
            child.rename(to / child.name)
        path.rmdir()
    else:
        path.unlink()
    path.symlink_to(to)


LINKS = {
    "the baseline folder": (f"{state.STATE_DIR}/baseline", "folder"),
    "the state folder": (state.STATE_DIR, "folder"),
    "a folder of generated files": ("tests", "folder"),
    "a folder on a generated file's path": ("acme_claims/actions", "folder"),
    "a generated file": (APP, "secret"),
    "a baseline": (f"{state.STATE_DIR}/baseline/{APP}", "secret"),
    "the mapping": ("mapping.yaml", "secret"),
    "state.json": (state.STATE_PATH, "secret"),
    "the transaction folder": (transaction.FOLDER, "folder"),
}


@pytest.mark.parametrize("case", sorted(LINKS))
@pytest.mark.parametrize("command", ["regen", "regen --prune", "check", "routing"])
def test_a_link_inside_the_solution_is_refused_and_never_followed(
    root, elsewhere, capsys, case, command
):
    relative, kind = LINKS[case]
    change_mapping(root)  # so a regen has something to write
    if kind == "secret":
        (root / relative).unlink()
        (root / relative).symlink_to(elsewhere / "secret.txt")
    else:
        relink(root, relative, elsewhere / "moved")
    outside, inside = snapshot(elsewhere), snapshot(root)

    code = main([*command.split(), str(root)])

    err = capsys.readouterr().err
    assert snapshot(elsewhere) == outside, "nothing outside is written or deleted"
    assert snapshot(root) == inside, "nothing inside is written either"
    read_by_routing = ("mapping.yaml", state.STATE_PATH, state.STATE_DIR, transaction.FOLDER)
    if command == "routing" and relative not in read_by_routing:
        assert code == 0  # routing reads only the mapping and the state
        return
    assert code == 2
    assert f"{root / relative}: error: is a symbolic link" in err
    assert "never follows links" in err and "Traceback" not in err


def test_new_refuses_a_link_in_place_of_a_staging_folder(tmp_path, elsewhere, capsys):
    output = tmp_path / "out"
    output.mkdir()
    link = output / f"{swap.STAGING_PREFIX}x"
    link.symlink_to(elsewhere)
    outside = snapshot(elsewhere)

    assert main(["new", "--no-input", "--output-dir", str(output)]) == 2

    assert (
        f"{link}: error: is not a staging folder pypestream-braze made" in capsys.readouterr().err
    )
    assert snapshot(elsewhere) == outside and sorted(output.iterdir()) == [link]


def test_a_linked_file_is_never_merged_into_the_solution(root, elsewhere, capsys):
    """A hand-edited file replaced by a link to a secret: no conflict markers around the secret."""
    (root / APP).unlink()
    (root / APP).symlink_to(elsewhere / "secret.txt")
    change_mapping(root)

    assert main(["regen", str(root)]) == 2

    for path, (data, _) in snapshot(root).items():
        assert b"TOP-SECRET-VALUE" not in data or path == APP


def test_a_fifo_or_folder_where_a_file_belongs_is_refused_without_hanging(root, capsys):
    (root / "README.md").unlink()
    os.mkfifo(root / "README.md")
    (root / "ROUTING.md").unlink()
    (root / "ROUTING.md").mkdir()

    assert main(["check", str(root)]) == 2

    err = capsys.readouterr().err
    assert f"{root / 'README.md'}: error: is not a regular file" in err


def _state(root: Path) -> dict:
    return json.loads((root / state.STATE_PATH).read_text(encoding="utf-8"))


def _edited_state(change):
    def edit(root: Path) -> str:
        data = _state(root)
        change(data)
        return json.dumps(data)

    return edit


def _outside_entry(path):
    def change(data):
        data["files"][path] = data["files"]["README.md"]
        data["orphans"] = [path]

    return change


STATES = {
    "newer format": (lambda r: json.dumps({**_state(r), "format": 99}), "made by a newer"),
    "truncated": (lambda r: (r / state.STATE_PATH).read_text()[:150], "is not valid JSON"),
    "empty": (lambda r: "", "1:1: error: the generation state is not valid JSON"),
    "not an object": (lambda r: "[1, 2]", "must hold a JSON object"),
    "not UTF-8": (lambda r: b"\xff\xfe{}", "is not UTF-8 text"),
    "duplicate key": (lambda r: '{"format": 1, "format": 1}', "'format' appears twice"),
    "NaN": (lambda r: '{"format": NaN}', "NaN is not a JSON number"),
    "deep": (lambda r: "[" * 100_000, "is not valid JSON"),
    "huge integer": (lambda r: '{"format": ' + "9" * 5000 + "}", "is not valid JSON"),
    "absolute path": (_edited_state(_outside_entry("/tmp/x")), "'/tmp/x' is absolute"),
    "parent path": (_edited_state(_outside_entry("../elsewhere/secret.txt")), "not normalised"),
    "backslash": (_edited_state(_outside_entry("a\\b.py")), "backslash"),
    "drive letter": (_edited_state(_outside_entry("C:/x.py")), "drive letter"),
    "dot part": (_edited_state(_outside_entry("a/./b.py")), "not normalised"),
    "inside the state folder": (
        _edited_state(_outside_entry(".pypestream-braze/state.json")),
        "is inside .pypestream-braze/",
    ),
    "bad hash": (
        _edited_state(lambda d: d["files"].update({"README.md": "xyz"})),
        "'README.md' must be 64 lower-case hex digits",
    ),
    "number as text": (
        _edited_state(lambda d: d.update(node_numbers={"X": "1200"})),
        "'node_numbers' entry 'X' must be a whole number",
    ),
    "number as bool": (
        _edited_state(lambda d: d.update(node_numbers={"X": True})),
        "must be a whole number",
    ),
    "unknown key": (_edited_state(lambda d: d.update(extra=1)), "unknown keys 'extra'"),
    "missing key": (_edited_state(lambda d: d.pop("files")), "lacks 'files'"),
    "orphan not a file": (
        _edited_state(lambda d: d.update(orphans=["nope.py"])),
        "'orphans' entry 'nope.py' is not in 'files'",
    ),
}


@pytest.mark.parametrize("case", sorted(STATES))
@pytest.mark.parametrize("command", ["regen --prune", "check", "routing"])
def test_a_bad_state_file_is_a_located_error_and_nothing_is_touched(
    root, elsewhere, capsys, case, command
):
    make, expected = STATES[case]
    text = make(root)
    path = root / state.STATE_PATH
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    outside, inside = snapshot(elsewhere), snapshot(root)

    assert main([*command.split(), str(root)]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"{path}"), err
    assert expected in err and "Traceback" not in err
    if case != "newer format":
        assert "restore it from version control, or delete the .pypestream-braze folder" in err
    assert snapshot(elsewhere) == outside and snapshot(root) == inside


def test_a_truncated_state_names_line_and_column(root, capsys):
    path = root / state.STATE_PATH
    path.write_text('{\n  "format": 1,\n  "generator_version": "0.1', encoding="utf-8")
    assert main(["check", str(root)]) == 2
    assert f"{path}:3:24: error: the generation state is not valid JSON" in capsys.readouterr().err


def test_prune_deletes_only_what_the_state_records(root, capsys):
    mine = root / "acme_claims/actions/MyOwnNode.py"
    mine.write_text("# mine\n", encoding="utf-8")
    stray = root / state.baseline_path("acme_claims/actions/Stray.py")
    stray.write_text("# not recorded\n", encoding="utf-8")
    text = (root / "mapping.yaml").read_text(encoding="utf-8")
    (root / "mapping.yaml").write_text(
        text[: text.index("  - name: BrazeStartWelcomeCanvas")], encoding="utf-8"
    )

    assert main(["regen", "--prune", str(root)]) == 0

    assert mine.read_text(encoding="utf-8") == "# mine\n"
    assert stray.exists()
    assert not (root / "acme_claims/actions/BrazeStartWelcomeCanvas.py").exists()


def test_a_staging_folder_an_older_version_left_is_removed_and_reported(root, capsys):
    left = root / f"{transaction.LEGACY_STAGING_PREFIX}abc12_45"
    (left / "new").mkdir(parents=True)
    (left / "new" / "README.md").write_text("half\n", encoding="utf-8")

    assert main(["regen", str(root)]) == 0

    assert not left.exists()
    err = capsys.readouterr().err
    assert f"{left}: warning: removed the staging folder an interrupted command left" in err


@pytest.mark.parametrize("name", ["abc12_45", "mine", "abc12345-notes"])
def test_a_folder_of_the_users_named_like_an_old_staging_folder_is_left_alone(root, capsys, name):
    mine = root / f"{transaction.LEGACY_STAGING_PREFIX}{name}"
    (mine / "new").mkdir(parents=True)
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")

    assert main(["check", str(root)]) == 0

    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert "removed" not in capsys.readouterr().err


def _fail_on(monkeypatch, name: str, predicate, code=errno.EACCES):
    real = getattr(os, name)

    def failing(*args, **kwargs):
        if predicate(*args):
            raise OSError(code, os.strerror(code), str(args[-1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, failing)


def test_a_read_only_folder_stops_the_regen_and_every_file_is_put_back(root, monkeypatch, capsys):
    hand_edit(root)
    change_mapping(root)
    before = snapshot(root)
    tests = root / "tests"
    tests.chmod(0o555)
    if os.geteuid() == 0:  # root ignores permissions: fail as a read-only folder would
        _fail_on(monkeypatch, "replace", lambda src, dst: Path(dst).parent == tests)
    try:
        assert main(["regen", str(root)]) == 2
    finally:
        tests.chmod(0o755)
    monkeypatch.undo()

    err = capsys.readouterr().err
    assert f"could not write {tests}/test_" in err and ": Permission denied;" in err
    assert "every file was put back as it was: nothing was changed" in err
    assert {p: b for p, (b, _) in snapshot(root).items()} == {p: b for p, (b, _) in before.items()}
    assert not (root / transaction.FOLDER).exists()


def test_a_file_that_cannot_be_put_back_is_named_and_the_next_command_finishes(
    root, monkeypatch, capsys
):
    change_mapping(root)
    before = {p: b for p, (b, _) in snapshot(root).items()}
    planned = regen.plan(root)
    stuck = root / "README.md"
    _fail_on(
        monkeypatch,
        "replace",
        lambda src, dst: Path(dst) == root / "tests/test_braze_track_profile.py",
    )
    real_replace = os.replace

    def no_restore(src, dst):  # README.md was replaced; putting it back fails too
        if Path(dst) == stuck and "old" in Path(src).parts:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", no_restore)
    with pytest.raises(transaction.TransactionError) as failure:
        regen.apply(root, planned)
    monkeypatch.undo()

    message = str(failure.value)
    assert (
        f"could not write {root / 'tests/test_braze_track_profile.py'}: Permission denied"
        in message
    )
    assert "put every other file back as it was, but not: README.md (Input/output error)" in message
    assert (root / transaction.FOLDER / transaction.UNDO).exists()

    assert main(["routing", str(root)]) == 0  # the next command finishes the undo
    assert "undid the interrupted change that had failed" in capsys.readouterr().err
    assert {p: b for p, (b, _) in snapshot(root).items()} == before


def test_a_full_disk_while_staging_changes_nothing(root, monkeypatch, capsys):
    change_mapping(root)
    before = snapshot(root)
    calls = []

    def full(descriptor, data):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(descriptor, data)

    real = os.write
    monkeypatch.setattr(os, "write", full)
    assert main(["regen", str(root)]) == 2
    monkeypatch.undo()

    err = capsys.readouterr().err
    assert "error: no space left on the device while preparing the new files in" in err
    assert "nothing in the solution was changed" in err
    assert snapshot(root) == before


def test_a_full_disk_during_new_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    project = tmp_path / "acme_claims"
    project.mkdir()
    real = os.write
    monkeypatch.setattr(
        os, "write", lambda d, b: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
    )
    code = cookiecutter_hooks.post_gen({"__mapping_file": str(bundled_mapping())}, str(project))
    monkeypatch.setattr(os, "write", real)

    assert code == 1
    err = capsys.readouterr().err
    assert "no space left on the device" in err and "nothing in the solution was changed" in err
    assert err.count("nothing") == 1, err
    assert list(project.iterdir()) == []


def test_a_second_writer_waits_for_the_first(root, tmp_path):
    """Two regens at once with different mappings: one after the other, no conflict markers."""
    base = (root / "mapping.yaml").read_text(encoding="utf-8")
    change_mapping(root)
    first = (root / "mapping.yaml").read_text(encoding="utf-8")
    (root / "mapping.yaml").write_text(base, encoding="utf-8")
    second = base.replace("pypestream_profile_captured", "pypestream_profile_other")
    specs = []
    for n, text in enumerate((first, second)):
        specs.append(tmp_path / f"m{n}.yaml")
        specs[-1].write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "pypestream_braze", "regen", str(root), "--mapping"]

    runs = [subprocess.Popen([*command, str(s)], stdout=subprocess.PIPE) for s in specs]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]

    assert (root / "mapping.yaml").read_text(encoding="utf-8") in (first, second)
    assert not any(merge.START.encode() in data for data, _ in snapshot(root).values())
    assert regen.check_solution(root).up_to_date


def test_a_writer_that_waits_too_long_stops_with_a_clear_message(root, monkeypatch):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # another process holds the lock for a while
        try:
            lock.acquire(root)
            os.write(write, b"x")
            time.sleep(5)
        finally:
            os._exit(0)
    os.read(read, 1)
    try:
        with pytest.raises(lock.LockedError) as waited:
            lock.acquire(root, wait=0.2)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert str(waited.value) == (
        "another pypestream-braze command is working on this solution (it holds the "
        "lock; waited 0.2 s); run this one again when it has finished"
    )
    lock.acquire(root, wait=0.2).release()  # the kernel dropped the dead holder's lock
