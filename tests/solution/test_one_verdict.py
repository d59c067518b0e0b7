"""Every door gives the verdict of `check SOLUTION_DIR`: check of one, of several, of a folder
(with --strict too) and bundle. A hand edit that changes what a node sends fails them all, and
bundle writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PARTNER_EXAMPLE

from pypestream_braze.cli.main import main
from pypestream_braze.solution import fleet, generate

NODE = "acme_claims/actions/BrazeTrackProfile.py"


@pytest.fixture
def team(tmp_path, monkeypatch):
    """Two solutions in one folder, the first with a hand edit that changes what it sends."""
    monkeypatch.setattr(fleet, "workers", lambda: 2)  # the parallel path, as on a CI machine
    monkeypatch.chdir(tmp_path)
    roots = []
    for name in ("drifted", "clean"):
        root = tmp_path / "solutions" / name
        generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
        roots.append(root)
    node = roots[0] / NODE
    text = node.read_text(encoding="utf-8")
    assert '"%m/%d/%Y"' in text
    node.write_text(text.replace('"%m/%d/%Y"', '"%d/%m/%Y"'), encoding="utf-8")
    return roots


DRIFT_LINE = (
    "solutions/drifted/acme_claims/actions/BrazeTrackProfile.py: drift: BrazeTrackProfile leaves "
    'out attributes[0].dob; the mapping sends "1990-04-17"'
)


@pytest.mark.parametrize(
    "args",
    [
        ["solutions/drifted"],
        ["solutions/drifted", "solutions/clean"],
        ["solutions"],
        ["solutions", "--strict"],
    ],
    ids=["one", "two", "folder", "folder-strict"],
)
def test_every_check_door_finds_the_drift(team, args, capsys):
    assert main(["check", *args]) == 1
    out = capsys.readouterr().out
    assert DRIFT_LINE in out
    assert "up to date: " not in out.split("solutions/clean")[0]


def test_several_solutions_are_each_the_verdict_of_one(team, capsys):
    verdicts = {}
    for root in team:
        assert main(["check", str(root)]) in (0, 1)
        verdicts[root.name] = capsys.readouterr().out.splitlines()[-1].split(": ")[1]
    main(["check", "solutions"])
    lines = capsys.readouterr().out.splitlines()
    for name, verdict in verdicts.items():
        assert any(line.startswith(f"solutions/{name}: {verdict}") for line in lines), lines


def test_bundle_refuses_a_drifted_solution_and_writes_nothing(team, tmp_path, capsys):
    out = tmp_path / "bundle"
    assert main(["bundle", "solutions/drifted", "--env", "sandbox", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert DRIFT_LINE in captured.out
    assert captured.err.rstrip("\n").endswith(
        "solutions/drifted: error: not bundled: a hand-edited node no longer does what was "
        "generated for it (the drift lines say how): bring the node back in line, or change "
        "mapping.yaml and regen, then bundle; nothing was written"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solutions"]
    assert main(["bundle", "solutions/clean", "--env", "sandbox", "--out", str(out)]) == 0
    assert (out / "scripts" / "BrazeTrackProfile.py").is_file()


def test_orphans_are_not_counted_as_nodes(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    mapping = root / "mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    cut = text.index("  - name: BrazeLookupProfile")
    mapping.write_text(text[:cut], encoding="utf-8")
    assert main(["regen", str(root)]) == 0
    capsys.readouterr()

    assert main(["check", str(root)]) == 0

    out = capsys.readouterr().out
    assert "orphaned: no longer generated; kept" in out
    assert out.splitlines()[-1].endswith(
        ": up to date: 2 nodes, 22 generated files, 2 orphaned files"
    )


def test_a_refusal_says_nothing_was_written_once(tmp_path, monkeypatch, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    monkeypatch.delenv("BRAZE_API_KEY_SANDBOX", raising=False)
    out = tmp_path / "bundle"
    args = ["bundle", str(root), "--env", "sandbox", "--out", str(out), "--embed-key"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("nothing was written") == 1, err


def test_regen_of_a_mapping_file_names_the_solution_folder(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    assert main(["regen", str(root / "mapping.yaml")]) == 2
    assert (
        f"a file, not a solution folder: the solution's folder is {root}" in capsys.readouterr().err
    )
    assert main(["regen", str(root / "acme_claims")]) == 2
    assert f"the solution it belongs to is {root}" in capsys.readouterr().err


def test_the_same_paths_everywhere(tmp_path, monkeypatch, capsys):
    """Relative to the current folder, whether given relative or absolute, in every command."""
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(Path(PARTNER_EXAMPLE).read_text().replace("version: 1", "version: 7"))
    for args in (["check", str(spec)], ["check", "spec.yaml"], ["new", "--mapping", str(spec)]):
        main([*args, "--no-input"] if args[0] == "new" else args)
        err = capsys.readouterr().err
        assert err.startswith("spec.yaml:4:10: error: version 7 is not supported"), err


def _crlf_checkout(root: Path) -> list[Path]:
    """Every file of the solution with CRLF endings, as git's core.autocrlf=true checks it out."""
    converted = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".pypestream-braze" not in path.parts:
            data = path.read_bytes()
            path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            converted.append(path)
    return converted


def test_a_crlf_checkout_is_up_to_date_and_regenerates_cleanly(tmp_path, capsys):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    files = _crlf_checkout(root)

    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert "edited" not in out and out.endswith("up to date: 3 nodes, 24 generated files\n")

    mapping = root / "mapping.yaml"
    text = mapping.read_bytes()
    assert b'home_city: "{CITY}"\r\n' in text
    mapping.write_bytes(text.replace(b'home_city: "{CITY}"', b'home_city: "{TOWN}"'))
    before = {path: path.read_bytes() for path in files}

    assert main(["regen", str(root)]) == 0
    out = capsys.readouterr().out
    assert "conflict" not in out and "merged" not in out, out
    changed = [path for path in files if path.read_bytes() != before[path]]
    assert changed, "the mapping change reached the solution"
    for path in files:
        data = path.read_bytes()
        assert b"\n" not in data.replace(b"\r\n", b""), f"{path} lost its CRLF endings"
    node = root / "acme_claims" / "actions" / "BrazeTrackProfile.py"
    old, new = before[node].split(b"\r\n"), node.read_bytes().split(b"\r\n")
    assert len(old) == len(new) and sum(a != b for a, b in zip(old, new, strict=True)) <= 8

    assert main(["check", str(root)]) == 0
    assert main(["regen", str(root)]) == 0
    assert capsys.readouterr().out.endswith("up to date; nothing written\n")


def test_the_bundle_has_lf_endings_from_a_crlf_checkout(tmp_path):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    _crlf_checkout(root)
    out = tmp_path / "bundle"
    assert main(["bundle", str(root), "--env", "sandbox", "--out", str(out)]) == 0
    for path in out.rglob("*"):
        if path.is_file():
            assert b"\r" not in path.read_bytes(), path


def test_solutions_state_their_line_endings(tmp_path):
    root = tmp_path / "acme_claims"
    generate.write_new(root, generate.prepare(PARTNER_EXAMPLE, target=root))
    assert "* text=auto eol=lf" in (root / ".gitattributes").read_text(encoding="utf-8")
