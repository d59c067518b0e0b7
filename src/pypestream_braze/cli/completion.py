"""`completion bash|zsh|fish`: a script that teaches the shell this command's words.

    eval "$(pypestream-braze completion bash)"     in ~/.bashrc
    eval "$(pypestream-braze completion zsh)"      in ~/.zshrc
    pypestream-braze completion fish | source      in ~/.config/fish/config.fish

The script is generated from the argument parser itself by shtab, so every command, option and
choice the parser knows is completed, and nothing else; it is static (pressing Tab runs no
Python), so it is regenerated after an upgrade. Arguments that take a path complete file names,
and those named ..._DIR (SOLUTION_DIR, --output-dir) folder names.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

SHELLS = ("bash", "zsh", "fish")


HELP = "print a script that completes this command's words in a shell"


def arguments(parser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell the script is for")


def run(args) -> int:
    sys.stdout.write(script(args.parser, args.shell))
    return 0


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    import shtab

    for action in _actions(parser):
        if action.type is Path:
            named = str(action.metavar or action.dest).upper()
            folder = named.endswith("_DIR") and "FILE" not in named
            # shtab reads the attribute it documents for this; argparse has no slot for it.
            action.complete = shtab.DIRECTORY if folder else shtab.FILE  # type: ignore[attr-defined]
    return shtab.complete(parser, shell=shell)


def _actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases are the same parser
                yield from _actions(sub)
