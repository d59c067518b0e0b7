"""Deployable as Pypestream expects: one class per script (and still working when the script
editor renames it), and `bundle`, which writes exactly what Pypestream takes."""

from __future__ import annotations

import ast
import importlib
import json
import re
import stat
import subprocess
import sys
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from helpers import MAPPINGS, PARTNER_EXAMPLE, write_files

from pypestream_braze import node_runtime
from pypestream_braze.cli.main import main
from pypestream_braze.render.expected import expected_request
from pypestream_braze.render.files import TEST_CONTEXT, TEST_NOW
from pypestream_braze.render.samples import sample_payload
from pypestream_braze.solution import generate

EXAMPLES = sorted(MAPPINGS.glob("*.yaml"))
KEY = "bz-test-key-0123456789abcdef"
VERMIN = Path(sys.executable).with_name("vermin")


def _nodes(prepared):
    for node in prepared.solution.nodes:
        yield node, prepared.files[f"{prepared.solution.package}/actions/{node.file_name}"]


def _part(text: str) -> str:
    """A node's own code, above its RUNTIME line. Below it every node carries the same runtime
    (asserted here), which the tests read once, not once per node."""
    cut = node_runtime.split(text)
    assert cut is not None and cut.runtime == node_runtime.text()
    return cut.part


def _imports_only_what_pypestream_has(tree: ast.Module) -> None:
    # The standard library, requests and urllib3 (which requests installs).
    allowed = set(sys.stdlib_module_names) | {"requests", "urllib3"}
    for statement in ast.walk(tree):
        if isinstance(statement, ast.Import):
            roots = {alias.name.split(".")[0] for alias in statement.names}
            assert roots <= allowed, roots
        elif isinstance(statement, ast.ImportFrom) and statement.level:
            assert (statement.level, statement.module) == (2, None)
            assert [a.name for a in statement.names] == ["app"]
        elif isinstance(statement, ast.ImportFrom):
            assert statement.module.split(".")[0] in allowed, statement.module


def _classes(tree: ast.Module) -> list[str]:
    return [s.name for s in tree.body if isinstance(s, ast.ClassDef)]


def test_the_runtime_below_every_node_defines_no_class_and_imports_what_pypestream_has():
    tree = ast.parse(node_runtime.text())
    assert _classes(tree) == []
    _imports_only_what_pypestream_has(tree)


@pytest.mark.parametrize("mapping", EXAMPLES, ids=lambda p: p.stem)
def test_every_node_is_one_class_named_after_its_file(mapping):
    prepared = generate.prepare(mapping)
    for node, text in _nodes(prepared):
        tree = ast.parse(_part(text))
        assert _classes(tree) == [node.name], "Pypestream names a script after its one class"
        _imports_only_what_pypestream_has(tree)


@pytest.fixture(scope="module")
def every_node(tmp_path_factory) -> dict[str, str]:
    """Every node of every example mapping, written out: path -> text."""
    folder = tmp_path_factory.mktemp("nodes")
    nodes = {}
    for mapping in EXAMPLES:
        for node, text in _nodes(generate.prepare(mapping)):
            path = folder / f"{mapping.stem}_{node.file_name}"
            path.write_text(text, encoding="utf-8")
            nodes[str(path)] = text
    return nodes


def test_every_node_runs_on_python_3_8_and_later(every_node, tmp_path):
    """vermin reads what each construct and library call needs; nodes target 3.8+: each node's
    own part, and the runtime they all carry once."""
    files = [tmp_path / "runtime.py"]
    files[0].write_text(node_runtime.text(), encoding="utf-8")
    for number, text in enumerate(every_node.values()):
        files.append(tmp_path / f"part_{number}.py")
        files[-1].write_text(_part(text), encoding="utf-8")
    done = subprocess.run(
        [VERMIN, "-t=3.8-", "--no-tips", "--violations", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_node_is_a_short_part_and_the_runtime_below_its_marker(every_node):
    for path, text in every_node.items():
        assert node_runtime.problem(text) is None, path
        cut = node_runtime.split(text)
        assert cut.runtime == node_runtime.text(), path
        assert len(cut.part.splitlines()) <= 200, path
    track = next(
        t for p, t in every_node.items() if p.endswith("partner_example_BrazeTrackProfile.py")
    )
    assert len(node_runtime.split(track).part.splitlines()) <= 170, "the partner page's node"


def test_no_node_reaches_into_anything_private(every_node):
    """Nothing named _x on another object (requests', urllib3's or any), by attribute or by
    name; dunders are Python's own."""
    texts = {"runtime": node_runtime.text()} | {p: _part(t) for p, t in every_node.items()}
    for path, text in texts.items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute):
                dunder = node.attr.startswith("__") and node.attr.endswith("__")
                assert dunder or not node.attr.startswith("_"), (path, node.lineno, node.attr)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                named = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if node.func.id in ("getattr", "setattr", "hasattr", "delattr"):
                    assert not any(str(name).startswith("_") for name in named), path


@pytest.mark.parametrize("mapping", EXAMPLES, ids=lambda p: p.stem)
def test_a_node_renamed_by_the_script_editor_still_works(mapping, tmp_path, httpserver):
    """The Pypestream script editor renames a script by rewriting every `class X:` in it."""
    prepared = generate.prepare(mapping)
    files = dict(prepared.files)
    for node, text in _nodes(prepared):
        renamed = re.sub(r"class\s+\w+:", "class Renamed:", text)
        assert renamed.count("class Renamed:") == 1
        files[f"{prepared.solution.package}/actions/{node.file_name}"] = renamed
    root = write_files(tmp_path, files)
    sys.path.insert(0, str(root))
    try:
        app = importlib.import_module(f"{prepared.solution.package}.app")
        sandbox = app.PARAMS["sandbox"]
        sandbox.update(braze_url=httpserver.url_for("/"), braze_api_key=KEY)
        for node, _ in _nodes(prepared):
            module = importlib.import_module(f"{prepared.solution.package}.actions.{node.name}")
            module._now = lambda: TEST_NOW
            payload = sample_payload(node)
            expected, _ = expected_request(node, payload, TEST_CONTEXT, sandbox, TEST_NOW)
            httpserver.expect_oneshot_request(
                urllib.parse.unquote(expected["path"]),
                method=expected["method"],
                query_string=expected["query"] or None,
            ).respond_with_json(node.endpoint.answer.example)
            result = module.Renamed().execute(print, payload, dict(TEST_CONTEXT))
            assert result["success"] == "true", result
            request, _ = httpserver.log[-1]
            assert request.get_json(silent=True) == expected["json"]
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == prepared.solution.package]:
            del sys.modules[name]


@pytest.fixture
def solution(tmp_path):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE))
    return root


def _everything(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())


def test_bundle_holds_the_solution_flat(solution, tmp_path, capsys):
    out = tmp_path / "bundle"
    assert main(["bundle", str(solution), "--env", "live", "--out", str(out)]) == 0
    package = solution / "acme_claims"
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [
        "app.py",
        "design_studio.csv",
        "manifest.json",
        "scripts/BrazeLookupProfile.py",
        "scripts/BrazeStartWelcomeCanvas.py",
        "scripts/BrazeTrackProfile.py",
    ]
    for script in (out / "scripts").iterdir():
        assert script.read_bytes() == (package / "actions" / script.name).read_bytes()
    assert (out / "app.py").read_bytes() == (package / "app.py").read_bytes()
    assert (out / "design_studio.csv").read_bytes() == (solution / "design_studio.csv").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["solution"] == "AcmeInsurance.AcmeClaims"
    assert manifest["environment"] == "live"
    assert "BRAZE_API_KEY_LIVE" in manifest["api_key"]
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", ["", ".zip"])
def test_embedded_key_is_in_the_bundle_only(solution, tmp_path, monkeypatch, capsys, suffix):
    monkeypatch.setenv("BRAZE_API_KEY_LIVE", KEY)
    before = _everything(solution)
    out = tmp_path / f"keyed{suffix}"
    args = ["bundle", str(solution), "--env", "live", "--out", str(out), "--embed-key"]
    assert main(args) == 0
    if suffix:
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        with zipfile.ZipFile(out) as archive:
            app = archive.read("app.py").decode()
            modes = {stat.S_IMODE(i.external_attr >> 16) for i in archive.infolist()}
        assert modes == {0o600}
    else:
        app = (out / "app.py").read_text(encoding="utf-8")
        for path in [out, *out.rglob("*")]:
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600)
    original = (solution / "acme_claims" / "app.py").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(original, app.splitlines(), strict=True) if a != b]
    assert changed == [
        (
            '        "braze_api_key": os.environ.get("BRAZE_API_KEY_LIVE", "").strip(),',
            f'        "braze_api_key": "{KEY}",',
        )
    ]
    assert _everything(solution) == before and KEY not in before
    out_text = capsys.readouterr().out
    assert "readable by you only" in out_text and KEY not in out_text


def _refused(args, capsys) -> str:
    assert main(args) == 2
    return capsys.readouterr().err


def test_bundle_without_the_key_to_embed_writes_nothing(solution, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BRAZE_API_KEY_SANDBOX", raising=False)
    out = tmp_path / "bundle"
    args = ["bundle", str(solution), "--env", "sandbox", "--out", str(out), "--embed-key"]
    assert "BRAZE_API_KEY_SANDBOX, which is not set" in _refused(args, capsys)
    assert not out.exists()


def test_an_embedded_key_never_lands_inside_the_solution(solution, monkeypatch, capsys):
    monkeypatch.setenv("BRAZE_API_KEY_LIVE", KEY)
    out = solution / "bundle"
    args = ["bundle", str(solution), "--env", "live", "--out", str(out), "--embed-key"]
    assert "inside the solution" in _refused(args, capsys)
    assert not out.exists()


def test_a_stale_or_conflicted_solution_is_not_bundled(solution, tmp_path, capsys):
    out = tmp_path / "bundle"
    args = ["bundle", str(solution), "--env", "live", "--out", str(out)]
    mapping = solution / "mapping.yaml"
    mapping.write_text(mapping.read_text().replace("timeout: 8", "timeout: 9"))
    assert "not up to date with its mapping" in _refused(args, capsys)
    assert main(["regen", str(solution)]) == 0
    node = solution / "acme_claims" / "actions" / "BrazeTrackProfile.py"
    node.write_text(node.read_text() + "<<<<<<< yours\nx = 1\n=======\nx = 2\n>>>>>>> generated\n")
    assert "conflict markers" in _refused(args, capsys)
    assert not out.exists()


def test_a_node_whose_runtime_was_edited_is_not_bundled(solution, tmp_path, capsys):
    out = tmp_path / "bundle"
    node = solution / "acme_claims" / "actions" / "BrazeLookupProfile.py"
    node.write_text(node.read_text().replace("MAX_ATTEMPTS = 4\n", "MAX_ATTEMPTS = 9\n"))

    assert main(["bundle", str(solution), "--env", "live", "--out", str(out)]) == 2

    captured = capsys.readouterr()
    drift = f"{node}: drift: BrazeLookupProfile: its runtime (below the RUNTIME line) was edited"
    assert drift in captured.out
    assert "not bundled: a hand-edited node no longer does what was generated" in captured.err
    assert not out.exists()
