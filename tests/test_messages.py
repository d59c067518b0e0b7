"""Mistakes the loader and the CLI must turn into located messages, never tracebacks."""

from __future__ import annotations

import pytest

from pypestream_braze.cli.main import main


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            b"version: 1\ncustomer: Caf\xe9\n",
            ":2:14: error: not UTF-8 text; save the file as UTF-8",
        ),
        (b"version: 1\x00\n", ":1:11: error: character '\\x00' is not allowed in YAML"),
        (b"[" * 5000, "error: "),
    ],
    ids=["latin-1", "nul", "nested"],
)
def test_unreadable_specs(tmp_path, capsys, content, expected):
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(content)

    assert main(["new", "--no-input", "--mapping", str(spec), "--output-dir", str(tmp_path)]) == 2

    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


def test_a_folder_given_as_the_mapping(tmp_path, capsys):
    assert main(["new", "--no-input", "--mapping", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_an_output_dir_that_is_a_file(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("", encoding="utf-8")

    assert main(["new", "--no-input", "--output-dir", str(blocker)]) == 2
    assert "nothing was written" in capsys.readouterr().err


def test_output_that_overwrites_an_input_is_a_warning(tmp_path, capsys):
    from helpers import PARTNER_EXAMPLE

    spec = tmp_path / "spec.yaml"
    text = PARTNER_EXAMPLE.read_text(encoding="utf-8")
    spec.write_text(text.replace("BRAZE_FIRST_NAME:", "FIRST_NAME:"), encoding="utf-8")

    assert main(["check", str(spec)]) == 0
    assert "warning: output FIRST_NAME is also an input of BrazeTrackProfile" in (
        capsys.readouterr().err
    )
