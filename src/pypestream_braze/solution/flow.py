"""A solution in the flow it runs in: what `check --flow` and `bundle --flow` call.

    read(path) -> Flow                                  the export, or SpecError (one message)
    spec_warnings(path, loaded, flow) -> [Problem]      a spec checked against the flow
    folder_warnings(root, flow, conventions, strict)    a solution's mapping.yaml, likewise
    bundled(made, root, path) -> Bundled                the bundle with the flow merged in

Each raises SpecError, listing every problem, when the flow check finds an error (and, where
strict is asked, a warning); otherwise it returns the warnings to show. The verdict itself is
render/flow_checks.py's, a pure function of the model, the export and the spec's places, so
every door gives the same one. A bundle is merged only from a solution that passes it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import Level, Problem, SpecError
from ..mapping import flow as export
from ..mapping import source
from ..mapping.flow import Flow
from ..mapping.load import Loaded, load_spec
from ..mapping.places import Places
from ..render import flow_checks, flow_merge
from .bundle_contents import CSV, MANIFEST, Bundle
from .state import MAPPING


def read(path: str | Path) -> Flow:
    return export.read(path)


def spec_warnings(path: str | Path, loaded: Loaded, flow: Flow) -> list[Problem]:
    """The spec's own warnings with the flow's; SpecError with all of them on a flow error."""
    src = source.load(path, source.read(path))
    found = flow_checks.check(loaded.solution, flow, Places(src))
    problems = sorted([*loaded.warnings, *found], key=lambda p: p.location)
    if any(p.level is Level.ERROR for p in found):
        raise SpecError(problems)
    return problems


def folder_warnings(
    root: Path, flow: Flow, conventions: str | Path | None = None, strict: bool = False
) -> list[Problem]:
    """The flow's warnings about a solution's mapping.yaml, read with the node numbers its
    state records (those a bundle carries); SpecError on an error, or a warning with strict."""
    loaded, src = _load_solution(root, conventions)
    found = flow_checks.check(loaded.solution, flow, Places(src))
    if any(p.level is Level.ERROR for p in found) or (strict and found):
        raise SpecError(found)
    return found


@dataclass(frozen=True)
class Bundled:
    bundle: Bundle
    warnings: list[Problem]
    summary: str  # one line for the command to print


def bundled(made: Bundle, root: Path, path: str | Path) -> Bundled:
    """made with its design_studio.csv replaced by the export with the solution's rows merged
    in, and the manifest saying which rows were added and which replaced. The rows are the
    solution's design_studio.csv as on disk (hand edits included), like every bundled file."""
    flow = read(path)
    warnings = folder_warnings(root, flow)
    own = export.parse(made.files[CSV].encode("utf-8"), str(root / CSV))
    merged = flow_merge.merge(flow, [own.as_dict(row) for row in own.rows])
    manifest = json.loads(made.files[MANIFEST])
    name = Path(flow.path).name
    manifest["files"][CSV] = (
        f"the flow exported from Design Studio ({name}) with the solution's rows merged in: "
        "import it into Design Studio in place of the flow"
    )
    manifest["flow"] = {
        "export": name,
        "export_sha256": hashlib.sha256(_bytes(flow)).hexdigest(),
        "export_rows": len(flow.rows),
        "added": [change.as_json() for change in merged.added],
        "replaced": [change.as_json() for change in merged.replaced],
    }
    files = {relative: text for relative, text in made.files.items() if relative != MANIFEST}
    files[CSV] = merged.text
    files[MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    summary = (
        f"{CSV}: {name} ({len(flow.rows):,} rows) with {len(merged.added)} added and "
        f"{len(merged.replaced)} replaced"
    )
    return Bundled(Bundle(files, made.env, made.key_embedded), warnings, summary)


def _load_solution(root: Path, conventions) -> tuple[Loaded, source.Source]:
    from .regen import recorded_numbers

    numbers, _ = recorded_numbers(root)  # also makes sure mapping.yaml is a real file
    text = source.read(root / MAPPING)
    loaded = load_spec(root / MAPPING, text, numbers or None, conventions)
    return loaded, source.load(root / MAPPING, text)


def _bytes(flow: Flow) -> bytes:
    text = flow.header_text + "".join(row.text + row.gap for row in flow.rows)
    return ("\ufeff" if flow.bom else "").encode("utf-8") + text.encode("utf-8")
