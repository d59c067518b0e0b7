"""A team's conventions file: what every solution of the team inherits, follows and looks like.

    read(path, shown_as) -> Conventions        raises SpecError naming file:line:col

    version: 1
    defaults: {timeout: 6, error_node: 99990, minor_errors: fail, resend_events: false}
    environments:                      # instances, and how the API key variables are named
      sandbox: {instance: US-05, api_key_env: "BRAZE_{SOLUTION}_SANDBOX"}
      live: {instance: US-05, api_key_env: "BRAZE_{SOLUTION}_LIVE"}
    naming:                            # style: warnings (errors with `check --strict`)
      nodes: {prefix: Braze}
      outputs: {prefix: BRAZE_}
      events: {case: snake_case}
      custom_attributes: {case: snake_case}
      description: required
    policy:                            # errors
      endpoints: {forbidden: [users/delete]}
      never_send: [dob]
      node_numbers: {AcmeClaims: [4000, 4999], default: [1000, 3999]}
    templates: templates/              # Jinja templates overriding the generator's, by name

The file is read like a spec (mapping/source.py): every problem is located in it. Nothing in it
is evaluated; regular expressions are compiled, never run on anything but names.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import braze, reading
from ..errors import Level, Location, Problem, SpecError
from ..model import ENVIRONMENTS
from . import source
from .defaults import read_defaults
from .environments import read_instance_or_url
from .inherited import Inherited, InheritedEnvironment
from .naming import did_you_mean, is_camel_case, one_of, to_upper_case
from .report import Report, key_text
from .routes import MAX_NODE_NUMBER
from .source import MappingNode, ScalarNode, SequenceNode

VERSION = 1
TOP_KEYS = ("version", "team", "defaults", "environments", "naming", "policy", "templates")
ENV_KEYS = ("instance", "url", "api_key_env")
NAMING_KEYS = ("nodes", "outputs", "events", "custom_attributes", "description")
RULE_KEYS = ("prefix", "case", "pattern")
POLICY_KEYS = ("endpoints", "never_send", "node_numbers")
ENDPOINT_KEYS = ("allowed", "forbidden")
DEFAULT_RANGE = "default"  # node_numbers key for every solution not named (names are CamelCase)
CASES = {
    "snake_case": re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*"),
    "camelCase": re.compile(r"[a-z][A-Za-z0-9]*"),
    "PascalCase": re.compile(r"[A-Z][A-Za-z0-9]*"),
    "UPPER_CASE": re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*"),
    "kebab-case": re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*"),
}
# What an api_key_env may name: the solution and the customer, upper-cased with underscores.
KEY_PLACEHOLDERS = ("SOLUTION", "CUSTOMER")
_ENV_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_RANGE = re.compile(r"\s*(-?\d{1,10})\s*-\s*(-?\d{1,10})\s*")  # node numbers "4000-4999"
MAX_BYTES = 1_000_000
MAX_TEMPLATES = 200
MAX_PATTERN = 1000  # characters of a naming pattern
MAX_TEMPLATE_BYTES = 1_000_000
MAX_TEMPLATE_DEPTH = 16  # folders inside the templates folder
SUBJECTS = {
    "nodes": "node name",
    "outputs": "output",
    "events": "event name",
    "custom_attributes": "custom attribute",
}


@dataclass(frozen=True)
class NameRule:
    """A naming convention for one kind of name, and where the conventions file states it."""

    key: str  # naming.nodes, ...
    where: Location
    prefix: str | None = None
    case: str | None = None
    pattern: Any = None  # a compiled RE2 pattern (compile_pattern), or None

    def broken_by(self, name: str) -> str | None:
        """What is wrong with name under this rule, or None when it follows it."""
        if self.prefix and not name.startswith(self.prefix):
            return f"does not start with {self.prefix!r}"
        if self.case and not CASES[self.case].fullmatch(name):
            return f"is not {self.case}"
        if self.pattern is not None and not self.pattern.fullmatch(name):
            return f"does not match the pattern {self.pattern.pattern!r}"
        return None


@dataclass(frozen=True)
class NodeRange:
    first: int
    last: int
    where: Location

    def __str__(self) -> str:
        return f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Conventions:
    file: Path  # resolved
    shown_as: str  # as messages name it
    sha256: str  # of the file and every template: what a solution records
    defaults: dict[str, object] = field(default_factory=dict)
    environments: dict[str, tuple[str | None, str | None, str | None]] = field(
        default_factory=dict
    )  # name -> (url, instance, api_key_env pattern)
    naming: dict[str, NameRule] = field(default_factory=dict)
    description_required: Location | None = None
    allowed_endpoints: tuple[tuple[str, ...], Location] | None = None
    forbidden_endpoints: dict[str, Location] = field(default_factory=dict)
    never_send: dict[str, Location] = field(default_factory=dict)
    node_numbers: dict[str, NodeRange] = field(default_factory=dict)
    templates: Path | None = None  # resolved folder
    templates_shown_as: str = ""
    warnings: tuple[Problem, ...] = ()

    def node_range(self, solution: str | None) -> NodeRange | None:
        return self.node_numbers.get(solution or "", self.node_numbers.get(DEFAULT_RANGE))

    def inherited(self, solution: str | None, customer: str | None) -> Inherited:
        """What a spec naming this solution and customer inherits where it says nothing."""
        names = {
            "SOLUTION": to_upper_case(solution or ""),
            "CUSTOMER": to_upper_case(customer or ""),
        }
        environments = {}
        for env, (url, instance, key_pattern) in self.environments.items():
            api_key_env = None
            if key_pattern:
                api_key_env = _PLACEHOLDER.sub(lambda m: names[m.group(1)], key_pattern)
            environments[env] = InheritedEnvironment(url, instance, api_key_env)
        limits = self.node_range(solution)
        return Inherited(
            defaults=dict(self.defaults),
            environments=environments,
            first_node=limits.first if limits else None,
            last_node=limits.last if limits else None,
        )


def read(path: Path, shown_as: str, within: Path | None = None) -> Conventions:
    """Read and check a conventions file; SpecError with every problem, located in it.

    within: the folder below which no part of path may be a link (reading.locate); by default
    the file's own folder.
    """
    text = source.read(path, MAX_BYTES, "conventions", within)
    src = source.load(shown_as, text, "conventions")
    report = Report(src)
    values = _Reader(report, path).conventions(src.root)
    if report.has_errors:
        raise SpecError(report.problems)
    templates = values.get("templates")
    return Conventions(
        file=path,
        shown_as=shown_as,
        sha256=digest(text, templates),
        templates_shown_as=_shown(shown_as, values.get("templates_text", "")),
        warnings=tuple(report.problems),
        **{k: v for k, v in values.items() if k != "templates_text"},
    )


def digest(text: str, templates: Path | None) -> str:
    """The conventions' content hash: the file's text, then each template's path and bytes."""
    sha = hashlib.sha256(b"conventions\0" + text.encode("utf-8"))
    if templates is not None:
        for relative, _ in template_files(templates):
            data = read_template(templates, relative)
            sha.update(b"\0" + relative.encode("utf-8") + b"\0" + data)
    return sha.hexdigest()


def read_template(folder: Path, relative: str) -> bytes:
    """A team template's bytes, read under the boundary rules (reading.py); SpecError if not."""
    try:
        data = reading.read(folder, relative, MAX_TEMPLATE_BYTES)
    except reading.UnsafePathError as err:
        raise _template_error(folder, relative, str(err)) from None
    except OSError as err:
        raise _template_error(folder, relative, err.strerror or str(err)) from None
    if data is None:
        raise _template_error(folder, relative, "is no longer there")
    return data


def template_files(folder: Path | None) -> list[tuple[str, Path]]:
    """(name as Jinja knows it, path) of every *.jinja file in folder, in os.walk's order.

    Nothing in the folder may be a link, and a template must be a regular file: either is an
    error naming it, as is a folder more than MAX_TEMPLATE_DEPTH deep. Hidden entries are
    skipped. At most MAX_TEMPLATES + 1 are listed (the caller says there are too many).
    """
    if folder is None:
        return []
    found: list[tuple[str, Path]] = []
    pending = [""]  # folders to list, relative to folder; the next one last
    while pending and len(found) <= MAX_TEMPLATES:
        relative = pending.pop()
        if relative.count("/") >= MAX_TEMPLATE_DEPTH:
            raise _template_error(
                folder, relative, f"is more than {MAX_TEMPLATE_DEPTH} folders deep"
            )
        try:
            entries = sorted(os.scandir(folder / relative if relative else folder), key=_name)
        except OSError as err:
            raise _template_error(folder, relative, err.strerror or str(err)) from None
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_symlink():
                raise _template_error(folder, name, f"{reading.LINK}; {reading.LINK_ADVICE}")
            if entry.is_dir(follow_symlinks=False):
                folders.append(name)
            elif entry.name.endswith(".jinja"):
                if not entry.is_file(follow_symlinks=False):
                    problem = reading.kind_problem(entry.stat(follow_symlinks=False))
                    raise _template_error(folder, name, problem or "is not a regular file")
                found.append((name, Path(entry.path)))
        pending.extend(reversed(folders))
    return found[: MAX_TEMPLATES + 1]


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _template_error(folder: Path, relative: str, message: str) -> SpecError:
    where = folder.joinpath(*relative.split("/")) if relative else folder
    return SpecError([Problem(Location(str(where)), Level.ERROR, message)])


def compile_pattern(text: str):
    """(the compiled naming pattern, None) or (None, why it cannot be one).

    Patterns are run by RE2, which never backtracks: checking a name takes time linear in the
    name whatever the pattern (Python's re takes time exponential in it for ^B(a|a)*$). RE2 has
    no backreferences or lookaround, and bounds the memory a pattern compiles to.
    """
    if len(text) > MAX_PATTERN:
        return None, f"is longer than {MAX_PATTERN} characters"
    import re2  # only for conventions with patterns: it is a compiled library

    options = re2.Options()
    options.log_errors = False  # its own log line would go to stderr
    options.max_mem = 1 << 20
    try:
        return re2.compile(text, options=options), None
    except re2.error as err:
        reason = err.args[0] if err.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return None, (
            f"is not a regular expression RE2 runs: {reason or 'it cannot be compiled'} (naming "
            "patterns have no backreferences or lookaround, so that checking a name always "
            "takes time linear in it)"
        )


def _shown(conventions_shown_as: str, value: str) -> str:
    if not value:
        return ""
    return os.path.normpath(os.path.join(os.path.dirname(conventions_shown_as), value))


class _Reader:
    def __init__(self, report: Report, path: Path):
        self.report = report
        self.folder = path.parent

    def at(self, node) -> Location:
        return self.report.source.at(node)

    def conventions(self, root) -> dict:
        report = self.report
        top = report.mapping(root, "the conventions file")
        if top is None:
            return {}
        keys = report.keys(top, "the conventions file", TOP_KEYS)
        if "version" in keys:
            version = report.integer(keys["version"][1], "version")
            if version is not None and version != VERSION:
                report.error(
                    keys["version"][1],
                    f"version {version} is not supported; this generator reads conventions "
                    f"version {VERSION}",
                )
        if "team" in keys:
            report.string(keys["team"][1], "team")
        values: dict = {}
        if "defaults" in keys:
            values["defaults"] = self.defaults(keys["defaults"])
        if "environments" in keys:
            values["environments"] = self.environments(keys["environments"][1])
        if "naming" in keys:
            self.naming(keys["naming"][1], values)
        if "policy" in keys:
            self.policy(keys["policy"][1], values)
        if "templates" in keys:
            folder = self.templates(keys["templates"][1])
            if folder is not None:
                values["templates"] = folder
                values["templates_text"] = keys["templates"][1].value
        return values

    def defaults(self, entry) -> dict:
        # The spec reader's own rules and messages: a conventions default is valid exactly
        # where the same value in a spec's `defaults` is.
        written = {key_text(k) for k, _ in getattr(entry[1], "value", [])}
        result = read_defaults(self.report, entry)
        return {key: value for key, value in result.items() if key in written}

    def environments(self, node) -> dict:
        report = self.report
        mapping = report.mapping(node, "environments")
        if mapping is None:
            return {}
        found = {}
        for name, (_, value) in report.keys(mapping, "environments", ENVIRONMENTS).items():
            where = f"environments.{name}"
            env = report.mapping(value, where)
            if env is None:
                continue
            keys = report.keys(env, where, ENV_KEYS)
            url, instance = read_instance_or_url(report, keys, where)
            key_pattern = None
            if "api_key_env" in keys:
                key_pattern = self.key_pattern(keys["api_key_env"][1], where)
            found[name] = (url, instance, key_pattern)
        return found

    def key_pattern(self, node, where: str) -> str | None:
        text = self.report.string(node, f"{where}.api_key_env")
        if text is None:
            return None
        unknown = [p for p in _PLACEHOLDER.findall(text) if p not in KEY_PLACEHOLDERS]
        if unknown:
            self.report.error(
                node,
                f"{where}.api_key_env: unknown placeholder {{{unknown[0]}}}; allowed: "
                f"{one_of('{' + p + '}' for p in KEY_PLACEHOLDERS)}",
            )
            return None
        if not _ENV_VAR.fullmatch(_PLACEHOLDER.sub("X", text)):
            self.report.error(
                node,
                f"{where}.api_key_env must name an environment variable (letters, digits and _, "
                f"with {{SOLUTION}} or {{CUSTOMER}} where the names go), not {text!r}",
            )
            return None
        return text

    def naming(self, node, values: dict) -> None:
        report = self.report
        mapping = report.mapping(node, "naming")
        if mapping is None:
            return
        rules = {}
        for key, (_, value) in report.keys(mapping, "naming", NAMING_KEYS).items():
            if key == "description":
                if isinstance(value, ScalarNode) and value.tag == "tag:yaml.org,2002:bool":
                    if source.value(value):
                        values["description_required"] = self.at(value)
                    continue
                word = report.string(value, "naming.description")
                if word not in (None, "required", "optional"):
                    report.error(
                        value, f"naming.description must be required or optional, not {word!r}"
                    )
                elif word == "required":
                    values["description_required"] = self.at(value)
                continue
            rule = self.name_rule(value, f"naming.{key}")
            if rule is not None:
                rules[key] = rule
        values["naming"] = rules

    def name_rule(self, node, key: str) -> NameRule | None:
        report = self.report
        if isinstance(node, ScalarNode) and node.value in CASES:
            return NameRule(key, self.at(node), case=node.value)
        mapping = report.mapping(node, key) if isinstance(node, MappingNode) else None
        if mapping is None:
            if not isinstance(node, MappingNode):
                report.error(
                    node,
                    f"{key} must be a case ({one_of(CASES)}) or a mapping with "
                    f"{one_of(RULE_KEYS)}, such as {{prefix: Braze}}",
                )
            return None
        keys = report.keys(mapping, key, RULE_KEYS)
        if not keys:
            report.error(mapping, f"{key} needs {one_of(RULE_KEYS)}")
            return None
        prefix = case = pattern = None
        if "prefix" in keys:
            prefix = report.string(keys["prefix"][1], f"{key}.prefix")
        if "case" in keys:
            case = report.string(keys["case"][1], f"{key}.case")
            if case is not None and case not in CASES:
                report.error(
                    keys["case"][1],
                    f"{key}.case: unknown case {case!r}{did_you_mean(case, CASES)}; "
                    f"allowed: {one_of(CASES)}",
                )
                case = None
        if "pattern" in keys:
            text = report.string(keys["pattern"][1], f"{key}.pattern")
            if text is not None:
                pattern, problem = compile_pattern(text)
                if problem:
                    report.error(
                        keys["pattern"][1],
                        f"{key}.pattern {problem}; the whole name must match it, such as "
                        "'^Braze[A-Z][A-Za-z0-9]*$'",
                    )
        return NameRule(key, self.at(mapping), prefix, case, pattern)

    def policy(self, node, values: dict) -> None:
        report = self.report
        mapping = report.mapping(node, "policy")
        if mapping is None:
            return
        keys = report.keys(mapping, "policy", POLICY_KEYS)
        if "endpoints" in keys:
            self.endpoints(keys["endpoints"][1], values)
        if "never_send" in keys:
            values["never_send"] = self.names(keys["never_send"][1], "policy.never_send")
        if "node_numbers" in keys:
            values["node_numbers"] = self.node_numbers(keys["node_numbers"][1])

    def endpoints(self, node, values: dict) -> None:
        report = self.report
        mapping = report.mapping(node, "policy.endpoints")
        if mapping is None:
            return
        keys = report.keys(mapping, "policy.endpoints", ENDPOINT_KEYS)
        for key, (_, value) in keys.items():
            named = self.names(value, f"policy.endpoints.{key}")
            for name, where in list(named.items()):
                if name.strip("/") not in braze.ENDPOINTS:
                    report.problems.append(
                        Problem(
                            where,
                            Level.ERROR,
                            f"policy.endpoints.{key}: unknown endpoint {name!r}"
                            f"{did_you_mean(name, braze.ENDPOINTS)}; allowed: "
                            f"{one_of(braze.ENDPOINTS)}",
                        )
                    )
                    del named[name]
            cleaned = {name.strip("/"): where for name, where in named.items()}
            if key == "allowed":
                values["allowed_endpoints"] = (tuple(cleaned), self.at(value))
            else:
                values["forbidden_endpoints"] = cleaned

    def names(self, node, what: str) -> dict[str, Location]:
        """A list of texts (or one text), each with its place."""
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            return {node.value.strip(): self.at(node)} if node.value.strip() else {}
        seq = self.report.sequence(node, what)
        if seq is None:
            return {}
        found = {}
        for item in seq.value:
            text = self.report.string(item, f"an entry of {what}")
            if text is not None and text.strip():
                found[text.strip()] = self.at(item)
        return found

    def node_numbers(self, node) -> dict[str, NodeRange]:
        report = self.report
        if isinstance(node, SequenceNode | ScalarNode):
            limits = self.node_range(node, "policy.node_numbers")
            return {DEFAULT_RANGE: limits} if limits else {}
        mapping = report.mapping(node, "policy.node_numbers")
        if mapping is None:
            return {}
        ranges = {}
        for key_node, value in mapping.value:
            name = key_text(key_node)
            if name != DEFAULT_RANGE and not is_camel_case(name):
                report.error(
                    key_node,
                    f"policy.node_numbers: {name!r} is not a solution name (CamelCase, as in a "
                    f"spec's `solution`) nor {DEFAULT_RANGE!r}, the range of every other solution",
                )
                continue
            limits = self.node_range(value, f"policy.node_numbers.{name}")
            if limits is not None:
                ranges[name] = limits
        return ranges

    def node_range(self, node, what: str) -> NodeRange | None:
        report = self.report
        hint = "the first and the last number, such as [4000, 4999] or 4000-4999"
        written = _RANGE.fullmatch(node.value) if isinstance(node, ScalarNode) else None
        first: int | None
        last: int | None
        if written:
            first, last = int(written.group(1)), int(written.group(2))
        elif isinstance(node, SequenceNode) and len(node.value) == 2:
            first, last = (report.integer(item, what) for item in node.value)
        else:
            report.error(node, f"{what} must be {hint}")
            return None
        if first is None or last is None:
            return None
        if not -MAX_NODE_NUMBER <= first <= last <= MAX_NODE_NUMBER:
            report.error(node, f"{what} must be {hint}, the first not above the last")
            return None
        return NodeRange(first, last, self.at(node))

    def templates(self, node) -> Path | None:
        report = self.report
        text = report.string(node, "templates")
        if text is None:
            return None
        root, relative = reading.locate(self.folder, text.strip())
        folder = root / relative if relative != "." else root
        try:
            info = reading.lstat(root, relative) if relative != "." else os.lstat(root)
        except reading.UnsafePathError as err:
            report.error(node, f"templates: {text!r}: {err.path} {err}")
            return None
        if info is None or not stat.S_ISDIR(info.st_mode):
            report.error(
                node,
                f"templates: {text!r} is not a folder (looked for {folder}); it is the folder of "
                "the team's Jinja templates, relative to this file",
            )
            return None
        if len(template_files(folder)) > MAX_TEMPLATES:
            report.error(node, f"templates: {text!r} holds more than {MAX_TEMPLATES} templates")
            return None
        return folder
