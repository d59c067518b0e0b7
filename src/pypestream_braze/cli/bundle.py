"""`bundle SOLUTION_DIR --env sandbox|live`: what to upload to Pypestream, in one folder or zip."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError


def run(args) -> int:
    from ..mapping.reader import load_solution
    from ..solution import bundle

    root: Path = args.solution.resolve()
    if not (root / "mapping.yaml").is_file():
        raise UsageError(f"{args.solution}: not a solution folder (no mapping.yaml)")
    given: Path = args.out or Path(f"{root.name}-{args.env}-bundle")
    bundle.require_no_link(given)  # before anything is read: a link is refused, not resolved
    out = Path(os.path.realpath(given.parent)) / given.name
    api_key = None
    if args.embed_key:
        solution, _ = load_solution(root / "mapping.yaml")
        variable = next(e.api_key_env for e in solution.environments if e.name == args.env)
        api_key = _api_key(variable)
        if out == root or root in out.parents:
            raise UsageError(
                f"{out} is inside the solution, which is kept in version control; with "
                "--embed-key, write the bundle elsewhere (--out)"
            )
    made = bundle.collect(root, args.env, api_key)
    bundle.write(made, out)
    for relative in made.files:
        print(f"bundled {relative}")
    print(f"wrote {out}")
    if api_key is not None:
        print(
            f"the Braze API key for {args.env!r} is written into app.py of {out} (readable by "
            "you only): upload it, then delete the bundle; never commit or share it"
        )
    return 0


def _api_key(variable: str) -> str:
    key = os.environ.get(variable, "").strip()
    if not key:
        raise UsageError(
            f"--embed-key takes the key from {variable}, which is not set here: set it in this "
            "shell (it is not echoed), then bundle again; nothing was written"
        )
    if any(character.isspace() or not character.isprintable() for character in key):
        raise UsageError(
            f"the key in {variable} has spaces, line breaks or control characters; set it "
            "again; nothing was written"
        )
    return key
