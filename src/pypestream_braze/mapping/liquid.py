"""Braze's Liquid in message content, told apart from Pypestream's {VAR} placeholders.

    outside_liquid(text) -> str      text with every Liquid output and tag removed

An output is `{{ … }}`, in which `${name}` (Braze's attribute syntax) may hold the only `}`
before the closing `}}`: `{{${first_name} | default: 'there'}}`. A tag is `{% … %}`, up to the
first `%}`. Anything else is text, including a `{{` that never closes.

A scanner rather than a regular expression: a pattern with the same meaning is retried from
every `{{` of a text that never closes one, which is quadratic (a 60 KB body of `{{` took 45 s).
Here every character is looked at a bounded number of times: a `{{` that cannot close ends the
search for outputs at the place where it failed, and the next `%}` is found once and reused.
"""

from __future__ import annotations

import re

_OPENING = re.compile(r"\{[{%]")


def outside_liquid(text: str) -> str:
    if "{" not in text:
        return text
    pieces: list[str] = []
    kept = 0  # text[kept:position] is outside Liquid
    position = 0
    tag_end = -1  # where the next "%}" starts, once looked for; len(text) when there is none
    while True:
        opening = _OPENING.search(text, position)
        if opening is None:
            break
        start = opening.start()
        if text[start + 1] == "{":
            end, resume = _output_end(text, start)
        else:
            if tag_end < start + 2:
                found = text.find("%}", start + 2)
                tag_end = len(text) if found == -1 else found
            end = tag_end + 2 if tag_end < len(text) else None
            resume = start + 1
        if end is None:
            position = resume
            continue
        pieces.append(text[kept:start])
        kept = position = end
    pieces.append(text[kept:])
    return "".join(pieces)


def _output_end(text: str, start: int) -> tuple[int | None, int]:
    """(the end of the output opening at start, or None; where to look for the next opening).

    Reads `{{` then runs of characters other than `}`, each run up to a `}` that closes a
    `${` in it, until a `}` that closes none: the output ends there when a second `}` follows.
    """
    segment = start + 2
    while True:
        close = text.find("}", segment)
        if close == -1:
            return None, len(text)  # no "}" left: no later "{{" can close either
        if text.find("${", segment, close) != -1:
            segment = close + 1  # "${…}" inside the output
            continue
        if text.startswith("}", close + 1):
            return close + 2, close + 2
        return None, close + 1
