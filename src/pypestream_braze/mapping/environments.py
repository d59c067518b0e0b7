"""The spec's `environments`: sandbox and live, each a Braze instance or URL, a key, params."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

from ..braze.instances import INSTANCES, REST_HOST_SUFFIXES
from ..model import ENVIRONMENT_ALIASES, ENVIRONMENTS, Environment
from . import source
from .inherited import InheritedEnvironment
from .naming import closest, did_you_mean, one_of, shown
from .report import Report, describe, is_bool_word, key_text
from .source import MappingNode, ScalarNode

__all__ = ["ENVIRONMENTS", "read_environments"]
ENV_KEYS = ("instance", "url", "api_key_env", "params")
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NONE = InheritedEnvironment()
_URL_QUOTES = "\"'<>\\^`{|}"
# Whitespace, control characters, and what a URL never holds unescaped (RFC 3986).
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f" + re.escape(_URL_QUOTES) + "]")


def read_environments(
    report: Report,
    top: MappingNode,
    entry,
    inherited: Mapping[str, InheritedEnvironment] = MappingProxyType({}),
) -> tuple[Environment, ...]:
    """The spec's environments; what it leaves out comes from inherited (team conventions)."""
    if entry is None and all(inherited.get(name, _NONE).url for name in ENVIRONMENTS):
        return tuple(_inherited(name, inherited[name]) for name in ENVIRONMENTS)
    errors = len(report.problems)
    try:
        return _read(report, top, entry, inherited)
    finally:
        if report.errors_since(errors):  # what the nodes use from them cannot be checked
            report.unknown("params")


def _read(report: Report, top: MappingNode, entry, inherited) -> tuple[Environment, ...]:
    if entry is None:
        if report.misspelt(top, "environments"):
            report.unknown("params")
        else:
            report.error(
                top,
                "the spec needs 'environments' with 'sandbox' and 'live', each naming a Braze "
                "'instance' (such as US-01) or a 'url'",
            )
        return ()
    node = report.mapping(entry[1], "environments")
    if node is None:
        return ()
    errors = len(report.problems)
    found: dict[str, Environment] = {}
    for key_node, value_node in node.value:
        name = key_text(key_node)
        if name in ENVIRONMENT_ALIASES:
            meant = ENVIRONMENT_ALIASES[name]
            report.error(
                key_node,
                f"name the production environment {meant!r} (Pypestream's name); app.py "
                f"also answers to {name!r} with the same settings",
            )
        elif name not in ENVIRONMENTS:
            report.error(
                key_node,
                f"unknown environment {name!r}{did_you_mean(name, ENVIRONMENTS)}; "
                f"allowed: {one_of(ENVIRONMENTS)}",
            )
            near = closest(name, ENVIRONMENTS)
            if near is not None:
                report.misspell(node, near)
        else:
            env = _environment(report, name, value_node, inherited.get(name, _NONE))
            if env is not None:
                found[name] = env
    for name in ENVIRONMENTS:
        written = {key_text(k) for k, _ in node.value}
        if name not in written and inherited.get(name, _NONE).url:
            found[name] = _inherited(name, inherited[name])
        elif name not in written and not (
            any(ENVIRONMENT_ALIASES.get(other) == name for other in written)
            or report.misspelt(node, name)
        ):
            report.error(
                node,
                f"environments needs {name!r}, with an 'instance' (such as US-01) or a 'url'",
            )
    params = [set(env.params) for env in found.values()]
    if len(params) == 2 and params[0] != params[1] and not report.errors_since(errors):
        for env in found.values():
            other = next(e for e in found.values() if e is not env)
            for missing in sorted(set(other.params) - set(env.params)):
                report.error(
                    _params_place(node, env.name),
                    f"environment {env.name!r} lacks param {missing!r} that "
                    f"{other.name!r} has; every environment must declare the same params",
                )
    return tuple(found[name] for name in ENVIRONMENTS if name in found)


def warn_unused_params(
    report: Report, top: MappingNode, environments: tuple[Environment, ...], used: set[str]
) -> None:
    """A warning at each param an environment declares and no node reads: app.py would carry
    it for nothing, and it is often one a node was meant to read."""
    unused = {env.name: set(env.params) - used for env in environments}
    for env_key, env_node in _pairs(_child(top, "environments")):
        name = key_text(env_key)
        for key_node, _ in _pairs(_child(env_node, "params")):
            param = key_text(key_node)
            if param in unused.get(name, ()):
                report.warning(
                    key_node,
                    f"param {param!r} of environments.{name} is read by no node, so app.py "
                    f"would carry it for nothing; remove it, or read it in a node with "
                    f"{{param: {param}}}",
                )


def _pairs(node) -> list:
    """(key node, value node) of a mapping; none for anything else."""
    return list(node.value) if isinstance(node, MappingNode) else []


def _child(node, key: str):
    return next((value for k, value in _pairs(node) if key_text(k) == key), None)


def _params_place(environments: MappingNode, name: str):
    """Where an environment's params are written: its `params:` key, else its own key."""
    for key_node, value_node in environments.value:
        if key_text(key_node) == name:
            if isinstance(value_node, MappingNode):
                found = (k for k, _ in value_node.value if key_text(k) == "params")
                return next(found, key_node)
            return key_node
    return environments


def _inherited(name: str, inherited: InheritedEnvironment) -> Environment:
    api_key_env = inherited.api_key_env or f"BRAZE_API_KEY_{name.upper()}"
    return Environment(name, inherited.url or "", inherited.instance, api_key_env, {})


def _environment(
    report: Report, name: str, value_node, inherited: InheritedEnvironment
) -> Environment | None:
    where = f"environments.{name}"
    node = report.mapping(value_node, where)
    if node is None:
        return None
    keys = report.keys(node, where, ENV_KEYS)
    url, instance = read_instance_or_url(report, keys, where)
    if "instance" not in keys and "url" not in keys:
        if inherited.url:  # from the team's conventions
            url, instance = inherited.url, inherited.instance
        elif not (report.misspelt(node, "instance") or report.misspelt(node, "url")):
            report.error(
                node, f"{where} needs 'instance' (such as US-01) or 'url' (the REST endpoint)"
            )
    api_key_env = inherited.api_key_env or f"BRAZE_API_KEY_{name.upper()}"
    if "api_key_env" in keys:
        api_key_env = report.string(keys["api_key_env"][1], f"{where}.api_key_env") or ""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", api_key_env):
            report.error(
                keys["api_key_env"][1],
                f"{where}.api_key_env must name an environment variable (letters, digits "
                f"and _), not {api_key_env!r}; it is the variable's name, never the key",
            )
    params = _params(report, keys.get("params"), where)
    if url is None:
        return None
    return Environment(name, url, instance, api_key_env, params)


def instance_name(text: str) -> str:
    """An instance as the spec may write it (any case, spaces around) as the catalogue names it."""
    return text.strip().upper()


def instance_pattern() -> str:
    """A regular expression of every text instance_name reads as a known instance."""
    names = "|".join(
        "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in name)
        for name in INSTANCES
    )
    return rf"^\s*({names})\s*$"


def read_instance_or_url(report: Report, keys, where: str) -> tuple[str | None, str | None]:
    """(REST URL, instance) from an environment's `instance` or `url`; Nones when neither is
    given or what is given is wrong (reported). A team's conventions read them the same way."""
    url = instance = None
    if "instance" in keys and "url" in keys:
        report.error(keys["url"][0], f"{where}: give either 'instance' or 'url', not both")
    elif "instance" in keys:
        instance = report.string(keys["instance"][1], f"{where}.instance")
        if instance is not None:
            instance = instance_name(instance)
            url = INSTANCES.get(instance)
            if url is None:
                report.error(
                    keys["instance"][1],
                    f"unknown Braze instance {instance!r}"
                    f"{did_you_mean(instance, INSTANCES)}; "
                    f"allowed: {one_of(INSTANCES)}, or give a 'url' instead",
                )
                instance = None
    elif "url" in keys:
        url = _url(report, keys["url"][1], where)
    return url, instance


def _url(report: Report, node, where: str) -> str | None:
    url = report.string(node, f"{where}.url")
    if url is None:
        return None
    url = url.strip()
    # urlsplit drops tabs and line breaks anywhere in a URL before parsing, so they are
    # refused here, with every other character no URL holds unescaped or that does not show.
    odd = _NOT_IN_URL.search(url) or next((c for c in url if not c.isprintable()), None)
    if odd:
        char = odd if isinstance(odd, str) else odd.group()
        report.error(
            node,
            f"{where}.url must not hold {_describe_char(char)}; write the URL alone, "
            "such as https://rest.iad-01.braze.com",
        )
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        report.error(
            node,
            f"{where}.url must be an http(s) URL such as https://rest.iad-01.braze.com, "
            f"not {shown(url)}",
        )
        return None
    if parts.query or parts.fragment or "?" in url or "#" in url:
        report.error(node, f"{where}.url must not have a query or fragment")
        return None
    if "@" in parts.netloc:
        report.error(
            node,
            f"{where}.url must not hold a user name or password (user:password@); the REST "
            "API key is read from the environment variable named by api_key_env",
        )
        return None
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number from 0 to 65535)
    except ValueError:
        report.error(node, f"{where}.url has an invalid port; write it as :8080, at most 65535")
        return None
    host = parts.hostname
    if not (host.startswith("rest.") and host.endswith(REST_HOST_SUFFIXES)):
        report.warning(
            node,
            f"{where}.url: {host!r} is not a Braze REST host (rest.*.braze.com or "
            ".braze.eu); fine for a test server, wrong for a real solution",
        )
    elif parts.scheme != "https":
        report.error(node, f"{where}.url: Braze answers on https only")
    return url.rstrip("/")


def _describe_char(char: str) -> str:
    named = {" ": "spaces", "\t": "a tab", "\n": "a line break", "\r": "a line break"}
    if char in named:
        return named[char]
    if char.isspace():
        return f"whitespace (U+{ord(char):04X})"
    if char in _URL_QUOTES:
        return f"{char!r}"
    return f"the invisible character U+{ord(char):04X}"


def _params(report: Report, entry, where: str) -> dict[str, object]:
    if entry is None:
        return {}
    node = report.mapping(entry[1], f"{where}.params")
    if node is None:
        return {}
    params: dict[str, object] = {}
    for key_node, value_node in node.value:
        name = key_text(key_node)
        if not _PARAM_NAME.fullmatch(name):
            report.error(
                key_node,
                f"param name {name!r} must be lower_case letters, digits and _ "
                "(it becomes a key of app.PARAMS)",
            )
            continue
        if name == "braze_url" or name.startswith("braze_"):
            report.error(
                key_node,
                f"param {name!r}: names starting with 'braze_' are reserved for the Braze "
                "URL, API key and endpoint paths in app.PARAMS; choose another name",
            )
            continue
        if not isinstance(value_node, ScalarNode) or source.is_null(value_node):
            report.error(
                value_node,
                f"param {name!r} must be a single value, not " f"{describe(value_node)}",
            )
            continue
        if is_bool_word(value_node):
            report.warning(
                value_node,
                f"param {name!r}: YAML reads {value_node.value!r} "
                "as a boolean; quote it if you mean the text",
            )
        params[name] = source.value(value_node)
    return params


# -- nodes ----------------------------------------------------------------------------------
