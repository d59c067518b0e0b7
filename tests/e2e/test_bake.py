"""The repository as a cookiecutter template, baked with pytest-cookies, awkward answers too."""

from __future__ import annotations

import ast

import pytest
import yaml

AWKWARD = [
    "O'Brien & Söhne",
    'The "Quoted" Insurer',
    "Zürich Versicherung 保险 🛡️",
    "Back\\slash \\n Co",
    "'''triple''' \"\"\"quotes\"\"\"",
]


def literal(app_source: str, name: str):
    for node in ast.parse(app_source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found")


def test_bake_with_defaults(cookies):
    result = cookies.bake()

    assert result.exit_code == 0, result.exception
    assert result.exception is None
    assert result.project_path.name == "acme_claims"
    app = (result.project_path / "acme_claims" / "app.py").read_text(encoding="utf-8")
    assert literal(app, "NAME") == "AcmeInsurance"
    assert literal(app, "CSV_BOTS") == ["AcmeClaims"]


@pytest.mark.parametrize("customer", AWKWARD)
def test_awkward_customer_names_are_data(cookies, customer):
    result = cookies.bake(extra_context={"customer": customer})

    assert result.exit_code == 0, result.exception
    root = result.project_path
    app = (root / "acme_claims" / "app.py").read_text(encoding="utf-8")
    compile(app, "app.py", "exec")
    assert literal(app, "NAME") == customer
    mapping = yaml.safe_load((root / "mapping.yaml").read_text(encoding="utf-8"))
    assert mapping["customer"] == customer


def test_answers_override_the_spec_and_are_kept_in_mapping_yaml(cookies):
    result = cookies.bake(
        extra_context={
            "solution": "GlobexOnboarding",
            "sandbox_instance": "EU-01",
            "live_instance": "https://rest.fra-02.braze.eu",
        }
    )

    assert result.exit_code == 0, result.exception
    root = result.project_path
    assert root.name == "globex_onboarding"
    app = (root / "globex_onboarding" / "app.py").read_text(encoding="utf-8")
    params = app.split("PARAMS = ", 1)[1]
    assert '"braze_url": "https://rest.fra-01.braze.eu"' in params
    assert '"braze_url": "https://rest.fra-02.braze.eu"' in params
    mapping = (root / "mapping.yaml").read_text(encoding="utf-8")
    assert 'solution: "GlobexOnboarding"' in mapping
    assert 'url: "https://rest.fra-02.braze.eu"' in mapping
    assert "# CSV_BOTS entry; CamelCase" in mapping, "comments survive"


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"solution": "not camel"}, "must be CamelCase"),
        ({"sandbox_instance": "US-99"}, "is not a Braze instance"),
        ({"mapping": "/no/such/file.yaml"}, "no such file"),
    ],
)
def test_bad_answers_fail_and_leave_nothing(cookies, capfd, answers, message):
    result = cookies.bake(extra_context=answers)

    assert result.exit_code != 0
    assert result.project_path is None
    assert message in capfd.readouterr().err


def test_the_questions_read_the_spec_once(cookies, monkeypatch):
    from pypestream_braze.cli import cookiecutter_hooks

    loads = []
    real_load = cookiecutter_hooks.source.load
    monkeypatch.setattr(
        cookiecutter_hooks.source, "load", lambda *a, **k: loads.append(a) or real_load(*a, **k)
    )
    cookiecutter_hooks._defaults.cache_clear()

    result = cookies.bake()

    assert result.exit_code == 0, result.exception
    assert len(loads) == 1, "four defaults and the folder name share one parse"
