"""A date format written as people write one (DD/MM/YYYY) as the strptime pattern it means.

    strptime_pattern("DD/MM/YYYY") -> "%d/%m/%Y"     None when it cannot tell

The order is the user's: a hint that answers DD/MM/YYYY with %m/%d/%Y would swap day and month.
Letters are read in any case (dd/mm/yyyy is common), and M is the month unless it stands next to
an hour or a second (hh:mm, mm:ss), where it is the minute. Anything else it does not know (a
letter run such as Q or W) gives None: a guess would be worse than the general hint.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"(?i:am/pm|a/p)|([A-Za-z])\1*|[^A-Za-z]+")
_FIXED = {"Y": {4: "%Y", 2: "%y"}, "D": {1: "%d", 2: "%d"}, "S": {1: "%S", 2: "%S"}}
_HOURS = {1: "%H", 2: "%H"}
_MONTHS = {1: "%m", 2: "%m", 3: "%b", 4: "%B"}


def strptime_pattern(text: str) -> str | None:
    runs = [m.group() for m in _RUNS.finditer(text)]
    letters = [i for i, run in enumerate(runs) if run[0].isalpha()]
    twelve = any(run.lower() in ("am/pm", "a/p", "a", "am", "pm") for run in runs)
    out = []
    for index, run in enumerate(runs):
        if not run[0].isalpha():
            out.append(run.replace("%", "%%"))
            continue
        kind, size = run[0].upper(), len(run)
        directive: str | None
        if run.lower() in ("am/pm", "a/p", "a", "am", "pm"):
            directive = "%p"
        elif run == "T" and 0 < index < len(runs) - 1:  # ISO's date-time separator
            directive = "T"
        elif kind == "H":
            directive = {1: "%I", 2: "%I"}.get(size) if twelve else _HOURS.get(size)
        elif kind == "M" and size <= 2 and _beside_time(runs, letters, index):
            directive = "%M"
        elif kind == "M":
            directive = _MONTHS.get(size)
        else:
            directive = _FIXED.get(kind, {}).get(size)
        if directive is None:
            return None
        out.append(directive)
    pattern = "".join(out)
    return pattern if "%" in pattern.replace("%%", "") else None


def _beside_time(runs: list[str], letters: list[int], index: int) -> bool:
    """Whether the letter run before or after runs[index] is an hour or a second."""
    position = letters.index(index)
    around = letters[max(position - 1, 0) : position] + letters[position + 1 : position + 2]
    return any(runs[i][0].upper() in "HS" for i in around)
