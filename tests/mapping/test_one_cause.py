"""One cause, one error: a single typo in a shipped example is reported once, at its line.

Each example is mutated one typo at a time: a key of the spec's own grammar, the endpoint, an
instance, the key of a value read from the payload (`var`) and a param's name. Errors that only
follow from the typo (a required key "missing", params "not declared" because the environments
could not be read) must not be reported beside it.
"""

from __future__ import annotations

import re

import pytest
import yaml
from helpers import REPO

from pypestream_braze.errors import Level, SpecError
from pypestream_braze.mapping import environments, reader
from pypestream_braze.mapping.defaults import DEFAULT_KEYS
from pypestream_braze.mapping.load import load_spec
from pypestream_braze.mapping.node import NODE_KEYS

MAPPINGS = sorted((REPO / "mappings").glob("*.yaml"))


def grammar_keys(text: str):
    """(line, column, key) of every key of the spec's own grammar: the top level, defaults,
    the environments and each one's keys, and each node's keys (not the keys of a body)."""

    def keys(node, allowed):
        for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
            if key.value in allowed:
                yield key, value

    places = []
    for key, value in keys(yaml.compose(text), reader.TOP_KEYS):
        places.append(key)
        if key.value == "defaults":
            places += [k for k, _ in keys(value, DEFAULT_KEYS)]
        if key.value == "environments":
            for name, env in keys(value, environments.ENVIRONMENTS):
                places += [name, *(k for k, _ in keys(env, environments.ENV_KEYS))]
        if key.value == "nodes":
            for item in value.value:
                places += [k for k, _ in keys(item, NODE_KEYS)]
    for key in places:
        if key.value != "version":
            yield key.start_mark.line + 1, key.start_mark.column, key.value


def typos(text: str):
    """(kind, line number, the typed line) for every typo this test makes in text."""
    lines = text.splitlines(keepends=True)
    for number, column, key in grammar_keys(text):
        line = lines[number - 1]
        assert line[column:].startswith(key)
        yield "key", number, line[:column] + key[:-1] + line[column + len(key) :]
    for number, line in enumerate(lines, start=1):
        if found := re.search(r"endpoint: (?:[A-Z]+ )?/?(\w+)", line):
            yield "endpoint", number, line.replace(found[1], found[1][:-1] + "x", 1)
        if found := re.search(r"instance: ([A-Z]+)-(\d+)", line):
            yield "instance", number, line.replace(found[0], f"instance: {found[1]}{found[2]}")
        if "{var: " in line:
            yield "var", number, line.replace("{var: ", "{vr: ", 1)
        if found := re.search(r"\{param: ([a-z_]+)\}", line):
            yield "param", number, line.replace(found[0], f"{{param: {found[1]}s}}", 1)


CASES = [
    pytest.param(spec, kind, number, typed, id=f"{spec.stem}:{number}:{kind}")
    for spec in MAPPINGS
    for kind, number, typed in typos(spec.read_text(encoding="utf-8"))
]


def test_every_kind_of_typo_is_tried():
    assert {case.values[1] for case in CASES} == {"key", "endpoint", "instance", "var", "param"}


@pytest.mark.parametrize(("spec", "kind", "number", "typed"), CASES)
def test_a_typo_is_one_error_at_its_line(spec, kind, number, typed, tmp_path):
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = typed
    path = tmp_path / spec.name
    path.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(SpecError) as raised:
        load_spec(path)

    errors = [p for p in raised.value.problems if p.level is Level.ERROR]
    assert len(errors) == 1, "\n".join(map(str, errors))
    assert errors[0].location.line == number, errors[0]
