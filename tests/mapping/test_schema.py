"""mappings/schema.json is generated from the catalogue; every example mapping satisfies it."""

import json

import pytest
import yaml
from helpers import REPO

from pypestream_braze.cli.main import main
from pypestream_braze.mapping.schema import schema_text

ROOT = REPO
COMMITTED = ROOT / "mappings" / "schema.json"
EXAMPLES = sorted((ROOT / "mappings").glob("*.yaml"))


def test_committed_schema_is_up_to_date():
    assert (
        COMMITTED.read_text(encoding="utf-8") == schema_text()
    ), "mappings/schema.json is out of date; regenerate it with 'python tests/regenerate.py'"


def test_schema_command_prints_it(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_text()


def test_schema_is_valid_draft_2020_12():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_text()))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_satisfy_the_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_pass_check(path, capsys):
    assert main(["check", str(path)]) == 0, capsys.readouterr().out
