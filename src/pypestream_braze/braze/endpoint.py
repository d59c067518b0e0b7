"""What the catalogue says of one endpoint: its method, path, request, answer and rate limit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .checks import Check
from .shapes import INTEGER, STRING, Shape, obj, value

# How often Braze takes each endpoint, as its pages and the API limits page say.
DEFAULT_RATE_LIMIT = "250,000 requests per hour, shared by most endpoints"
# A path parameter's value: one segment of the URL, encoded whole when the node runs. "." and
# ".." are refused: HTTP clients resolve them, which would call another URL.
PATH_VALUE = value(
    STRING,
    INTEGER,
    pattern=r"(?!\.\.?$).+",
    pattern_hint="a URL path segment Braze can be called with: not empty, '.' or '..'",
)
_PATH_PARAMETER = re.compile(r"\{([A-Za-z_]+)\}")


@dataclass(frozen=True, eq=False)
class Answer:
    """What Braze answers when it does what was asked, and how a lookup says it found nothing."""

    # Braze's documented answer; the solution's tests reply with it.
    example: Mapping[str, object] = field(default_factory=lambda: {"message": "success"})
    # The top-level keys of the answer that outputs may read; () where Braze documents none.
    fields: tuple[str, ...] = ()
    # A lookup: the keys (a list or an object) that are empty when nothing matched. Nothing was
    # found when one of them is in the answer and none of them holds anything.
    found: tuple[str, ...] = ()
    # The "id" of an error in a 404 answer that means the thing looked up does not exist (a
    # catalog item), as opposed to a wrong URL.
    missing: tuple[str, ...] = ()
    nothing: str = ""  # BRAZE_ERROR when nothing was found
    # A list of per-item refusals: when it holds anything, Braze did not do what was asked.
    refused: str | None = None
    # Braze's messages (lower case, as they begin) for a request refused because of how the
    # integration is set up, not because of its data: a paused or missing campaign.
    broken: tuple[str, ...] = ()

    @property
    def is_lookup(self) -> bool:
        return bool(self.found or self.missing)

    @property
    def description(self) -> str:
        """When Braze says it found nothing: "its items is empty, or a 404 names ..."."""
        parts = []
        if self.found:
            keys = " and ".join(self.found)
            parts.append(f"its {keys} {'is' if len(self.found) == 1 else 'are'} empty")
        if self.missing:
            parts.append(f"a 404 names the error {' or '.join(map(repr, self.missing))}")
        return ", or ".join(parts)

    def nothing_found(self) -> tuple[int, dict]:
        """An answer that says nothing was found (status, JSON), for tests."""
        if self.missing:
            error = {"id": self.missing[0], "message": self.nothing}
            return 404, {"errors": [error], "message": "Invalid Request"}
        emptied: dict[str, object] = {
            k: ({} if isinstance(self.example.get(k), dict) else []) for k in self.found
        }
        return 200, {**self.example, **emptied}


@dataclass(frozen=True, eq=False)  # one object per endpoint: compared and hashed by identity
class Endpoint:
    """One Braze REST endpoint: its method and path, what it takes, what it answers, and how a
    generated node treats it."""

    path: str  # with its {parameters}, as Braze documents it
    summary: str
    body: Shape | None  # the JSON body of a POST; None for a GET
    method: str = "POST"
    query: Shape | None = None  # a GET's query parameters
    # A request that could act twice when repeated after an ambiguous failure (a timeout or a
    # 5xx after Braze may have accepted it): events and purchases are never de-duplicated
    # (the users/track page) and a message trigger would send twice.
    repeat_safe: bool = True
    unsafe: str = "a message would go out twice"  # why, when repeat_safe is False
    # Body keys that make a request unsafe to repeat when they hold anything: a users/track
    # request's events and purchases.
    unsafe_keys: tuple[str, ...] = ()
    # A body key Braze de-duplicates requests on: a request that carries it is safe to repeat.
    dedupe_key: str | None = None
    success_status: int = 201
    # Keys that name who receives a message; with none of them, the body must say broadcast: true.
    audience_keys: tuple[str, ...] = ()
    # Keys Braze accepts without but a solution should have: key -> why (a warning when absent).
    recommended: tuple[tuple[str, str], ...] = ()
    # Rules of the whole request that no field's shape can say (checks.py).
    checks: tuple[Check, ...] = ()
    # The permission the REST API key needs; by default the path with dots, no version.
    permission: str = ""
    rate_limit: str = DEFAULT_RATE_LIMIT
    answer: Answer = field(default_factory=Answer)
    # users/track and users/track/sync: a node's `identifier` goes into every object, and the
    # arrays hold at most this many objects together.
    max_objects: int | None = None
    # The shape of a path parameter's value where Braze documents its form (a catalog name);
    # any other parameter is one URL segment (PATH_VALUE).
    path_values: Mapping[str, Shape] = field(default_factory=dict)
    # The path without its parameters, as a name (catalogs_items): the example mapping's file
    # name and, after "braze_", the key of the path in app.PARAMS. Given where two paths would
    # share one.
    slug: str = ""

    def __post_init__(self) -> None:
        if not self.permission:
            permission = re.sub(r"^v[0-9]+/", "", self.path).replace("/", ".")
            object.__setattr__(self, "permission", permission)
        if not self.slug:
            slug = "_".join(part for part in self.path.split("/") if not part.startswith("{"))
            object.__setattr__(self, "slug", slug)

    def path_value(self, name: str) -> Shape:
        """The shape of the value of the path parameter name."""
        return self.path_values.get(name, PATH_VALUE)

    @property
    def query_required(self) -> bool:
        """Whether a node must give a query: a GET with parameters Braze requires."""
        query = self.query
        return query is not None and (
            bool(query.one_of) or any(f.required for f in query.fields.values())
        )

    @property
    def parameters(self) -> tuple[str, ...]:
        """The path's parameters, in order: ("catalog_name", "item_id")."""
        return tuple(_PATH_PARAMETER.findall(self.path))

    @property
    def takes(self) -> str:
        """The part of the request a spec describes: "body" for a POST, "query" for a GET."""
        return "query" if self.method == "GET" else "body"

    @property
    def shape(self) -> Shape:
        """The shape of that part."""
        shape = self.query if self.method == "GET" else self.body
        return shape if shape is not None else obj()

    @property
    def tracks(self) -> bool:
        """users/track and users/track/sync: a node's identifier is spread into every object."""
        return self.max_objects is not None

    @property
    def display(self) -> str:
        return f"{self.method} /{self.path}"

    @property
    def params_key(self) -> str:
        """The key of this endpoint's path in app.PARAMS, e.g. braze_users_track."""
        return "braze_" + self.slug
