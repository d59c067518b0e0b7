"""`bundle` against hostile places: a killed run, links on the way to --out, a shared key."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import REPO

from pypestream_braze.solution import bundle, generate

KEY = "bz-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def prepared():
    return generate.prepare(REPO / "mappings" / "partner_example.yaml")


def test_a_killed_bundle_leaves_only_an_owner_only_folder_and_the_next_removes_it(tmp_path):
    """A bundle killed while writing (after app.py, with its key) leaves its staging folder;
    nobody else can read it, and the next bundle in that folder removes it."""
    out = tmp_path / "out"
    written = tmp_path / "written"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from pypestream_braze.solution import bundle

        real = bundle._write_folder

        def write_then_wait(made, folder):
            real(made, folder)
            Path({str(written)!r}).write_text(str(folder))
            time.sleep(60)

        bundle._write_folder = write_then_wait
        made = bundle.Bundle({{"app.py": "KEY = {KEY!r}\\n"}}, "live", True)
        bundle.write(made, Path({str(out)!r}))
        """)
    child = subprocess.Popen(
        [sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(REPO / "src")}
    )
    try:
        deadline = time.monotonic() + 30
        while not _said(written) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _said(written), "the bundle never wrote its files"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()

    staging = Path(written.read_text()).parent
    assert staging.name.startswith(bundle.STAGING_PREFIX)
    assert stat.S_IMODE(staging.stat().st_mode) == 0o700
    assert not out.exists()

    made = bundle.Bundle({"app.py": "NAME = 'x'\n"}, "live", False)
    bundle.write(made, out)

    assert not staging.exists()
    assert (out / "app.py").exists()


def test_a_staging_folder_a_running_bundle_holds_is_left_alone(tmp_path):
    staging = tmp_path / f"{bundle.STAGING_PREFIX}running"
    staging.mkdir(mode=0o700)
    held = bundle._lock_folder(staging)
    try:
        assert bundle.remove_leftovers(tmp_path) == []
        assert staging.exists()
    finally:
        os.close(held)
    assert bundle.remove_leftovers(tmp_path) == [staging]


@pytest.mark.parametrize("link", ["out", "via"])
def test_an_out_that_is_or_passes_through_a_link_is_refused_before_anything_is_written(
    tmp_path, link
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / link).symlink_to(elsewhere / "made" if link == "out" else elsewhere)
    out = tmp_path / "out" if link == "out" else tmp_path / "via" / "bundle"
    made = bundle.Bundle({"app.py": f"KEY = {KEY!r}\n"}, "live", True)

    with pytest.raises(bundle.UsageError, match="is a symbolic link"):
        bundle.write(made, out)

    assert list(elsewhere.iterdir()) == []


def test_the_key_is_written_into_the_entry_of_the_environment_asked_for_only(prepared):
    app = prepared.files[f"{prepared.solution.package}/app.py"]
    shared = app.replace("BRAZE_API_KEY_LIVE", "BRAZE_KEY").replace(
        "BRAZE_API_KEY_SANDBOX", "BRAZE_KEY"
    )
    reads = 'os.environ.get("BRAZE_KEY", "").strip()'
    assert shared.count(reads) == 2

    for env in ("sandbox", "live"):
        embedded = bundle._embed_key(shared, env, "BRAZE_KEY", KEY)
        namespace: dict = {"__file__": "app.py"}
        exec(compile(embedded, "app.py", "exec"), namespace)
        params = namespace["PARAMS"]
        other = "live" if env == "sandbox" else "sandbox"
        assert params[env]["braze_api_key"] == KEY
        assert params[other]["braze_api_key"] != KEY
        assert embedded.count(KEY) == 1 and embedded.count(reads) == 1


def test_a_key_is_not_embedded_where_app_py_no_longer_reads_it_in_that_entry(prepared):
    app = prepared.files[f"{prepared.solution.package}/app.py"]
    moved = app.replace(
        '"braze_api_key": os.environ.get("BRAZE_API_KEY_LIVE", "").strip(),',
        '"braze_api_key": "",\n        "unused": os.environ.get("BRAZE_API_KEY_LIVE", "").strip(),',
    )
    with pytest.raises(bundle.UsageError, match="no place to write it"):
        bundle._embed_key(moved, "live", "BRAZE_API_KEY_LIVE", KEY)


def _said(path: Path) -> bool:
    """Whether the child has written its whole line to path (it may be created but empty)."""
    return path.exists() and path.read_text().endswith("bundle")
