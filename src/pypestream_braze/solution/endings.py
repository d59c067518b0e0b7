"""Line endings are not edits.

A checkout with git's `core.autocrlf=true` (the Windows default) gives every file CRLF endings.
Texts are therefore compared, hashed and merged with LF endings, and a file written back keeps
the ending style it had on disk, so a regen changes only the lines the mapping changed.
"""

from __future__ import annotations

LF, CRLF = "\n", "\r\n"


def normalised(text: str) -> str:
    """text with LF endings only."""
    return text.replace(CRLF, LF)


def normalised_bytes(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def style(text: str | None) -> str:
    """The ending most of text's lines have (LF for a text with none)."""
    if not text:
        return LF
    return CRLF if text.count(CRLF) * 2 > text.count(LF) else LF


def in_style(text: str, ending: str) -> str:
    """text (with LF endings) written with the given ending."""
    return text if ending == LF else normalised(text).replace(LF, ending)
