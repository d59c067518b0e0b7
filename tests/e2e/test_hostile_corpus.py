"""Every attack in tests/hostile/ is refused (or answered) in seconds, and nothing leaks.

Each case is a folder: case.toml says what the attack plants and which command it runs, and
what the tool must answer; files/ (if any) is copied into the case's work folder first. See
tests/hostile/README.md for the format. Whatever the case, the command runs in a process of its
own with API keys in its environment, and these hold for every case:

- it ends within DEADLINE seconds (a hang is a failure, not a slow run);
- no traceback, and no control character but line breaks and tabs in what it prints;
- nothing outside the work folder it was given is read into its output: the outside secret
  and the API keys never show, and the outside folder is left exactly as it was;
- no API key is written to any file (unless the case embeds one on purpose);
- no symbolic link appears in the solution but those the case planted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import REPO, TESTS

from pypestream_braze.cli.template import bundled_mapping
from pypestream_braze.solution import fingerprint, generate, state

pytestmark = pytest.mark.slow  # each attack runs the command; some wait out a limit

CORPUS = TESTS / "hostile"
CASES = sorted(p.parent for p in CORPUS.glob("*/case.toml"))
DEADLINE = 60  # seconds; generous: a hang is what is caught, never speed
SECRET = "OUTSIDE-SECRET-VALUE"
KEYS = {
    "BRAZE_API_KEY_SANDBOX": "sk-sandbox-SECRET-0001",
    "BRAZE_API_KEY_LIVE": "sk-live-SECRET-0002",
    "BRAZE_SHARED_KEY": "sk-shared-SECRET-0003",
}
# The source folder of the pypestream-braze whose commands are run: another version's, to see
# which attacks succeed there.
UNDER_TEST = "PYPESTREAM_BRAZE_UNDER_TEST"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SHA = re.compile(r"\$SHA256\(([^)]*)\)")
# The command with some of its limits lowered (a case's [limits]: "module:NAME" = value), so that
# an attack that runs up against a limit is stopped by it in seconds, not in its full time.
_WITH_LIMITS = """
import importlib, json, runpy, sys
for name, value in json.loads(sys.argv[1]).items():
    module, _, attribute = name.partition(":")
    module = importlib.import_module(module)
    assert hasattr(module, attribute), name
    setattr(module, attribute, value)
sys.argv[:] = ["pypestream-braze", *sys.argv[2:]]
runpy.run_module("pypestream_braze", run_name="__main__")
"""


def test_the_corpus_holds_every_attack():
    assert len(CASES) >= 30
    for case in CASES:
        spec = _load(case)
        assert spec.get("description", "").strip(), f"{case.name}: say what the attack is"
        assert "exit" in spec["expect"], f"{case.name}: say how the command must end"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """The bundled example, generated once; each case gets a copy."""
    folder = tmp_path_factory.mktemp("generated") / "acme_claims"
    generate.write_new(folder, generate.prepare(bundled_mapping()))
    return folder


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_attack_is_refused(case, tmp_path, generated, request):
    spec = _load(case)
    request.addfinalizer(lambda: _remove_deep_trees(tmp_path))
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    if (case / "files").is_dir():
        shutil.copytree(case / "files", work, dirs_exist_ok=True)
    solution = work / "acme_claims"
    made_from = spec.get("solution", "example")
    if made_from == "example":
        shutil.copytree(generated, solution, symlinks=True)
    elif made_from != "none":
        prepared = generate.prepare(work / made_from, parent=work)
        solution = work / prepared.solution.package
        generate.write_new(solution, prepared)
    names = {"$SOLUTION": str(solution), "$WORK": str(work), "$OUTSIDE": str(outside)}
    planted = {_plant(entry, names) for entry in spec.get("plant", [])}
    before = _snapshot(outside)

    command = [_fill(part, names) for part in spec["command"]]
    env = {**os.environ, **KEYS, "PYTHONPATH": os.environ.get(UNDER_TEST, str(REPO / "src"))}
    limits = spec.get("limits")
    launch = ["-c", _WITH_LIMITS, json.dumps(limits)] if limits else ["-m", "pypestream_braze"]
    try:
        completed = subprocess.run(
            [sys.executable, *launch, *command],
            cwd=work,
            env=env,
            capture_output=True,
            timeout=DEADLINE,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: the command did not end within {DEADLINE} s")
    output = completed.stdout.decode("utf-8", "replace") + completed.stderr.decode(
        "utf-8", "replace"
    )
    expect = spec["expect"]

    assert "Traceback" not in output, output
    assert not _CONTROL.search(output), f"a control character in the output: {output!r}"
    assert completed.returncode == expect["exit"], output
    for fragment in expect.get("says", []):
        assert _fill(fragment, names) in output, output
    for fragment in expect.get("never_says", []):
        assert _fill(fragment, names) not in output, output
    assert SECRET not in output
    for key in KEYS.values():
        assert key not in output
    if not expect.get("outside_may_change"):
        assert _snapshot(outside) == before, "the outside folder changed"
    embedded = {_fill(path, names) for path in expect.get("key_written_to", [])}
    for path in _walk(tmp_path):
        if path.is_file() and not path.is_symlink() and str(path) not in embedded:
            data = path.read_bytes()
            for key in KEYS.values():
                assert key.encode() not in data, f"{path} holds an API key"
    if solution.exists():
        links = {str(p) for p in _walk(solution) if p.is_symlink()}
        assert links <= planted, f"links the command made: {sorted(links - planted)}"
    for path in expect.get("exists", []):
        assert os.path.lexists(_fill(path, names)), f"{path} should be there"
    for path in expect.get("absent", []):
        assert not os.path.lexists(_fill(path, names)), f"{path} should be gone"
    for check in expect.get("file", []):
        text = Path(_fill(check["path"], names)).read_text(encoding="utf-8")
        for fragment, count in check.get("counts", {}).items():
            assert text.count(_fill(fragment, names)) == count, (fragment, text)


def _load(case: Path) -> dict:
    with open(case / "case.toml", "rb") as handle:
        return tomllib.load(handle)


def _fill(text: str, names: dict[str, str]) -> str:
    text = text.replace("$KEY_SHARED", KEYS["BRAZE_SHARED_KEY"])
    text = text.replace("$KEY_SANDBOX", KEYS["BRAZE_API_KEY_SANDBOX"])
    for name, value in names.items():
        text = text.replace(name, value)
    return _SHA.sub(lambda m: hashlib.sha256(Path(m.group(1)).read_bytes()).hexdigest(), text)


def _plant(entry: dict, names: dict[str, str]) -> str:
    """Put one thing of the attack in place; returns its path."""
    path = Path(_fill(entry["path"], names))
    if "state" in entry:  # fields of state.json replaced, written in its canonical form
        record = state.read(path)
        # As the command will compute it (another test may have left a cached fingerprint).
        record.generator_sha256 = fingerprint.generator_fingerprint.__wrapped__()
        for key, value in entry["state"].items():
            if key == "spec_warnings":
                value = [state.SpecWarning(**w) for w in value]
            setattr(record, key, value)
        (path / state.STATE_PATH).write_text(record.to_json(), encoding="utf-8")
        return str(path / state.STATE_PATH)
    if set(entry) == {"path", "mode"}:  # only the permissions of what is there
        os.chmod(path, entry["mode"])
        return str(path)
    if "append" in entry:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(_fill(entry["append"], names))
        return str(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if "text" in entry:
        text = _fill(entry["text"], names)
        path.write_text(text.ljust(entry.get("size", 0)), encoding="utf-8")
    elif "json" in entry:
        path.write_text(json.dumps(json.loads(_fill(entry["json"], names))), encoding="utf-8")
    elif "link" in entry:
        path.symlink_to(_fill(entry["link"], names))
    elif entry.get("fifo"):
        os.mkfifo(path)
    elif entry.get("folder"):
        path.mkdir()
    elif "deep" in entry:
        path.mkdir()
        deepest = path
        for _ in range(entry["deep"]):  # one level at a time: the whole path is too long
            deepest = deepest / "d"
            os.mkdir(deepest)
    else:
        raise AssertionError(f"nothing to plant at {path}")
    if "mode" in entry:
        os.chmod(path, entry["mode"], follow_symlinks=False)
    return str(path)


def _walk(top: Path) -> list[Path]:
    """Everything below top, links not entered; without recursion (a case nests 1,200 deep)."""
    found, pending = [], [top]
    while pending:
        for entry in os.scandir(pending.pop()):
            found.append(Path(entry.path))
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return found


def _remove_deep_trees(top: Path) -> None:
    """Remove the folders below top deepest first: pytest's own cleanup recurses per level."""
    folders = [p for p in _walk(top) if p.is_dir() and not p.is_symlink()]
    if max((len(p.parts) for p in folders), default=0) - len(top.parts) < 100:
        return
    for path in sorted(_walk(top), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            os.rmdir(path)
        else:
            path.unlink()


def _snapshot(folder: Path) -> dict:
    found = {}
    for path in sorted(_walk(folder)):
        info = path.lstat()
        content = os.readlink(path) if path.is_symlink() else None
        if content is None and path.is_file():
            content = path.read_bytes()
        found[str(path.relative_to(folder))] = (info.st_mode, content)
    return found
