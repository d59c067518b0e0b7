"""What `check` accepts, `new` generates correctly, whatever text the spec holds.

Specs are built from the example mappings (mappings/*.yaml, one per Braze endpoint, within the
catalogue of braze.py and the README's mapping reference), with hostile text in every free
field: quotes, backslashes, triple quotes, Liquid, braces, Markdown and CSV syntax, bidirectional
marks, control characters, lone surrogates, Windows device names, long strings, and raw YAML
(tags, non-finite numbers, aliases, deep nesting) where a value goes.

For every spec `check` accepts, the generated solution compiles, imports, is black-formatted,
passes ruff with its own pyproject.toml, each node's build_request runs on its sample payload and
execute() answers without raising, and its README, ROUTING.md and design_studio.csv show every
text as written. For every spec it rejects, each error names its line and column.

CI runs a fixed set of examples; to search longer (a few minutes per thousand examples):

    PYPESTREAM_BRAZE_PROPERTIES=thorough python -m pytest tests/mapping/test_spec_properties.py
"""

from __future__ import annotations

import copy
import csv
import importlib
import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import black
import pytest
import yaml
from helpers import MAPPINGS, write_files
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pypestream_braze import node_runtime
from pypestream_braze.errors import SpecError
from pypestream_braze.mapping.reader import load_solution
from pypestream_braze.render.design_studio import COLUMNS, FORMULA_PREFIXES, as_text
from pypestream_braze.render.files import render_solution
from pypestream_braze.render.samples import sample_payload

pytestmark = pytest.mark.slow  # generates and checks a solution per example

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,  # the same examples on every run: CI never fails by chance
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    parent=settings.get_profile("ci"),
    max_examples=2000,
    derandomize=False,
)
PROFILE = settings.get_profile(os.environ.get("PYPESTREAM_BRAZE_PROPERTIES", "ci"))

# Sorted: the examples hypothesis draws depend on the order, which a directory listing does not fix.
SEEDS = {
    path.stem: yaml.safe_load(path.read_text("utf-8")) for path in sorted(MAPPINGS.glob("*.yaml"))
}
RUNTIME = node_runtime.text()
BLACK_MODE = black.Mode()  # the solution's pyproject.toml: black's defaults, line length 88

# -- hostile text --------------------------------------------------------------------------------

PIECES = [
    *('"', "'", "\\", '"""', "'''", "\\'", '\\"', 'r"""', "\\\\", "\\u0000", "\\x00", "\\N{X}"),
    *("{{", "}}", "{%", "%}", "{", "}", "${", "{{${first_name}}}", "{% if ${city} %}x{% endif %}"),
    *("{{ x | default: '}' }}", "{USER_ID}", "{FIRST_NAME}", "{lower}", "{A}{B}", "{{A}}", "{ A }"),
    *("\u200f", "\u200e", "\u202e", "\u2066", "\ufeff", "\u2028", "\u00a0", "\u3000", "\u0301"),
    *("\t", "\n", "\r\n", "\r", " ", "  ", "\u2029", "\u200b", "\u00ad", "\U000e0001"),
    *("=", "+", "-", "@", "=1+1", "@SUM(A1)", '=HYPERLINK("x")', "\uff1d", "-1", "+1"),
    *("|", "| a | b |", "[x](https://evil.example)", "![i](x)", "<script>x</script>", "<b>"),
    *("&amp;", "&#60;", "`", "```", "$x$", "*", "**", "_", "~~", "# ", "- ", "1. ", "> ", "---"),
    *("con", "NUL", "Com1", "aux.py", "ñ", "😀", "\U0001d518", "ß", "İ", "ﬁ", "٣", "x" * 300),
    "é" * 50,
    *("%", "%Y", "%m/%d/%Y", "%Q", "%%", "%z", "#", " # c", ": ", "&a", "*a", "!tag", "? ", "..."),
    *("null", "~", "true", "yes", "on", ".inf", ".nan", "1e999", "0x1F", "2024-02-30", "12:30"),
]
# Raw YAML put where a value goes, unquoted: tags, numbers and structures a spec may not hold.
RAW = [
    *(".inf", "-.inf", ".nan", "1.0e999", "9" * 4400, "0x" + "f" * 3700, "1:" * 3000 + "1"),
    *("!!int abc", "!!float x", "!foo bar", "!!python/name:os.system", "!!binary aGk="),
    *("!!python/object/apply:os.system [id]", "!!timestamp 2020-13-45", "2024-02-30", "!!set {a}"),
    *("!!omap [a: 1]", "[" * 70 + "1" + "]" * 70, "<<", "=", "*nowhere", "&loop [1, *loop]"),
    *("!!str 12", "!!null", "!!bool maybe", "{FIRST_NAME}", "'unclosed", "[unclosed"),
    "{a: 1, a: 2}",
    *("1:30:00", "0o17", "~", "2024-05-01 10:30:00", "12e3", "0b101", "-0", "!!float 1e400"),
]
# Characters no spec text may hold: control characters but tab and line breaks, lone surrogates.
FORBIDDEN = st.sampled_from(["\x00", "\x1b", "\x7f", "\x85", "\x07", "\ud800", "\udfff"])
printable = st.characters(blacklist_categories=["Cc", "Cs"])
text_pieces = st.sampled_from(PIECES) | st.text(printable, max_size=6)
free_text = st.lists(text_pieces, max_size=6).map("".join) | st.text(printable, max_size=30)
forbidden_text = st.builds(
    "{}{}{}".format, free_text, FORBIDDEN | st.characters(categories=["Cc"]), free_text
)
variables = st.sampled_from(["USER_ID", "FIRST_NAME", "A", "X_1"]) | st.from_regex(
    r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True
)
body_text = st.one_of(
    free_text,
    st.builds("{}{{{}}}{}".format, free_text, variables, free_text),
    st.sampled_from(["{{${first_name} | default: 'x'}} {FIRST_NAME}", "{% if x %}{A}{% endif %}"]),
)
numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 0.5, 8, 60, 61, 2**31, 2**63, 1e-9, 1e308, -0.0]),
)
scalars = st.one_of(free_text, numbers, st.booleans())
node_names = st.from_regex(r"[A-Z][a-z][A-Za-z0-9]{0,16}", fullmatch=True) | st.sampled_from(
    [
        *("Exception", "ValueError", "BaseException", "StopIteration", "NotImplemented"),
        *("Con", "Aux", "Nul", "Prn", "Com1", "Lpt9", "Str", "Json", "Requests", "Time", "App"),
        *("Braze" + "X" * 34 + "y", "Braze" + "X" * 35 + "y", "B" + "a" * 299, "None", "True"),
        *("Print", "Id", "ID", "A", "Ab", "aB", "Ab_c", "Ab c", "Über", "Ab😀", "Ab\n", "Node"),
    ]
)
solution_names = st.from_regex(r"[A-Z][a-z][A-Za-z0-9]{0,16}", fullmatch=True) | st.sampled_from(
    [
        *("Json", "Requests", "Tests", "Typing", "Http", "Os", "Con", "Aux", "Main", "App"),
        *("Pytest", "Yaml", "Hypothesis", "X" * 41, "Ab" + "c" * 38, "A" + "Bc" * 16, "ABC"),
        *("Acme Claims", "acme", "Init", "Site", "Ńame"),
    ]
)
packages = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True) | st.sampled_from(
    [
        *("json", "requests", "typing", "http", "tests", "os", "con", "aux", "nul", "com1"),
        *("app", "yaml", "hypothesis", "black", "_", "__init__", "__main__", "p" * 30, "p" * 31),
        *("class", "none", "site", "sitecustomize", "pkg-name", "Pkg", "1pkg", "ab\n", "_pytest"),
    ]
)
urls = st.sampled_from(
    [
        *(
            "http://127.0.0.1:8080",
            "https://rest.iad-01.braze.com/",
            "https://rest.fra-01.braze.eu",
        ),
        *(
            "http://[::1]:9",
            "https://user:pw@rest.iad-01.braze.com",
            "https://rest.iad-01\n.braze.com",
        ),
        *("https://x.braze.com/\tp", " https://ex.example ", "https://ex.example/a b", "ftp://x"),
        *(
            "https://ex.example/'\"",
            "https://ex.example/ñ",
            "https://ex.example:99999",
            "file:///x",
        ),
        *("https://ex.example?x=1", "https://ex.example#f", "https://ex.example/\\", "https://:80"),
        *("javascript:alert(1)", "https://ex.example/%00", "https://ex.example/)](x", "https://"),
        *(
            "https://ex.example/`x`",
            "https://ex.example/|x",
            "https://ex.example/\u202e",
            "http://a@b",
        ),
    ]
) | st.builds("https://rest.iad-01.braze.com/{}".format, free_text)
variable_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)
api_key_envs = st.one_of(
    variable_names, variable_names, st.sampled_from(["X-Y", "1A", "A\n", "\u0130", ""])
)
timeouts = st.floats(0.5, 60) | st.sampled_from([0.4, 61, -1, 0, 1e308])
output_paths = st.sampled_from(["a.b", "users[0].x", "a..b", "ü.x", "$x", "a-b", "[0]"]) | free_text


@st.composite
def specs(draw) -> str:
    """A spec's YAML text: an example mapping with hostile values put in a few free fields."""
    spec = copy.deepcopy(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    sites = list(_free_fields(spec))
    chosen = draw(st.lists(st.sampled_from(range(len(sites))), max_size=8, unique=True))
    # A third of the specs also get raw YAML or text no spec may hold in one of those fields
    # (Hypothesis leans to small numbers: the largest is the rarer choice).
    forbidden = draw(st.sampled_from(chosen)) if chosen and draw(st.integers(0, 2)) == 2 else None
    raw: list[str] = []
    for index in chosen:
        container, key, values = sites[index]
        if key == "url":
            container.pop("instance", None)
        if index != forbidden:
            container[key] = draw(values)
        elif draw(st.booleans()):
            container[key] = draw(forbidden_text)
        else:
            raw.append(draw(st.sampled_from(RAW)))
            container[key] = f"RAWFRAGMENT{len(raw) - 1}X"
    if draw(st.booleans()) and "package" not in spec:  # a field the examples leave out
        spec["package"] = draw(packages)
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=10_000)
    for index, fragment in enumerate(raw):
        text = text.replace(f"RAWFRAGMENT{index}X", fragment)
    return text


def _free_fields(spec):
    """(container, key, strategy) for every field of spec that hostile text may go in."""
    yield spec, "customer", free_text.map(lambda text: text if text.strip() else f"Acme{text}")
    yield spec, "solution", solution_names
    yield spec, "package", packages
    yield spec.setdefault("defaults", {}), "timeout", timeouts
    environments = spec["environments"]
    for env in environments.values():
        yield env, "url", urls  # an instance and a url together are an error too
        yield env, "api_key_env", api_key_envs
        for name in env.get("params", {}):
            yield env["params"], name, scalars
    for node in spec["nodes"]:
        yield node, "name", node_names
        yield node, "description", free_text
        for part in ("path", "query", "body", "identifier"):  # a read has a query, not a body
            yield from _leaves(node.get(part, {}))
        for variable in node.get("outputs", {}):
            yield node["outputs"], variable, output_paths


def _leaves(tree):
    """The constants of a body; a var form's format and default (its names stay)."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    if isinstance(tree, dict) and "var" in tree:
        yield tree, "format", scalars
        yield tree, "default", scalars
        return
    if isinstance(tree, dict) and ("param" in tree or "context" in tree):
        return
    for key, value in list(items):
        if isinstance(value, dict | list):
            yield from _leaves(value)
        elif isinstance(value, str):
            yield tree, key, body_text
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield tree, key, numbers


# -- the property ----------------------------------------------------------------------------------


PARTNER = (MAPPINGS / "partner_example.yaml").read_text("utf-8")
DESCRIPTION = "Create or update the Braze profile from the details collected in chat"
PROPERTY = "solution: AcmeClaims\n            chat_id"


def _partner(old: str, new: str) -> str:
    assert old in PARTNER
    return PARTNER.replace(old, new, 1)


# Every run also tries these: one for each kind of text a spec must not hold or must escape.
@example(text=_partner("name: BrazeTrackProfile", "name: Exception"))
@example(text=_partner("customer: AcmeInsurance ", 'customer: "Acme\\n| x | [y](z) <b>" '))
@example(text=_partner(DESCRIPTION, '"=1+1 \\"\\"\\" | `x` [a](b) <i>y</i> \\\\"'))
@example(text=_partner(DESCRIPTION, '"a\\0b"'))
@example(text=_partner(DESCRIPTION, '"\\u202e evil"'))
@example(text=_partner(PROPERTY, "solution: .inf\n            chat_id"))
@example(text=_partner(PROPERTY, "solution: " + "[" * 200 + "]" * 200 + "\n            chat_id"))
@example(text=_partner(PROPERTY, 'solution: "' + "{{" * 1000 + '"\n            chat_id'))
@example(text=_partner("solution: AcmeClaims ", "solution: AcmeClaims\npackage: json "))
@example(text=_partner("instance: US-01 ", 'url: "https://u:p@rest.iad-01.braze.com" '))
@settings(PROFILE)
@given(text=specs())
def test_what_check_accepts_generates_a_correct_solution(text):
    try:
        solution, _ = load_solution("spec.yaml", text)
    except SpecError as err:
        event("rejected")
        assert err.errors
        for problem in err.errors:
            assert problem.location.file == "spec.yaml"
            assert problem.location.line >= 1 and problem.location.column >= 1, str(problem)
        return
    event("accepted")
    files = render_solution(solution, text)
    for path, source in files.items():
        if path.endswith(".py"):
            compile(source, path, "exec")
            # A node's own part, the code the spec shapes; the runtime below its marker is the
            # same in every node (asserted here) and black-clean (tests/render/test_golden.py).
            cut = node_runtime.split(source)
            if cut is not None:
                assert cut.runtime == RUNTIME, path
                source = cut.part.rstrip("\n") + "\n"
            assert black.format_str(source, mode=BLACK_MODE) == source, f"{path} is not black"
    _assert_documents_show_text_as_written(solution, files)
    with tempfile.TemporaryDirectory() as folder:
        root = write_files(Path(folder), files)
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format=concise", "."],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
        with _importable(root, solution.package):
            _assert_nodes_run(solution)


def _assert_nodes_run(solution) -> None:
    app = importlib.import_module(f"{solution.package}.app")
    for env in app.PARAMS.values():
        env["braze_api_key"] = ""  # execute() must answer before any request is sent
    for node in solution.nodes:
        module = importlib.import_module(f"{solution.package}.actions.{node.name}")
        instance = getattr(module, node.name)()
        payload = sample_payload(node)
        context = {"env": "sandbox", "chat_id": "chat-1", **dict.fromkeys(node.context_keys, "c")}
        _, body, problems = instance.build_request(payload, context, app.PARAMS["sandbox"])
        json.dumps(body, allow_nan=False)
        assert all(isinstance(problem, str) for problem in problems)
        for context in ({"env": "sandbox"}, ["not a context"]):  # no key; the catch-all
            answer = instance.execute(lambda line: None, payload, context)
            assert answer["success"] == "error"
            assert all(isinstance(value, str) for value in answer.values())


@contextmanager
def _importable(root: Path, package: str):
    """The solution's package imported from root, even if a module of its name is loaded."""

    def ours(name: str) -> bool:
        return name == package or name.startswith(package + ".")

    hidden = {name: module for name, module in sys.modules.items() if ours(name)}
    for name in hidden:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if ours(name)]:
            del sys.modules[name]
        sys.modules.update(hidden)


# -- documents ---------------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
FORBIDDEN_TOKENS = {"html_block", "html_inline", "link_open", "image", "s_open", "em_open"}


def _assert_documents_show_text_as_written(solution, files) -> None:
    readme = MARKDOWN.parse(files["README.md"])
    routing = MARKDOWN.parse(files["ROUTING.md"])
    for tokens in (readme, routing):
        kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
        assert not kinds & FORBIDDEN_TOKENS, kinds & FORBIDDEN_TOKENS
    cells = [t for t in readme if t.type == "inline" and _in_cell(readme, t)]
    per_row = 4  # Node, Endpoint, Design Studio node, What it does
    for index, node in enumerate(solution.nodes):
        assert _plain(cells[(index + 1) * per_row + 3]) == node.description
    bold = next(t for t in readme if t.type == "inline" and "for **" in t.content)
    inside = bold.children[bold.children.index(_first(bold, "strong_open")) + 1 : -1]
    inside = inside[: [c.type for c in inside].index("strong_close")]
    assert "".join(c.content for c in inside) == " ".join(solution.customer.split())
    assert {c.type for c in inside} <= {"text"}
    paragraphs = [t for t in routing if t.type == "inline"]
    for node in solution.nodes:
        heading = next(i for i, t in enumerate(paragraphs) if t.content == _heading(node))
        assert _plain(paragraphs[heading + 1]) == node.description
    rows = list(csv.reader(files["design_studio.csv"].splitlines()))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        assert len(row) == len(COLUMNS)
        assert all(cell == as_text(cell) for cell in row)  # nothing left to neutralise
    for row, node in zip(rows[1:], solution.nodes, strict=False):
        description = row[COLUMNS.index("Description")]
        prefixed = node.description.startswith(FORMULA_PREFIXES)
        assert description == ("'" if prefixed else "") + node.description


def _in_cell(tokens, inline) -> bool:
    before = tokens[tokens.index(inline) - 1]
    return before.type in ("td_open", "th_open")


def _plain(inline) -> str:
    assert {c.type for c in inline.children} <= {"text"}, [c.type for c in inline.children]
    return "".join(c.content for c in inline.children)


def _first(inline, kind):
    return next(c for c in inline.children if c.type == kind)


def _heading(node) -> str:
    return f"{node.routes.node} {node.name}"


# -- known generation bugs outside the spec reader --------------------------------------------

DATE_ONLY = """\
version: 1
customer: Acme
solution: AcmeDates
environments:
  sandbox: {instance: US-01}
  live: {instance: US-05}
nodes:
  - name: BrazeDob
    endpoint: users/track
    identifier: {external_id: conv-user-1}
    body:
      attributes:
        - dob: {var: DOB, as: date}
    routing: {node: 10, success: 20, failure: 30, error: 40}
"""


def test_a_node_whose_only_conversion_is_a_date_passes_ruff(tmp_path):
    solution, _ = load_solution("spec.yaml", DATE_ONLY)
    root = write_files(tmp_path, render_solution(solution, DATE_ONLY))
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--quiet", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout


LIQUID_AND_OFFSET = """\
version: 1
customer: Acme
solution: AcmeMail
environments:
  sandbox: {instance: US-01}
  live: {instance: US-05}
nodes:
  - name: BrazeSendWelcome
    endpoint: messages/send
    body:
      external_user_ids: ["{USER_ID}"]
      messages:
        email:
          app_id: app-1
          from: Acme <hello@example.com>
          body: "{% if {PLAN} %}x{% endif %} {FIRST_NAME}"
    routing: {node: 10, success: 20, failure: 30, error: 40}
  - name: BrazeTrackSeen
    endpoint: users/track
    identifier: {external_id: "{USER_ID}"}
    body:
      attributes:
        - last_seen: {var: SEEN, as: datetime, format: "%Y-%m-%dT%H:%M:%S%z"}
    routing: {node: 50, success: 60, failure: 70, error: 80}
"""


@pytest.fixture
def liquid_and_offset(generate):
    return generate(LIQUID_AND_OFFSET)


def test_a_placeholder_inside_liquid_is_sent_as_written(liquid_and_offset):
    app = liquid_and_offset.app
    _, node = liquid_and_offset.node("BrazeSendWelcome")
    _, body, _ = node.build_request(
        {"USER_ID": "u-1", "FIRST_NAME": "Ada"}, {}, app.PARAMS["sandbox"]
    )
    assert body["messages"]["email"]["body"] == "{% if {PLAN} %}x{% endif %} Ada"


def test_the_sample_of_a_datetime_with_an_offset_is_read(liquid_and_offset):
    solution, _ = load_solution("spec.yaml", LIQUID_AND_OFFSET)
    app = liquid_and_offset.app
    _, node = liquid_and_offset.node("BrazeTrackSeen")
    payload = sample_payload(solution.nodes[1])
    _, body, problems = node.build_request(payload, {}, app.PARAMS["sandbox"])
    assert not problems
    assert body["attributes"][0]["last_seen"] is not None
