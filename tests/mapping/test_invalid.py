"""Every spec in tests/invalid is rejected by `check --strict` with exactly the snapshot's messages.

Each snapshot (<name>.expected) holds the output lines, file:line:col: level: message. To write
them anew after a deliberate change of messages, run `python tests/regenerate.py --only invalid`
and read every changed line before committing it.
"""

import shutil

import pytest
from helpers import TESTS

from pypestream_braze.cli.main import main

INVALID = TESTS / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 45


@pytest.mark.parametrize("spec", CASES, ids=[p.stem for p in CASES])
def test_check_rejects(spec, tmp_path, monkeypatch, capsys):
    shutil.copyfile(spec, tmp_path / spec.name)
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))

    code = main(["check", spec.name, "--strict"])

    out, err = capsys.readouterr()
    output = out + err
    assert "Traceback" not in output
    assert sorted(tmp_path.rglob("*")) == before, "check must not write anything"
    assert code == 2, output
    snapshot = spec.with_suffix(".expected")
    assert snapshot.exists(), f"no {snapshot.name}; write it with python tests/regenerate.py"
    assert output == snapshot.read_text(encoding="utf-8")
    for line in output.splitlines():
        assert line.startswith(f"{spec.name}:"), f"a message without its place: {line}"
