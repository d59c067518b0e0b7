"""The model rendered into a solution's files: one Jinja environment, every file in memory.

    render_solution(solution, mapping_text) -> {relative path: text}

Nothing here touches the disk; writing, merging and state belong to the callers.
"""

from __future__ import annotations

import json

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..model import Node, Solution
from . import code, design_studio, routing
from .format import format_modules
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
    python: dict[str, str | list[str]] = {p: t for p, t in files.items() if p.endswith(".py")}
    # A node is its own part followed by the shared helpers it uses; every module is formatted
    # in one call, so each distinct piece of all of them is formatted once (see format.py).
    node_parts = [env.get_template(name) for name in NODE_TEMPLATES]
    for node in solution.nodes:
        path = f"{package}/actions/{node.file_name}"
        python[path] = [template.render(solution=solution, node=node) for template in node_parts]
    files.update(format_modules(python))
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
        md=_markdown_cell,
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


def _markdown_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")
