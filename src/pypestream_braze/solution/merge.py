"""Merging a hand-edited file with a new render: texts in, (text, has_conflicts) out.

With a baseline (the last generated text) this is a three-way merge: the user's edits and the
generator's changes are both applied, and where they overlap both versions are kept between
git-style markers. Without a baseline nothing says which side changed what, so every region
where the two texts differ becomes a conflict: neither side is ever dropped silently.
"""

from __future__ import annotations

START = "<<<<<<< yours"
MID = "======="
END = ">>>>>>> generated"


def merge(base: str | None, yours: str, generated: str) -> tuple[str, bool]:
    """The merged text, and whether it holds conflict markers."""
    if yours == generated:
        return yours, False
    if base is None:
        return _two_way(yours, generated)
    if yours == base:
        return generated, False
    if generated == base:
        return yours, False
    import merge3

    ends_open = not (yours.endswith("\n") or generated.endswith("\n"))
    m3 = merge3.Merge3(_lines(base), _lines(yours), _lines(generated))
    conflicts = any(region[0] == "conflict" for region in m3.merge_regions())
    text = "".join(m3.merge_lines(name_a="yours", name_b="generated"))
    return _close(text, ends_open and not conflicts), conflicts


def has_markers(text: str) -> bool:
    """Whether text still holds an unresolved conflict written by merge()."""
    if START not in text:
        return False
    lines = text.splitlines()
    return START in lines and END in lines


def _two_way(yours: str, generated: str) -> tuple[str, bool]:
    import difflib

    a, b = _lines(yours), _lines(generated)
    out: list[str] = []
    conflicts = False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(a[a1:a2])
            continue
        conflicts = True
        out.append(START + "\n")
        out.extend(a[a1:a2])
        out.append(MID + "\n")
        out.extend(b[b1:b2])
        out.append(END + "\n")
    return "".join(out), conflicts


def _lines(text: str) -> list[str]:
    """Lines with their endings; a last line without one gets one, so markers stay apart."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _close(text: str, strip_newline: bool) -> str:
    return text[:-1] if strip_newline and text.endswith("\n") else text
