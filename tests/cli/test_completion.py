"""`pypestream-braze completion bash|zsh|fish`: the script each shell sources, run in that
shell, completes the commands, options and choices the parser has."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pypestream_braze.cli.main import _parser


def _script(shell: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pypestream_braze", "completion", shell],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    return result.stdout


def _bash(script: str, line: str) -> list[str]:
    """What bash offers after the words of line, with the script sourced."""
    words = line.split(" ")
    program = f"""
source /dev/stdin <<'SCRIPT'
{script}
SCRIPT
complete -p pypestream-braze
COMP_WORDS=({" ".join(repr(w) for w in words)})
COMP_CWORD={len(words) - 1}
COMP_LINE={line!r}
COMP_POINT={len(line)}
_shtab_pypestream_braze
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    result = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    registered, *offered = result.stdout.splitlines()
    assert registered.startswith("complete ") and registered.endswith(" pypestream-braze")
    assert "-F _shtab_pypestream_braze" in registered
    return [word.strip() for word in offered]


def test_bash_sources_the_script_and_registers_the_command():
    script = _script("bash")
    assert "check" in _bash(script, "pypestream-braze ch")
    commands = set(_bash(script, "pypestream-braze "))
    parser_commands = next(a for a in _parser()._actions if a.dest == "command").choices
    assert commands == set(parser_commands)
    assert {"--strict", "--no-strict", "--changed", "--output-format"} <= set(
        _bash(script, "pypestream-braze check --")
    )
    assert _bash(script, "pypestream-braze check --output-format ") == ["text", "json", "github"]
    assert _bash(script, "pypestream-braze bundle x --env ") == ["sandbox", "live"]


def test_bash_completes_paths_where_a_path_goes(tmp_path):
    (tmp_path / "spec.yaml").write_text("", encoding="utf-8")
    (tmp_path / "solutions").mkdir()
    script = _script("bash")
    offered = _bash(script, f"pypestream-braze check {tmp_path}/s")
    assert sorted(offered) == [f"{tmp_path}/solutions", f"{tmp_path}/spec.yaml"]
    offered = _bash(script, f"pypestream-braze bundle {tmp_path}/s")
    assert offered == [f"{tmp_path}/solutions"], "a solution is a folder"


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_reads_the_script(tmp_path):
    path = tmp_path / "_pypestream-braze"
    path.write_text(_script("zsh"), encoding="utf-8")
    result = subprocess.run(
        [
            "zsh",
            "-f",
            "-c",
            f"autoload -Uz compinit && compinit -u -d {tmp_path}/dump; "
            f"source {path} && print -r -- ${{+functions[_shtab_pypestream_braze]}}",
        ],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "1"), result.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_from_the_script(tmp_path):
    path = tmp_path / "pypestream-braze.fish"
    path.write_text(_script("fish"), encoding="utf-8")
    result = subprocess.run(
        [
            "fish",
            "--no-config",
            "-c",
            f"source {path}; complete -C 'pypestream-braze ch'; "
            "complete -C 'pypestream-braze regen --output-format '",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    offered = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert offered == ["check", "text", "json", "github"]


def test_an_unknown_shell_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(["completion", "powershell"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'powershell'" in capsys.readouterr().err
