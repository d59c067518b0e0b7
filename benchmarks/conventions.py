"""Timing of team conventions and of many solutions at once, as whole command-line processes.

    python benchmarks/conventions.py [--solutions 8] [--nodes 5] [--repeat 3]

Prints Markdown tables of medians; the figures measured are kept in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONVENTIONS = """\
version: 1
defaults: {timeout: 6, error_node: 99990}
environments:
  sandbox: {instance: US-05, api_key_env: "BRAZE_{SOLUTION}_SANDBOX"}
  live: {instance: US-05, api_key_env: "BRAZE_{SOLUTION}_LIVE"}
naming:
  nodes: {prefix: Braze}
  outputs: {prefix: BRAZE_}
  events: snake_case
  custom_attributes: snake_case
  description: required
policy:
  endpoints: {forbidden: [users/delete]}
  never_send: [dob]
  node_numbers: [4000, 4999]
"""
TEMPLATES = "templates: templates/\n"
HEADER = "# Bench Integrations: {{ node.name }} for {{ solution.customer }}.\n"
NODE = """\
  - name: BrazeTrack{n}
    endpoint: users/track
    description: Track step {n}
    identifier: {{external_id: "{{USER_ID}}"}}
    body:
      attributes:
        - first_name: "{{FIRST_NAME}}"
          email: {{var: EMAIL, as: email}}
          home_city: "{{CITY}}"
      events:
        - name: step_{n}
    routing: {{node: {number}, success: {success}, failure: {failure}}}
"""


def spec(solution: str, nodes: int, conventions: str | None) -> str:
    head = f"version: 1\ncustomer: Bench\nsolution: {solution}\n"
    if conventions:
        head += f"conventions: {conventions}\n"
    else:
        head += "environments:\n  sandbox: {instance: US-05}\n  live: {instance: US-05}\n"
    return (
        head
        + "nodes:\n"
        + "".join(
            NODE.format(n=n, number=4000 + n * 10, success=4001 + n * 10, failure=4002 + n * 10)
            for n in range(nodes)
        )
    )


def run(*args: str, cwd: Path) -> None:
    command = [sys.executable, "-m", "pypestream_braze", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def median_s(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--solutions", type=int, default=8)
    parser.add_argument("--nodes", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        team = folder / "team"
        (team / "templates").mkdir(parents=True)
        (team / "templates" / "header.py.jinja").write_text(HEADER, encoding="utf-8")
        (team / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
        (team / "with_templates.yaml").write_text(CONVENTIONS + TEMPLATES, encoding="utf-8")
        (folder / "specs").mkdir()
        plain = folder / "specs" / "plain.yaml"
        plain.write_text(spec("BenchPlain", args.nodes, None), encoding="utf-8")
        names = [f"Bench{chr(65 + i)}" for i in range(args.solutions)]
        for solution in names:
            path = folder / "specs" / f"{solution}.yaml"
            path.write_text(spec(solution, args.nodes, "../team/with_templates.yaml"), "utf-8")
        headed = folder / "specs" / f"{names[0]}.yaml"
        governed = folder / "specs" / "governed.yaml"
        governed.write_text(spec("BenchGoverned", args.nodes, "../team/conventions.yaml"), "utf-8")

        print(f"| `check SPEC`, {args.nodes} nodes | median |")
        print("| --- | ---: |")
        for label, path in (("no conventions", plain), ("with conventions", governed)):
            seconds = median_s(lambda p=path: run("check", str(p), cwd=folder), args.repeat)
            print(f"| {label} | {seconds * 1000:.0f} ms |")

        from pypestream_braze.solution.generate import prepare

        prepare(plain)  # import and warm black once, like a long-lived process
        print()
        print(f"| render {args.nodes} nodes in one process (warm) | median |")
        print("| --- | ---: |")
        rows = [
            ("no conventions", plain),
            ("conventions, no templates", governed),
            ("conventions + header template (checks and a ruff run)", headed),
        ]
        timings: dict[str, list[float]] = {label: [] for label, _ in rows}
        for path in (plain, governed, headed):
            prepare(path)
        for _ in range(args.repeat * 3):  # interleaved: the machine's load hits all alike
            for label, path in rows:
                timings[label].append(median_s(lambda p=path: prepare(p), 1))
        for label, _ in rows:
            print(f"| {label} | {statistics.median(timings[label]) * 1000:.0f} ms |")

        out = folder / "solutions"
        for solution in names:
            run(
                "new", "--no-input", "--mapping", str(folder / "specs" / f"{solution}.yaml"),
                "--output-dir", str(out), cwd=folder,
            )  # fmt: skip
        roots = sorted(out.iterdir())

        def one_by_one(command: str) -> None:
            for root in roots:
                run(command, str(root), cwd=folder)

        def change_conventions(step: list[int]) -> None:
            step[0] += 1
            text = CONVENTIONS.replace("timeout: 6", f"timeout: {6 + step[0] % 2}") + TEMPLATES
            (team / "with_templates.yaml").write_text(text, encoding="utf-8")

        step = [0]
        print()
        print(f"| {len(roots)} solutions of {args.nodes} nodes | one process each | one command |")
        print("| --- | ---: | ---: |")
        serial = median_s(lambda: one_by_one("check"), args.repeat)
        fleet = median_s(lambda: run("check", str(out), cwd=folder), args.repeat)
        print(f"| `check`, up to date | {serial:.1f} s | {fleet:.1f} s |")
        timings = {"one": [], "fleet": []}  # type: ignore[assignment]
        for _ in range(args.repeat):
            for kind in ("one", "fleet"):
                change_conventions(step)
                started = time.perf_counter()
                one_by_one("regen") if kind == "one" else run("regen", str(out), cwd=folder)
                timings[kind].append(time.perf_counter() - started)
        serial, fleet = (statistics.median(timings[k]) for k in ("one", "fleet"))
        print(f"| `regen` after a conventions change | {serial:.1f} s | {fleet:.1f} s |")


if __name__ == "__main__":
    main()
