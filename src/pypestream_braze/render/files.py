"""The model rendered into a solution's files: one Jinja environment, every file in memory.

    render_solution(solution, mapping_text) -> {relative path: text}

Nothing here touches the disk; writing, merging and state belong to the callers.
"""

from __future__ import annotations

import functools
import json
import re
import shlex

from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import node_runtime
from ..mapping.naming import snake_case
from ..model import Node, Solution
from . import code, design_studio, routing
from .expected import expected_outputs, expected_request
from .format import format_modules
from .samples import sample_payload


def render_solution(solution: Solution, mapping_text: str, templates=None) -> dict[str, str]:
    """templates: a team's templates (render/team.py), whose Jinja environment is used instead."""
    env = jinja_environment() if templates is None else templates.environment(jinja_environment())
    package = solution.package
    context = {"solution": solution}
    files: dict[str, str] = {
        ".gitattributes": env.get_template("gitattributes.jinja").render(context),
        WORKFLOW: env.get_template("workflow.yml.jinja").render(context),
        "README.md": env.get_template("README.md.jinja").render(context),
        "ROUTING.md": env.get_template("ROUTING.md.jinja").render(context),
        "design_studio.csv": design_studio.render(solution),
        "mapping.yaml": mapping_text,
        "requirements.txt": env.get_template("requirements.txt.jinja").render(context),
        "requirements-dev.txt": env.get_template("requirements-dev.txt.jinja").render(context),
        "pyproject.toml": env.get_template("pyproject.toml.jinja").render(context),
        f"{package}/__init__.py": env.get_template("package_init.py.jinja").render(context),
        f"{package}/app.py": env.get_template("app.py.jinja").render(context),
        f"{package}/run.py": env.get_template("run.py.jinja").render(context),
        f"{package}/actions/__init__.py": env.get_template("actions_init.py.jinja").render(),
        "tests/__init__.py": "",
        "tests/conftest.py": env.get_template("tests/conftest.py.jinja").render(context),
        "tests/node_contract.py": env.get_template("tests/node_contract.py.jinja").render(context),
        "tests/test_runtime.py": env.get_template("tests/test_runtime.py.jinja").render(context),
    }
    python: dict[str, str | list[str]] = {p: t for p, t in files.items() if p.endswith(".py")}
    # Every module is formatted in one call, so each distinct piece of all of them is formatted
    # once (see format.py). A node is its own part, formatted, then the runtime below its
    # marker line, as runtime.py has it (black-formatted already, and never changed).
    # Each node owns its test module, so a change to one node re-renders and re-formats only
    # what that node owns, whatever the solution's size.
    node_tests = env.get_template("tests/test_node.py.jinja")
    for node in solution.nodes:
        python[node_test_path(node.name)] = node_tests.render(solution=solution, node=node)
    node_template = env.get_template(NODE_TEMPLATE)
    nodes = {node.path_in(package): node for node in solution.nodes}
    for path, node in nodes.items():
        python[path] = node_template.render(solution=solution, node=node)
    files.update(format_modules(python))
    for path in nodes:
        files[path] = node_runtime.attach(files[path])
    return dict(sorted(files.items()))


NODE_TEMPLATE = "action_node.py.jinja"


def node_test_path(name: str) -> str:
    """The own test module of the node called name: tests/test_braze_track_profile.py."""
    return f"tests/test_{snake_case(name)}.py"


def node_test_module(node: Node) -> str:
    return f"test_{snake_case(node.name)}"


# The solution's CI, where GitHub looks for it when the solution is a repository of its own.
WORKFLOW = ".github/workflows/pypestream-braze.yml"


@functools.cache
def jinja_environment() -> Environment:
    """The generator's own templates, with the filters they use; a team's templates start
    from it (render/team.py), which reads it and never changes it. One per process: it keeps
    each template compiled, so a process that renders many solutions (`check DIR`) compiles
    them once."""
    env = Environment(
        loader=PackageLoader("pypestream_braze.render", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        py=repr,
        json=lambda value: json.dumps(value, ensure_ascii=False),
        expression=code.expression,
        rules_source=_rules_source,
        path_rules_source=code.path_rules_source,
        outputs_source=_outputs_source,
        unsafe_reason=_unsafe_reason,
        seconds=lambda value: f"{value:g}",
        doc=_docstring_text,
        md=markdown_text,
        md_code=markdown_code,
        code_block=markdown_code_block,
        shell=shlex.quote,
        sample_payload=sample_payload,
        expected_request=_expected_request,
        expected_outputs=expected_outputs,
        refusals=_refusals,
        node_test_module=node_test_module,
        needed_answers=_needed_answers,
        mermaid=routing.mermaid,
        route=lambda target, solution: routing.route_text(solution, target),
        routing_key=lambda value: {"true": "success", "false": "failure"}.get(value, value),
    )
    return env


def _rules_source(node: Node) -> str:
    if not node.rules:
        return "()"
    rows = "".join(f"    {(r.kind, r.path, r.keys, r.label)!r},\n" for r in node.rules)
    return "(\n" + rows + ")"


# What a solution's tests give the nodes: the context and moment they run with.
TEST_CONTEXT = {"env": "sandbox", "chat_id": "chat-1", "user_data": {}, "events": []}
TEST_NOW = "2024-05-01T10:30:00Z"


def _expected_request(node: Node, solution: Solution) -> dict | None:
    body, _ = _expect(node, solution, sample_payload(node))
    return body


def _refusals(node: Node, solution: Solution) -> list[tuple[tuple[str, ...], str]]:
    """For each rule that stops a call: the answers to leave out, and the BRAZE_ERROR then."""
    found: dict[tuple[str, ...], str] = {}
    payload = sample_payload(node)
    # Each answer mapping.yaml marks required, then the rules deepest first: the fewest answers
    # that stop the call.
    labels = [(name,) for name in node.required] + [rule.label for rule in node.rules]
    for label in labels:
        missing = tuple(name for name in label if name in payload)
        if not missing or any(set(known) <= set(missing) for known in found):
            continue
        left = {key: value for key, value in payload.items() if key not in missing}
        body, why = _expect(node, solution, left)
        if body is None:
            found[missing] = why
    return list(found.items())


def _needed_answers(node: Node, solution: Solution) -> str:
    """The answers without any one of which a node does not call Braze: "`USER_ID`"."""
    payload = sample_payload(node)
    needed = [
        name
        for name in payload
        if _expect(node, solution, {k: v for k, v in payload.items() if k != name})[0] is None
    ]
    return ", ".join(f"`{name}`" for name in needed)


def _expect(node: Node, solution: Solution, payload: dict) -> tuple[dict | None, str]:
    sandbox = next(env for env in solution.environments if env.name == "sandbox")
    return expected_request(node, payload, TEST_CONTEXT, sandbox.params, TEST_NOW)


def _outputs_source(node: Node) -> str:
    return repr({o.variable: o.path for o in node.outputs})


def _unsafe_reason(node: Node) -> str:
    if node.body.get("events"):
        return "Braze never de-duplicates events"
    if node.body.get("purchases"):
        return "Braze never de-duplicates purchases"
    if not node.endpoint.repeat_safe:
        return node.endpoint.unsafe
    return "an increment would count twice"


def _docstring_text(text: str) -> str:
    """Text safe inside a raw triple-quoted docstring."""
    return text.replace('"""', "'''").rstrip("\\")


# Markdown: spec text is shown as written, never read as markup. Backslash escapes (which
# CommonMark allows before any ASCII punctuation) cover emphasis, code, links, images, HTML and
# entities, table pipes, strikethrough and GitHub's $math$; a line-start escape covers headings,
# lists and rules. Text is kept to one line, so it cannot leave a table cell or a paragraph.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|&~$])")
_LIST_NUMBER = re.compile(r"[0-9]+(?=[.)])")


def markdown_text(text: str) -> str:
    """Text for a Markdown paragraph, heading or table cell."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(str(text).split()))
    number = _LIST_NUMBER.match(text)
    if number:  # "1. text" would start a numbered list
        return f"{text[: number.end()]}\\{text[number.end() :]}"
    return "\\" + text if text.startswith(("#", "+", "-", "=")) else text


def markdown_code(text: str) -> str:
    """Text as a code span in a Markdown table cell: fenced by more backticks than it holds.

    A table pipe is escaped even there (GitHub reads the table before the code span).
    """
    text = " ".join(str(text).split())
    if not text:
        return ""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def markdown_code_block(text: str, info: str = "") -> str:
    """A fenced code block holding text, fenced by more backticks than any run in it."""
    fence = "`" * max(3, max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{fence}{info}\n{text}\n{fence}"
