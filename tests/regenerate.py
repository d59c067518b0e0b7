"""Write the expected files the tests compare against, anew: `python tests/regenerate.py`.

    tests/golden/partner_example/   the solution generated from mappings/partner_example.yaml
    tests/golden/runtime.py         the runtime every node carries, kept once
    tests/golden/endpoints/         the node generated from each other mapping in mappings/
    tests/invalid/<name>.expected   what `check <name>.yaml --strict` prints
    mappings/schema.json            the JSON Schema of a spec (`pypestream-braze schema`)
    conventions/schema.json         that of team conventions (`... schema --conventions`)
    README.md, its tables           the endpoints and value types (pypestream_braze.reference)

Only this script writes them; the tests only compare, so a test can never pass by writing what
it then reads. Run it after a deliberate change, then read every changed line in `git diff`.
`--only golden|invalid|reference` limits it to one kind.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from helpers import (  # noqa: E402
    GOLDEN,
    MAPPINGS,
    PARTNER_EXAMPLE,
    golden_text,
    update_golden_runtime,
    write_files,
)

INVALID = HERE / "invalid"
ENDPOINTS = GOLDEN / "endpoints"
SOLUTION = GOLDEN / "partner_example"


def golden() -> None:
    from pypestream_braze.solution.generate import prepare

    files = prepare(PARTNER_EXAMPLE).files
    shutil.rmtree(SOLUTION, ignore_errors=True)
    write_files(SOLUTION, {path: golden_text(path, text) for path, text in files.items()})
    update_golden_runtime()
    shutil.rmtree(ENDPOINTS, ignore_errors=True)
    ENDPOINTS.mkdir(parents=True)
    for mapping in endpoint_mappings():
        prepared = prepare(mapping)
        (node,) = prepared.solution.nodes
        text = prepared.files[f"{prepared.solution.package}/actions/{node.file_name}"]
        target = ENDPOINTS / node.file_name
        target.write_text(golden_text(target.name, text), encoding="utf-8", newline="")


def endpoint_mappings() -> list[Path]:
    """Every example mapping of one endpoint (all of mappings/ but the partner example)."""
    return sorted(p for p in MAPPINGS.glob("*.yaml") if p != PARTNER_EXAMPLE)


def invalid() -> None:
    for spec in sorted(INVALID.glob("*.yaml")):
        spec.with_suffix(".expected").write_text(checked(spec), encoding="utf-8")


def checked(spec: Path) -> str:
    """What `pypestream-braze check NAME.yaml --strict` prints, run beside a copy of the spec."""
    from pypestream_braze.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        shutil.copyfile(spec, Path(folder, spec.name))
        os.chdir(folder)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main(["check", spec.name, "--strict"])
        finally:
            os.chdir(here)
    return out.getvalue() + err.getvalue()


def reference() -> None:
    """The files the package describes itself in: the spec's schema, the README's tables."""
    from pypestream_braze.mapping import conventions_schema, schema
    from pypestream_braze.reference import update

    (MAPPINGS / "schema.json").write_text(schema.schema_text(), encoding="utf-8")
    conventions = HERE.parent / "conventions" / "schema.json"
    conventions.write_text(conventions_schema.schema_text(), encoding="utf-8")
    readme = HERE.parent / "README.md"
    readme.write_text(update(readme.read_text(encoding="utf-8")), encoding="utf-8")


KINDS = {"golden": golden, "invalid": invalid, "reference": reference}


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=KINDS)
    args = parser.parse_args(argv)
    for name, write in KINDS.items():
        if args.only in (None, name):
            write()


if __name__ == "__main__":
    run()
