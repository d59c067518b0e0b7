"""A regen or check with nothing to do is decided from hashes: the same answer, nothing rendered.

Whenever the hashes settle it, the plan must be exactly the one rendering would make (every
file's action, text and edited flag, the warnings); whenever a regen may write, they must not
settle it. The import test proves the path loads neither the spec reader nor the renderers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import black
import pytest
from test_regen import APP, CANVAS, LOOKUP, NODE, change_mapping, edit, hand_edit

from pypestream_braze.cli.main import main
from pypestream_braze.cli.template import bundled_mapping
from pypestream_braze.render import format as formatting
from pypestream_braze.solution import generate, regen, state
from pypestream_braze.solution.boundary import Folder

_FORMATTED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fast_black(monkeypatch):
    real = black.format_str

    def cached(source, *, mode):
        if source not in _FORMATTED:
            _FORMATTED[source] = real(source, mode=mode)
        return _FORMATTED[source]

    monkeypatch.setattr(formatting.black, "format_str", cached)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    solution = tmp_path / "acme_claims"
    generate.write_new(solution, generate.prepare(bundled_mapping()))
    return solution


def both_plans(root: Path, prune: bool = False, mapping: Path | None = None):
    folder = Folder(root)
    mapping = mapping or root / "mapping.yaml"
    old, text = state.read_with_text(folder)
    fast = regen._plan_from_hashes(folder, mapping, old, text, prune, None)
    slow = regen._plan_by_rendering(folder, mapping, old, prune, None)
    return fast, slow


def summary(planned: regen.Plan):
    return (
        [(c.path, c.action, c.new_text, c.edited, c.diff) for c in planned.changes],
        [str(w) for w in planned.warnings],
        planned.nothing_to_write,
        planned.unresolved,
    )


def remove_node(root: Path, name: str) -> None:
    text = (root / "mapping.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - name: {name}")
    end = text.find("  - name: ", start + 1)
    (root / "mapping.yaml").write_text(text[:start] + (text[end:] if end > 0 else ""))


def settle(root: Path) -> None:
    assert main(["regen", str(root)]) in (0, 1)


SCENARIOS = {
    "fresh": lambda root: None,
    "hand-edited": hand_edit,
    "kept orphans": lambda root: (
        edit(root, LOOKUP, "log, payload, context)\n", "log, payload, context)  # x\n"),
        remove_node(root, "BrazeStartWelcomeCanvas"),
        remove_node(root, "BrazeLookupProfile"),
        settle(root),
    ),
    "unresolved conflict": lambda root: (
        edit(root, NODE, '"home_city": value("CITY", max_length=255),', '"home_city": "x",'),
        edit(root, "mapping.yaml", 'home_city: "{CITY}"', 'home_city: "{TOWN}"'),
        settle(root),
    ),
    "spec warnings": lambda root: (
        edit(root, "mapping.yaml", "      failure: 1310\n", ""),
        settle(root),
    ),
    "after a full regen": lambda root: (hand_edit(root), change_mapping(root), settle(root)),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_hashes_give_the_plan_rendering_gives(root, scenario):
    SCENARIOS[scenario](root)
    fast, slow = both_plans(root)
    assert fast is not None and slow.nothing_to_write
    assert summary(fast) == summary(slow)
    if scenario == "spec warnings":
        assert fast.warnings and all(w.location.line for w in fast.warnings)


def unedited_orphan(root):
    remove_node(root, "BrazeStartWelcomeCanvas")
    settle(root)


MAY_WRITE = {
    "mapping changed": lambda root: change_mapping(root),
    "file deleted": lambda root: (root / APP).unlink(),
    "baseline damaged": lambda root: (root / state.baseline_path(APP)).write_text("x\n"),
    "state reformatted": lambda root: (root / state.STATE_PATH).write_text(
        json.dumps(json.loads((root / state.STATE_PATH).read_text())) + "\n"
    ),
    "orphan deleted": lambda root: (unedited_orphan(root), (root / CANVAS).unlink()),
}


@pytest.mark.parametrize("scenario", sorted(MAY_WRITE))
def test_hashes_never_settle_a_regen_that_may_write(root, scenario):
    MAY_WRITE[scenario](root)
    fast, slow = both_plans(root)
    assert fast is None and not slow.nothing_to_write


def test_hashes_leave_an_unedited_orphan_to_prune(root):
    unedited_orphan(root)
    assert both_plans(root, prune=False)[0] is not None
    fast, slow = both_plans(root, prune=True)
    assert fast is None and slow.deletes == [CANVAS, "tests/test_braze_start_welcome_canvas.py"]


def test_another_generator_renders_again(root, monkeypatch):
    monkeypatch.setattr(regen, "generator_fingerprint", lambda: "2" * 64)
    assert both_plans(root)[0] is None


def test_the_report_is_the_same_either_way(root, monkeypatch, capsys):
    SCENARIOS["kept orphans"](root)
    SCENARIOS["spec warnings"](root)
    hand_edit(root)
    capsys.readouterr()
    outputs = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(regen, "_plan_from_hashes", lambda *args: None)
        codes = [main(["regen", str(root)]), main(["check", str(root)])]
        outputs.append((codes, capsys.readouterr()))
    assert outputs[0] == outputs[1]
    assert "warning" in outputs[0][1].err and "orphaned" in outputs[0][1].out


def test_a_noop_regen_and_check_import_no_renderer(root):
    settle(root)  # the state of this generator
    script = (
        "import sys\n"
        "from pypestream_braze.cli.main import main\n"
        f"codes = [main(['regen', {str(root)!r}]), main(['check', {str(root)!r}])]\n"
        "heavy = ('black', 'jinja2', 'cookiecutter', 'yaml', 'merge3', 'importlib.metadata',\n"
        "         'pypestream_braze.mapping', 'pypestream_braze.render')\n"
        "print(codes, sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[0, 0] []", result.stdout + result.stderr
