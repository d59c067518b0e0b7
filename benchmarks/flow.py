"""Timing of `--flow EXPORT.csv`: reading a Design Studio export, checking a spec against it,
merging the solution's rows in, for exports from a few hundred nodes to the 16 MiB limit.

    python benchmarks/flow.py [--repeat 5] [--quick]

The exports are tests/flows/export.csv (412 nodes, written by tests/flows/make_export.py) and
that flow repeated with its numbers shifted, up to just under the reader's 16 MiB. The spec is
tests/flows/fits.yaml. Prints Markdown tables of medians; the figures measured are kept in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOWS = REPO / "tests" / "flows"
SPEC = FLOWS / "fits.yaml"
SHIFT = 200_000  # each copy of the flow numbered this much above the one before


def export(rows: int | None = None, size: int | None = None) -> bytes:
    """The test export, repeated with shifted numbers until it has rows rows or size bytes."""
    sys.path.insert(0, str(FLOWS))
    try:
        import make_export
    finally:
        sys.path.remove(str(FLOWS))
    records = list(csv.reader(io.StringIO(make_export.text(), newline="")))
    header, body = records[0], records[1:]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    written, copy = 0, 0
    while True:
        for record in body:
            if (rows is not None and written >= rows) or (
                size is not None and buffer.tell() >= size
            ):
                return buffer.getvalue().encode("utf-8")
            number = int(record[0].lstrip("'"))
            writer.writerow([str(number + SHIFT * copy), *record[1:]])
            written += 1
        copy += 1


def median_s(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run(*args: str) -> None:
    command = [sys.executable, "-m", "pypestream_braze", *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small exports, one run: it works")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    from pypestream_braze.mapping import flow, source
    from pypestream_braze.mapping.load import load_spec
    from pypestream_braze.mapping.places import Places
    from pypestream_braze.render import design_studio, flow_checks, flow_merge

    solution = load_spec(SPEC).solution
    places = Places(source.load(SPEC))
    rows = design_studio.rows(solution)
    sizes = [("412 nodes", export(rows=412)), ("5,000 nodes", export(rows=5000))]
    if not args.quick:
        sizes.append(("16 MiB", export(size=flow.MAX_BYTES - 64 * 1024)))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("| export | size | read | check | merge |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, data in sizes:
            path = folder / "export.csv"
            path.write_bytes(data)
            parsed = flow.read(path)
            assert not [
                p for p in flow_checks.check(solution, parsed, places) if p.level == "error"
            ]
            read = median_s(lambda p=path: flow.read(p), repeat)
            check = median_s(lambda f=parsed: flow_checks.check(solution, f, places), repeat)
            merge = median_s(lambda f=parsed: flow_merge.merge(f, rows), repeat)
            print(
                f"| {label} ({len(parsed.rows):,} rows) | {len(data) / 1024 / 1024:.1f} MiB "
                f"| {read * 1000:.0f} ms | {check * 1000:.1f} ms | {merge * 1000:.1f} ms |"
            )

        path = folder / "export.csv"
        path.write_bytes(sizes[0][1])
        print()
        print("| `check SPEC`, 2 nodes, one process each | median |")
        print("| --- | ---: |")
        timings: dict[str, list[float]] = {"plain": [], "flow": []}
        for _ in range(repeat):  # interleaved: the machine's load hits both alike
            timings["plain"].append(median_s(lambda: run("check", str(SPEC)), 1))
            timings["flow"].append(
                median_s(lambda: run("check", str(SPEC), "--flow", str(path)), 1)
            )
        plain, flowed = (statistics.median(timings[k]) for k in ("plain", "flow"))
        print(f"| without `--flow` | {plain * 1000:.0f} ms |")
        print(f"| with `--flow` ({sizes[0][0]}) | {flowed * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
