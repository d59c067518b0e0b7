"""Hostile specs: what reading one may cost, and what its text may do to the files written.

Rejections with one mistake each are in tests/invalid (see test_invalid.py); this module covers
what a snapshot cannot: files that are not files, sizes, run time on adversarial text, and the
escaping of text that is accepted.
"""

from __future__ import annotations

import ast
import csv
import os
import re
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE, TESTS

from pypestream_braze.cli.main import main
from pypestream_braze.errors import SpecError
from pypestream_braze.mapping import naming, source
from pypestream_braze.mapping.liquid import outside_liquid
from pypestream_braze.mapping.reader import load_solution
from pypestream_braze.render import design_studio
from pypestream_braze.render.files import markdown_code, markdown_text, render_solution

PARTNER = PARTNER_EXAMPLE.read_text(encoding="utf-8")
# The first property of the partner example's event: a free-form value to put text in.
PROPERTY = "            solution: AcmeClaims\n"
# Far more than any linear pass needs on a 1 MB input, far less than a quadratic one takes
# (60 KB of "{{" took 45 s before): a bound that cannot fail by a slow machine's noise.
GENEROUS_SECONDS = 30


def with_property(value: str) -> str:
    assert PROPERTY in PARTNER
    return PARTNER.replace(PROPERTY, f"            solution: {value}\n")


def errors_of(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_solution("spec.yaml", text)
    return [str(problem) for problem in caught.value.errors]


def finishes(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    elapsed = time.perf_counter() - started
    assert elapsed < GENEROUS_SECONDS, f"{function.__name__} took {elapsed:.1f} s"
    return elapsed


# -- what the mapping may be ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "mapping.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            source.read(fifo)
        except SpecError as err:
            outcome.append(err)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(GENEROUS_SECONDS)
    if reader.is_alive():  # unblock the reader, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert "is a named pipe (FIFO), not a file" in str(outcome[0])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused(capsys):
    assert main(["check", "/dev/zero"]) == 2
    assert capsys.readouterr().err == (
        "/dev/zero: error: is a device, not a file; give the mapping file itself\n"
    )


def test_a_spec_over_1_mib_is_refused_before_it_is_parsed(tmp_path, capsys):
    spec = tmp_path / "huge.yaml"
    spec.write_bytes(b"# padding\n" * (source.MAX_BYTES // 10 + 1))

    assert main(["check", str(spec)]) == 2
    assert "a spec may be at most 1,048,576 bytes (1 MiB)" in capsys.readouterr().err
    with pytest.raises(SpecError, match="at most 1,048,576 bytes"):
        source.load("given.yaml", "#" * (source.MAX_BYTES + 1))
    with pytest.raises(SpecError, match="at most 1,048,576 bytes"):  # counted in UTF-8
        source.load("given.yaml", "#" + "é" * (source.MAX_BYTES // 2))


def test_a_spec_of_1_mib_is_read():
    padding = "#" * (source.MAX_BYTES - len(PARTNER.encode()) - 1) + "\n"
    text = padding + PARTNER
    assert len(text.encode()) == source.MAX_BYTES
    load_solution("spec.yaml", text)


def test_aliases_are_counted_as_what_they_expand_to():
    # A 2,001-value list (the list and its 2,000 items) written once, then repeated by aliases:
    # as many as fit under the limit, then two more, each counted as the 2,001 values it repeats.
    anchor = "[" + ", ".join(["x"] * 2000) + "]"
    fit = (source.MAX_VALUES - 2005) // 2001  # the anchor, the top mapping, its keys, b's list

    def spec(aliases: int) -> str:
        return f"a: &a {anchor}\nb: [{', '.join(['*a'] * aliases)}]\n"

    assert len(spec(fit + 2)) < 20_000  # a small file
    source.load("spec.yaml", spec(fit))
    with pytest.raises(SpecError, match=f"more than {source.MAX_VALUES:,} values"):
        source.load("spec.yaml", spec(fit + 2))


def test_depth_is_counted_through_aliases():
    deep = "[" * 40 + "1" + "]" * 40
    text = f"a: &a {deep}\nb: {'[' * 30}*a{']' * 30}\n"
    with pytest.raises(SpecError, match="more than 64 levels deep") as caught:
        source.load("spec.yaml", text)
    assert str(caught.value).startswith("spec.yaml:2:")


def test_a_surrogate_pair_written_as_two_escapes_is_one_character():
    text = with_property('"\\ud83d\\ude00 and \\U0001F600"')
    solution, _ = load_solution("spec.yaml", text)
    event = solution.nodes[0].body["events"][0]
    assert event["properties"]["solution"].value == "\U0001f600 and \U0001f600"


# -- bounded cost on adversarial text ---------------------------------------------------------

ADVERSARIAL = {
    "open outputs": "{{" * 500_000,
    "open tags": "{%" * 500_000,
    "open attributes": "{{" + "${" * 500_000,
    "closed attributes, no end": "{{${a}" * 170_000,
    "lone closes": "{{a}" * 250_000,
    "opens then one close": "{{{" * 330_000 + "}",
    "placeholders never closed": "{A" * 500_000,
    "upper case run": "A" * 1_000_000,
    "dotted path": "a." * 500_000 + "!",
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL)
def test_patterns_stay_linear_on_1_mb_of_adversarial_text(text):
    finishes(outside_liquid, text)
    finishes(naming.placeholders, text)
    finishes(naming.snake_case, text)
    finishes(naming.to_camel_case, text)
    finishes(naming.to_upper_case, text)
    finishes(markdown_text, text)
    finishes(markdown_code, text)
    finishes(design_studio.as_text, text)


@pytest.mark.parametrize(
    "value",
    [
        '"' + "{{" * 480_000 + '"',
        '"' + "{{${" * 240_000 + '"',
        '"' + "{%" * 480_000 + '"',
    ],
    ids=["outputs", "attributes", "tags"],
)
def test_check_of_a_1_mb_body_of_liquid_openings_is_fast(value):
    # Each is an error (braces that are neither Liquid nor a placeholder), found in one pass.
    finishes(errors_of, with_property(value))


def test_check_of_1_mb_names_and_paths_is_fast():
    long_word = "A" * 900_000
    for text in (
        PARTNER.replace("solution: AcmeClaims ", f"solution: {long_word} "),
        PARTNER.replace("name: BrazeTrackProfile", f"name: x{long_word}"),
        PARTNER.replace("dispatch_id", "a." * 450_000 + "!"),
    ):
        finishes(errors_of, text)


# -- names ------------------------------------------------------------------------------------


def test_the_longest_names_keep_every_path_short():
    solution_name = "B" + "a" * (naming.MAX_NAME - 1)
    node_name = "N" + "a" * (naming.MAX_NAME - 1)
    package = "p" * naming.MAX_PACKAGE
    text = PARTNER.replace(
        "solution: AcmeClaims ", f"solution: {solution_name}\npackage: {package} "
    )
    text = text.replace("name: BrazeTrackProfile", f"name: {node_name}")
    solution, _ = load_solution("spec.yaml", text)
    paths = list(render_solution(solution, text))
    paths += [f".pypestream-braze/baseline/{path}" for path in paths]
    paths += [f"{package}/actions/__pycache__/{node_name}.cpython-313.opt-2.pyc"]
    longest = max(len(f"{package}/{path}") for path in paths)  # from the folder it is in
    assert longest <= 150, longest


@pytest.mark.parametrize("name", ["Con", "Aux", "Nul", "Prn", "Com1", "Lpt9", "Com0"])
def test_windows_device_names_are_refused_in_any_case(name):
    assert naming.node_name_problem(name)
    assert naming.package_problem(name.lower())
    assert naming.package_problem(name.upper().lower())


def test_every_standard_library_module_is_refused_as_a_package():
    for module in sys.stdlib_module_names:
        if naming.PACKAGE.fullmatch(module):
            assert naming.package_problem(module), module


# -- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "description, cell",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1 more", "'+1 more"),
        ("-2 days", "'-2 days"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\uff1d1+1", "'\uff1d1+1"),  # a full-width equals sign
        ("Sends the profile", "Sends the profile"),
    ],
)
def test_formula_prefixes_are_neutralised_in_design_studio_csv(description, cell):
    text = PARTNER.replace(
        "description: Create or update the Braze profile from the details collected in chat",
        f"description: {description!r}".replace("'", '"'),
    )
    solution, _ = load_solution("spec.yaml", text)
    rows = list(csv.DictReader(design_studio.render(solution).splitlines()))
    assert rows[0]["Description"] == cell
    assert all(len(row) == len(design_studio.COLUMNS) for row in rows)


def test_numbers_stay_numbers_in_design_studio_csv():
    assert design_studio.as_text("-585") == "-585"
    assert design_studio.as_text("-5.5") == "-5.5"
    assert design_studio.as_text("-5+5") == "'-5+5"


@pytest.mark.parametrize(
    "text, markdown",
    [
        ("a | b", "a \\| b"),
        ("[x](https://evil.example)", "\\[x\\](https://evil.example)"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
        ("# Title", "\\# Title"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),
        ("2) item", "2\\) item"),
        ("*bold* _it_ `code` ~~gone~~ $x$ &amp;", None),
        ("line one\nline two\r\n\u2028three", "line one line two three"),
    ],
)
def test_markdown_text_is_shown_as_written(text, markdown):
    escaped = markdown_text(text)
    if markdown is not None:
        assert escaped == markdown
    assert "\n" not in escaped and "\r" not in escaped
    unescaped = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escaped)
    assert unescaped == " ".join(text.split())


@pytest.mark.parametrize(
    "text, code",
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("`start", "`` `start ``"),
        ("a ``` b | c", "````a ``` b \\| c````"),
    ],
)
def test_markdown_code_holds_any_backticks(text, code):
    assert markdown_code(text) == code


def test_customer_and_descriptions_cannot_break_the_readme():
    hostile = "Acme | Co\n[click](https://evil.example) <b>x</b>"
    text = PARTNER.replace("customer: AcmeInsurance ", f"customer: {hostile!r} ".replace("'", '"'))
    text = text.replace(
        "description: Read the user's first name and loyalty tier back from Braze",
        'description: "a | b | c ``` # x"',
    )
    solution, _ = load_solution("spec.yaml", text)
    files = render_solution(solution, text)
    readme, routing = files["README.md"], files["ROUTING.md"]
    assert "**Acme \\| Co \\[click\\](https://evil.example) \\<b\\>x\\</b\\>**" in readme
    table = [line for line in readme.splitlines() if line.startswith("| `Braze")]
    assert len(table) == 3
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in table)
    assert "\na \\| b \\| c \\`\\`\\` # x\n" in routing


def test_node_names_cannot_hide_what_a_node_module_binds():
    """Every module a node imports is listed, and nothing else it binds could be a node name.

    Read from the golden nodes, which test_endpoints.py and test_golden.py keep current.
    """
    golden = TESTS / "golden"
    imported: set[str] = set()
    bound: set[str] = set()
    nodes = [*golden.glob("endpoints/*.py"), *golden.glob("partner_example/*/actions/B*.py")]
    for path in [*nodes, golden / "runtime.py"]:  # each node's own part, then its runtime
        for statement in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                imported.update((a.asname or a.name).split(".")[0] for a in statement.names)
            elif isinstance(statement, ast.FunctionDef | ast.ClassDef):
                if statement.name != path.stem:
                    bound.add(statement.name)
            elif isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = getattr(statement, "targets", [getattr(statement, "target", None)])
                bound.update(t.id for t in targets if isinstance(t, ast.Name))
    assert imported <= naming.NODE_MODULE_NAMES
    assert bound and not [name for name in bound if naming.is_camel_case(name)]
