"""Rules Braze states of a whole request that the shape of no one field can say, declared on the
record of the endpoint they belong to (Endpoint.checks). mapping/request.py applies each kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotBoth:
    """Two keys Braze refuses together unless the key `unless` is given too."""

    keys: tuple[str, str]
    unless: str
    advice: str  # what to do instead, for the message


@dataclass(frozen=True)
class UnmixedItems:
    """A list whose items may not mix two kinds: some with one key, others with the other."""

    key: str  # the list
    kinds: tuple[str, str]  # a key that marks each kind of item
    what: str  # the two kinds, for the message: "email groups (emails) and SMS groups (phones)"
    why: str


@dataclass(frozen=True)
class Distinct:
    """Two keys of each item of a list that must not hold the same value."""

    key: str  # the list
    first: str
    second: str
    why: str


Check = NotBoth | UnmixedItems | Distinct
