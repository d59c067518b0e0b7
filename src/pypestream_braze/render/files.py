"""The model rendered into a solution's files: one Jinja environment, every file in memory.

    render_solution(solution, mapping_text) -> {relative path: text}

Nothing here touches the disk; writing, merging and state belong to the callers.
"""

from __future__ import annotations

import json
import re
import shlex

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..model import Node, Solution
from . import code, design_studio, routing
from .format import format_python, format_python_parts
from .samples import sample_payload


def render_solution(solution: Solution, mapping_text: str) -> dict[str, str]:
    env = _environment()
    package = solution.package
    context = {"solution": solution}
    files: dict[str, str] = {
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
        "tests/test_nodes.py": env.get_template("tests/test_nodes.py.jinja").render(context),
    }
    files = {
        path: format_python(text, path) if path.endswith(".py") else text
        for path, text in files.items()
    }
    # A node is its own part followed by the shared helpers it uses. Each part is formatted on
    # its own, so helpers that many nodes share are formatted once (see format.py).
    node_parts = [env.get_template(name) for name in NODE_TEMPLATES]
    for node in solution.nodes:
        path = f"{package}/actions/{node.file_name}"
        parts = [template.render(solution=solution, node=node) for template in node_parts]
        files[path] = format_python_parts(parts, path)
    return dict(sorted(files.items()))


NODE_TEMPLATES = ("action_node.py.jinja", "_inputs.py.jinja", "_braze_call.py.jinja")


def _environment() -> Environment:
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
        required_source=_required_source,
        outputs_source=_outputs_source,
        unsafe_reason=_unsafe_reason,
        seconds=lambda value: f"{value:g}",
        doc=_docstring_text,
        md=markdown_text,
        md_code=markdown_code,
        code_block=markdown_code_block,
        shell=shlex.quote,
        sample_payload=sample_payload,
        mermaid=routing.mermaid,
        route=lambda target, solution: routing.route_text(solution, target),
        routing_key=lambda value: {"true": "success", "false": "failure"}.get(value, value),
    )
    return env


def _required_source(node: Node) -> str:
    entries = [f"({r.path!r}, {r.label!r})" for r in node.required]
    return "(" + "".join(f"{e}, " for e in entries) + ")" if entries else "()"


def _outputs_source(node: Node) -> str:
    return repr({o.variable: o.path for o in node.outputs})


def _unsafe_reason(node: Node) -> str:
    if node.body.get("events"):
        return "Braze never de-duplicates events"
    if node.body.get("purchases"):
        return "Braze never de-duplicates purchases"
    if not node.endpoint.repeat_safe:
        return "a message would go out twice"
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
