"""Mistakes the loader and the CLI must turn into located messages, never tracebacks."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pypestream_braze.cli.main import main
from pypestream_braze.mapping.date_patterns import strptime_pattern


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


# -- date formats written as people write them -------------------------------------------------

_TOKENS = {"D": ("DD", "dd", "D"), "M": ("MM", "mm", "M"), "Y": ("YYYY", "yyyy", "YY")}


@settings(max_examples=200, deadline=None)
@given(
    order=st.permutations("DMY"),
    spelling=st.tuples(*(st.sampled_from(range(3)) for _ in range(3))),
    separator=st.sampled_from(["/", "-", ".", " "]),
    day=st.dates(min_value=date(1970, 1, 1), max_value=date(2068, 12, 31)),
)
def test_a_date_format_in_words_is_read_in_the_order_written(order, spelling, separator, day):
    """The hint for DD/MM/YYYY, MM-DD-YY, YYYY.M.D ... reads every date as that text writes
    it: day, month and year in the user's order, never swapped."""
    written = separator.join(
        _TOKENS[part][choice] for part, choice in zip(order, spelling, strict=True)
    )
    pattern = strptime_pattern(written)
    assert pattern is not None, written
    values = {"D": f"{day.day:02d}", "M": f"{day.month:02d}", "Y": f"{day.year}"}
    if "YY" in written.upper() and "YYYY" not in written.upper():
        values["Y"] = f"{day.year % 100:02d}"
    text = separator.join(values[part] for part in order)
    assert datetime.strptime(text, pattern).date() == day, (written, pattern, text)


def test_minutes_are_told_from_months_by_the_hours_beside_them():
    assert strptime_pattern("DD/MM/YYYY HH:mm") == "%d/%m/%Y %H:%M"
    assert strptime_pattern("mm/dd/yyyy hh:mm:ss a") == "%m/%d/%Y %I:%M:%S %p"
    assert strptime_pattern("YYYY-MM-DDTHH:mm:ss") == "%Y-%m-%dT%H:%M:%S"
    assert strptime_pattern("D MMM YYYY") == "%d %b %Y"
    assert strptime_pattern("Q1 YYYY") is None and strptime_pattern("date of birth") is None


# -- a wrong folder is answered with the right one -----------------------------------------------


def test_a_folder_inside_a_solution_names_the_solution_as_it_is_reached_from_here(
    tmp_path, monkeypatch, capsys
):
    from helpers import PARTNER_EXAMPLE

    from pypestream_braze.solution import generate

    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    monkeypatch.chdir(root / "acme_claims")  # the solution's package folder

    assert main(["regen", "."]) == 2
    err = capsys.readouterr().err
    assert err == (
        ".: error: not a solution folder (it has no mapping.yaml) but a folder inside one: the "
        f"solution it belongs to is {root} (give '..' from here); nothing was written\n"
    )
    assert main(["check", "."]) == 2
    assert f"belongs to is {root} (give '..' from here)\n" in capsys.readouterr().err

    monkeypatch.chdir(root)
    assert main(["regen", "mapping.yaml"]) == 2
    assert capsys.readouterr().err == (
        "mapping.yaml: error: a file, not a solution folder: the solution's folder is "
        f"{root} (give '.' from here); nothing was written\n"
    )
