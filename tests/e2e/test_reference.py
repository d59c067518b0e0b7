"""The README's tables of endpoints and value types are rendered from the records they describe."""

import pytest
from helpers import REPO

from pypestream_braze import reference
from pypestream_braze.braze import ENDPOINTS
from pypestream_braze.values import VALUE_TYPES

README = REPO / "README.md"


def test_readme_tables_are_the_records():
    text = README.read_text(encoding="utf-8")
    assert reference.update(text) == text, (
        "README.md's tables of endpoints or value types differ from the catalogue and "
        f"values.py; rewrite them with '{reference.COMMAND}'"
    )


def test_every_record_has_its_row():
    tables = reference.tables()
    for endpoint in ENDPOINTS.values():
        assert f"| {endpoint.method} | `{endpoint.path}` |" in tables["endpoints"]
    for name in VALUE_TYPES:
        assert f"| `{name}` |" in tables["value types"]


def test_update_rewrites_a_stale_table_and_keeps_the_rest(tmp_path):
    stale = README.read_text(encoding="utf-8").replace("| `users.track` |", "| `users.old` |")
    readme = tmp_path / "README.md"
    readme.write_text(stale, encoding="utf-8")
    assert reference.main([str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == README.read_text(encoding="utf-8")


def test_a_readme_without_the_markers_is_refused():
    with pytest.raises(ValueError, match="<!-- endpoints"):
        reference.update("# a README without tables\n")


def test_a_readme_that_is_a_link_is_neither_followed_nor_written(tmp_path, capsys):
    real = tmp_path / "elsewhere.md"
    real.write_text("# not ours\n", encoding="utf-8")
    (tmp_path / "README.md").symlink_to(real)
    assert reference.main([str(tmp_path / "README.md")]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert real.read_text(encoding="utf-8") == "# not ours\n"
