"""What a spec inherits from its team's conventions where it says nothing itself.

The reader takes an Inherited and applies it under the spec: a value the spec writes always wins.
Nothing here reads a file; mapping/conventions.py builds these from a conventions file.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InheritedEnvironment:
    """An environment's defaults: a Braze instance (or URL) and the API key variable's name."""

    url: str | None = None
    instance: str | None = None
    api_key_env: str | None = None


@dataclass(frozen=True)
class Inherited:
    # timeout, error_node, minor_errors, resend_events: the spec's `defaults` start from these
    defaults: dict[str, object] = field(default_factory=dict)
    environments: dict[str, InheritedEnvironment] = field(default_factory=dict)
    # the node numbers this solution's nodes live in; assigned numbers start at first_node
    first_node: int | None = None
    last_node: int | None = None


NOTHING = Inherited()
