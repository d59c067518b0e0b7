"""A team's own templates: the Jinja loader seam, and the invariants their output is held to.

    render(solution, mapping_text, conventions) -> {relative path: text}    raises SpecError

The conventions' `templates` folder comes first in the loader, so a team template replaces the
generator's of the same name (README.md.jinja, app.py.jinja, ...). HEADER is the team's own: the
generator has none, and puts its output at the top of every node file. Team templates run in
Jinja's immutable sandbox: they read the model, they cannot reach Python.

Their output is held to the generator's invariants; a break is an error naming the template, and
nothing is written:
  - Python a team template renders must already be black-formatted. The generator formats its
    own templates' output, but formatting the team's would hide what they wrote, and every
    regeneration would fight their layout;
  - every Python file they change compiles, and ruff finds nothing in it that it does not find
    in the generator's own version (one ruff run per render, over those files only);
  - a node file keeps the top-level classes the generator's own render has: the node's class,
    named after the file, which Pypestream names the script after.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SecurityError

from ..errors import Level, Location, Problem, SpecError
from ..mapping.conventions import Conventions, read_template, template_files
from ..mapping.naming import did_you_mean
from ..model import Solution
from . import files
from .bounded import BoundedSandbox, TemplateLimitError, bounded_filter
from .files import NODE_TEMPLATE, render_solution
from .format import GeneratedCodeError, format_python

HEADER = "header.py.jinja"
# Sandboxed environments by (templates folder, conventions hash), so each process compiles the
# templates once however many solutions it renders; the hash covers every template's bytes.
_ENVIRONMENTS: dict[tuple[str, str], Environment] = {}


def render(solution: Solution, mapping_text: str, conventions: Conventions | None) -> dict:
    """The solution's files, rendered with the team's templates where the conventions give any."""
    if conventions is None or conventions.templates is None:
        return render_solution(solution, mapping_text)
    team = TeamTemplates(conventions.templates, conventions.templates_shown_as, conventions.sha256)
    team.check_names()
    theirs = render_solution(solution, mapping_text, team)
    ours = render_solution(solution, mapping_text) if team.overrides_python else dict(theirs)
    theirs = team.add_headers(theirs, solution)
    team.verify(ours, theirs, solution)
    return theirs


class TeamTemplates:
    def __init__(self, folder: Path, shown_as: str, sha256: str = ""):
        self.folder = folder
        self.key = (str(folder), sha256)
        self.shown_as = shown_as or str(folder)
        self.names = {name for name, _ in template_files(folder)}
        self.env: Environment | None = None
        self.base_names: set[str] = set()
        # what each team template rendered: node name (or None) -> [template name]
        self.rendered: dict[str | None, list[str]] = {}

    @property
    def overrides_python(self) -> bool:
        return any(n.endswith(".py.jinja") and n != HEADER for n in self.names)

    def environment(self, base: Environment) -> Environment:
        """The generator's environment with the team's folder first, sandboxed."""
        env = _ENVIRONMENTS.get(self.key) if self.key[1] else None
        generators = base.loader
        assert generators is not None, "the generator's environment reads its own folder"
        if env is None:
            env = BoundedSandbox(
                loader=ChoiceLoader([_TeamLoader(self.folder, self.names), generators]),
                undefined=base.undefined,
                keep_trailing_newline=base.keep_trailing_newline,
                trim_blocks=base.trim_blocks,
                lstrip_blocks=base.lstrip_blocks,
                autoescape=False,
            )
            env.filters.update(base.filters)
            env.filters.update(
                {name: bounded_filter(env, function) for name, function in env.filters.items()}
            )
            env.template_class = _CheckedTemplate
            if self.key[1]:
                if len(_ENVIRONMENTS) >= 8:
                    _ENVIRONMENTS.clear()
                _ENVIRONMENTS[self.key] = env
        env.team = self  # type: ignore[attr-defined]  # the render under way
        self.env = env
        self.base_names = set(generators.list_templates())
        return env

    # -- before rendering ---------------------------------------------------------------------

    def check_names(self) -> None:
        """Every team template compiles and overrides one of the generator's, or is a helper."""
        env = self.environment(files.jinja_environment())
        known = self.base_names | {HEADER}
        problems = []
        for name in sorted(self.names):
            helper = name.rsplit("/", 1)[-1].startswith("_") and name not in known
            if name not in known and not helper:
                problems.append(
                    self.problem(
                        name,
                        f"overrides no template of the generator{did_you_mean(name, known)}; "
                        f"the generator's are {', '.join(sorted(known))} (a name starting with "
                        "'_' is a helper for your own templates to include)",
                    )
                )
                continue
            try:
                env.get_template(name)
            except TemplateSyntaxError as err:
                problems.append(
                    self.problem(name, f"is not a valid template: {err.message}", err.lineno)
                )
        if problems:
            raise SpecError(problems)

    # -- while rendering ----------------------------------------------------------------------

    def owns(self, template: Template) -> bool:
        filename = template.filename or ""
        return filename.startswith(str(self.folder) + os.sep)

    def rendered_by(self, template: Template, context: dict, text: str) -> None:
        """Hold what a team template rendered to the invariants that need no other file."""
        name = template.name or ""
        node = context.get("node")
        self.rendered.setdefault(getattr(node, "name", None), []).append(name)
        if not name.endswith(".py.jinja") or not text.strip():
            return
        try:
            compile(text, name, "exec", dont_inherit=True)
        except SyntaxError as err:
            raise self.error(
                name,
                f"renders Python that does not compile: {err.msg} "
                f"(line {err.lineno} of its output)",
            ) from None
        try:
            formatted = format_python(text, name)
        except GeneratedCodeError as err:
            raise self.error(name, f"renders Python black cannot read: {err}") from None
        if formatted != text:
            raise self.error(name, _black_message(text, formatted))
        if name == HEADER:
            problem = _header_problem(text)
            if problem:
                raise self.error(name, problem)

    def failed(self, template: Template, err: Exception) -> SpecError:
        name = template.name or ""
        line = _template_line(err, template.filename)
        if isinstance(err, TemplateLimitError):
            what = str(err)
        elif isinstance(err, SecurityError):
            what = f"uses what a template may not: {err}"
        else:
            what = f"failed to render: {type(err).__name__}: {err}"
        return self.error(name, what, line)

    # -- after rendering ----------------------------------------------------------------------

    def add_headers(self, files: dict[str, str], solution: Solution) -> dict[str, str]:
        """Every node file with the team's header on top, if the team has one."""
        if HEADER not in self.names or self.env is None:
            return files
        template = self.env.get_template(HEADER)
        files = dict(files)
        for node in solution.nodes:
            path = node.path_in(solution.package)
            header = template.render(solution=solution, node=node).rstrip("\n")
            if not header.strip():
                continue
            seam = _seam(header, files[path], path)
            if seam is None:
                raise self.error(
                    HEADER, f"black would change the header where it meets the code of {path}"
                )
            files[path] = header + seam + files[path]
        return files

    def verify(self, ours: dict[str, str], theirs: dict[str, str], solution: Solution) -> None:
        changed = sorted(
            p for p, text in theirs.items() if p.endswith(".py") and ours.get(p) != text
        )
        blame = {p: self.blame(p, solution) for p in changed}
        problems = []
        for node in solution.nodes:
            path = node.path_in(solution.package)
            if path not in blame:
                continue
            if set(blame[path]) - {HEADER}:  # a node template of theirs meets ours: check it all
                formatted = format_python(theirs[path], path)
                if formatted != theirs[path]:
                    problems.append(
                        self.problem(blame[path][-1], _black_message(theirs[path], formatted, path))
                    )
            classes, expected = _classes(theirs[path]), _classes(ours.get(path, ""))
            if classes != expected or classes[node.name] != 1:
                problems.append(
                    self.problem(
                        blame[path][-1], _classes_message(path, node.name, classes, expected)
                    )
                )
        for path in changed:
            try:
                compile(theirs[path], path, "exec", dont_inherit=True)
            except SyntaxError as err:
                problems.append(
                    self.problem(
                        blame[path][-1],
                        f"makes {path} fail to compile: {err.msg} (line {err.lineno})",
                    )
                )
        if not problems:
            for path, finding in _ruff_findings(ours, theirs, changed):
                problems.append(
                    self.problem(blame[path][-1], f"makes ruff fail on {path}: {finding}")
                )
        if problems:
            raise SpecError(problems)

    def blame(self, path: str, solution: Solution) -> list[str]:
        """The team templates that went into a generated file."""
        node = next((n for n in solution.nodes if n.path_in(solution.package) == path), None)
        if node is not None:
            names = [n for n in self.rendered.get(node.name, []) if n in (NODE_TEMPLATE, HEADER)]
            return names or [HEADER]
        file_name = path.rsplit("/", 1)[-1]
        guesses = [n for n in self.names if n.rsplit("/", 1)[-1] == f"{file_name}.jinja"]
        return guesses or sorted(self.names)

    def problem(self, name: str, message: str, line: int | None = None) -> Problem:
        shown = os.path.join(self.shown_as, *name.split("/"))
        return Problem(Location(shown, line or 0, 1 if line else 0), Level.ERROR, message)

    def error(self, name: str, message: str, line: int | None = None) -> SpecError:
        return SpecError([self.problem(name, message, line)])


class _TeamLoader(BaseLoader):
    """The team's templates, only those listed when the conventions were read, each read under
    the boundary rules (no link followed, no FIFO opened, size bounded: reading.py)."""

    def __init__(self, folder: Path, names: set[str]):
        self.folder = folder
        self.names = names

    def get_source(self, environment, template):
        if template not in self.names:
            raise TemplateNotFound(template)
        data = read_template(self.folder, template)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateSyntaxError("is not UTF-8 text", 1, template) from None
        return text, str(self.folder.joinpath(*template.split("/"))), lambda: True

    def list_templates(self):
        return sorted(self.names)


class _CheckedTemplate(Template):
    """A template that hands what it renders to its team's checks when it is the team's."""

    def render(self, *args, **kwargs) -> str:
        team: TeamTemplates = self.environment.team  # type: ignore[attr-defined]
        if not team.owns(self):
            return super().render(*args, **kwargs)
        env: BoundedSandbox = self.environment  # type: ignore[assignment]
        try:
            with env.limits():  # streamed, so its size is known before it is all made
                chunks = []
                for chunk in self.generate(*args, **kwargs):
                    env.count(chunk)
                    chunks.append(chunk)
                text = "".join(chunks)
        except SpecError:
            raise
        except Exception as err:  # whatever a team template does wrong is reported, by name
            raise team.failed(self, err) from None
        team.rendered_by(self, dict(*args, **kwargs), text)
        return text


def _seam(header: str, body: str, path: str) -> str | None:
    """The blank lines black puts between a header and a node file (header and file are black's).

    black lays out top-level statements one by one, so only where the two meet can it
    disagree; formatting the header with the file's first statements says how they join.
    """
    head = _leading_statements(body, 2)
    joined = format_python(header + "\n\n\n" + head, path)
    seam = joined[len(header) : len(joined) - len(head)]
    if joined.startswith(header) and joined.endswith(head) and not seam.strip("\n"):
        return seam
    return None


def _leading_statements(text: str, count: int) -> str:
    """The first lines of a module, up to the end of its first count top-level statements."""
    body = ast.parse(text).body
    if not body:
        return text
    end = body[min(count, len(body)) - 1].end_lineno or 0
    return "".join(text.splitlines(keepends=True)[:end])


def _classes(text: str) -> Counter:
    """The classes a module defines when imported: at its top level, or inside an `if`, a
    `try`, a `with` or a loop there (not inside a function or a class)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return Counter()
    found: Counter = Counter()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.ClassDef):
            found[node.name] += 1
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _header_problem(text: str) -> str | None:
    """Why a header's Python is more than comments, a docstring, imports and constants."""
    try:
        body = ast.parse(text).body
    except SyntaxError:
        return None  # reported as not compiling
    for index, statement in enumerate(body):
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if index == 0 and _is_docstring(statement):
            continue
        if _is_constant(statement):
            continue
        line = text.splitlines()[statement.lineno - 1].strip()
        return (
            f"renders code that runs when a node is imported (line {statement.lineno} of its "
            f"output: {line[:60]!r}); a header holds comments, a docstring, imports and "
            "constants (NAME = a literal value) only"
        )
    return None


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _is_constant(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return False
    if not all(isinstance(target, ast.Name) for target in targets):
        return False
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _classes_message(path: str, node_name: str, classes: Counter, expected: Counter) -> str:
    # "top-level": what runs when the module is imported, inside an `if` or a `try` too.
    added = sorted((classes - expected).elements())
    removed = sorted((expected - classes).elements())
    what = []
    if added:
        what.append(f"adds the top-level class{'es' * (len(added) > 1)} {', '.join(added)}")
    if removed:
        what.append(f"removes {', '.join(removed)}")
    if classes[node_name] != 1 and not removed:
        what.append(f"defines {node_name} {classes[node_name]} times")
    return (
        f"{' and '.join(what)} in {path}: a node file holds exactly one top-level class, "
        f"{node_name}, named after the file (Pypestream names the script after it and renames "
        "every class in it); put helpers in functions or methods"
    )


def _black_message(text: str, formatted: str, path: str = "") -> str:
    """What black would change first, in words: which line, and how."""
    lines, wanted = text.splitlines(), formatted.splitlines()
    matcher = difflib.SequenceMatcher(None, lines, wanted, autojunk=False)
    tag, i1, i2, j1, j2 = next(op for op in matcher.get_opcodes() if op[0] != "equal")
    where = f"line {i1 + 1} of {path or 'its output'}"
    if tag == "delete":
        change = f"removes {_shown(lines[i1:i2])} at {where}"
    elif tag == "insert":
        change = f"adds {_shown(wanted[j1:j2])} before {where}"
    else:
        change = f"writes {_shown(lines[i1:i2])} at {where} as {_shown(wanted[j1:j2])}"
    return (
        f"renders Python that black would change: black {change}. The generator keeps a "
        "team's output as written, so a template must render black-formatted code (line "
        "length 88); a header of comments fits every node"
    )


def _shown(lines: list[str]) -> str:
    if all(not line.strip() for line in lines):
        return "a blank line" if len(lines) == 1 else f"{len(lines)} blank lines"
    return repr("\n".join(lines)) if len(lines) > 1 else repr(lines[0])


def _template_line(err: Exception, filename: str | None) -> int | None:
    """The template's own line an error happened at, from the traceback Jinja rewrites."""
    line = None
    traceback = err.__traceback__
    while traceback is not None:
        if filename and traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return getattr(err, "lineno", None) or line


def _ruff() -> list[str]:
    """The ruff executable installed with this package (no Python start-up), else its module."""
    try:
        from ruff.__main__ import find_ruff_bin

        return [os.fsdecode(find_ruff_bin())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "ruff"]


def _ruff_findings(ours: dict, theirs: dict, paths: list[str]) -> list[tuple[str, str]]:
    """ruff's findings in theirs that ours does not have, per file: one ruff run for both."""
    if not paths:
        return []
    with tempfile.TemporaryDirectory(prefix="pypestream-braze-ruff-") as folder:
        for side, files in (("ours", ours), ("theirs", theirs)):
            root = Path(folder, side)
            for path in [*paths, "pyproject.toml"]:
                if path in files:
                    target = root / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(files[path], encoding="utf-8")
        command = [*_ruff(), "check", "--no-cache", "--output-format", "json"]
        try:
            result = subprocess.run(
                [*command, "ours", "theirs"],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=120,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            raise SpecError(
                [Problem(Location("ruff"), Level.ERROR, f"could not run ruff: {err}")]
            ) from None
        if result.returncode not in (0, 1):
            message = f"could not run ruff to check the team's templates: {result.stderr.strip()}"
            raise SpecError([Problem(Location("ruff"), Level.ERROR, message)])
        findings = json.loads(result.stdout or "[]")
    seen: dict[str, Counter] = {"ours": Counter(), "theirs": Counter()}
    located: list[tuple[str, str, str]] = []
    for finding in findings:
        side, relative = Path(finding["filename"]).relative_to(folder).as_posix().split("/", 1)
        key = f"{finding['code']} {finding['message']}"
        seen[side][(relative, key)] += 1
        if side == "theirs":
            row = finding["location"]["row"]
            located.append((relative, key, f"line {row}: {key}"))
    new = seen["theirs"] - seen["ours"]
    result_list = []
    for relative, key, text in located:
        if new[(relative, key)] > 0:
            new[(relative, key)] -= 1
            result_list.append((relative, text))
    return result_list
