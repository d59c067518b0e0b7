"""The semantic model: what a valid spec means, with everything the templates need computed.

Frozen dataclasses only; no YAML, no Jinja. Templates see nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .braze.endpoint import Endpoint
from .values import VALUE_TYPES


@dataclass(frozen=True)
class Const:
    value: object


# Braze's documented limits of a field, as keyword arguments of values.within:
# (("max_length", 255),) for a custom attribute's text, (("minimum", 1), ("maximum", 100)) ...,
# (("identifier", "send_id"),) for an identifier whose form Braze documents.
Limits = tuple[tuple[str, float | str], ...]


@dataclass(frozen=True)
class Var:
    name: str
    as_type: str = "string"  # a key of values.VALUE_TYPES: how the node converts the answer
    format: str | None = None
    default: object = None  # sent when the answer is missing or unusable; already converted
    limits: Limits = ()
    required: bool = False  # a missing or unusable answer stops the call (false)
    zone: str | None = None  # datetime: the zone of an answer given without one

    @property
    def converter_args(self) -> tuple:
        """The arguments the converter takes after the answer: its format, then its zone."""
        if self.zone is not None:
            return (self.format, self.zone)
        return (self.format,) if self.format is not None else ()

    @property
    def strict(self) -> bool:
        """An identifier whose form Braze documents: an unusable answer stops the call."""
        return any(name == "identifier" for name, _ in self.limits)


@dataclass(frozen=True)
class Fill:
    """A string with several {VAR} placeholders, or text around one."""

    template: str
    names: tuple[str, ...]
    limits: Limits = ()

    @property
    def strict(self) -> bool:
        return any(name == "identifier" for name, _ in self.limits)


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class ContextValue:
    key: str


@dataclass(frozen=True)
class Now:
    """The moment of the call, ISO 8601 UTC (the default time of events and purchases), or
    that moment plus an ISO 8601 duration (`{now: P3D}`: three days from the call)."""

    after: str | None = None


Leaf = Const | Var | Fill | Param | ContextValue | Now
# A body is made of dicts, lists and leaves. The key SPREAD_IDENTIFIER in a dict stands for the
# node's identifier, spread into every users/track object.
SPREAD_IDENTIFIER = "**identifier"


def leaves(tree) -> Iterator[Leaf]:
    if isinstance(tree, dict):
        for child in tree.values():
            yield from leaves(child)
    elif isinstance(tree, list):
        for child in tree:
            yield from leaves(child)
    elif tree is not None:
        yield tree


# What must hold of a part of the body for the request to mean what the spec says. A node builds
# its body with None for every missing value, then applies its rules deepest first:
ALL = "all"  # an object whose keys must all be there, or it goes missing as a whole
ANY = "any"  # an object that needs one of its keys (one identifier, say), or it goes missing
EACH = "each"  # a list that goes missing when any of its items does
MUST = "must"  # one of the keys must be there, or Braze is not called and the node answers false


@dataclass(frozen=True)
class Rule:
    kind: str  # ALL, ANY, EACH or MUST
    path: tuple[str | int, ...]  # where in the body; () is the body itself
    keys: tuple[str, ...]  # ALL, ANY, MUST: the keys of the object at path; EACH: ()
    label: tuple[str, ...]  # what fills them: variables, "param NAME", "context KEY"


@dataclass(frozen=True)
class Output:
    variable: str  # UPPER_CASE global variable
    path: tuple[str | int, ...]  # into Braze's JSON answer; "*" is the first entry of an object
    path_text: str  # as written in the spec


@dataclass(frozen=True)
class Routes:
    node: int | None
    success: int | None
    failure: int | None
    error: int | None

    def what_next(self) -> str:
        """Design Studio's What Next? cell: true~N|false~M|error~K."""
        return "|".join(f"{value}~{target}" for value, target in self.targets if target is not None)

    @property
    def missing(self) -> tuple[str, ...]:
        """The decision values (true, false, error) that lead nowhere yet."""
        return tuple(value for value, target in self.targets if target is None)

    @property
    def targets(self) -> tuple[tuple[str, int | None], ...]:
        """(decision value, target node number or None) for true, false and error."""
        return (("true", self.success), ("false", self.failure), ("error", self.error))


# BRAZE_SKIPPED: the answers a request was sent without because they could not be used.
STANDARD_OUTPUTS = ("BRAZE_STATUS", "BRAZE_ERROR", "BRAZE_SKIPPED")


@dataclass(frozen=True)
class Node:
    name: str  # class name = file name = Design Studio Command
    endpoint: Endpoint
    description: str
    routes: Routes
    timeout: float
    identifier: dict | None  # users/track(/sync) only: spread into every object
    body: dict  # the JSON body of a POST, or the query of a GET
    rules: tuple[Rule, ...]  # deepest first
    outputs: tuple[Output, ...]
    variables: tuple[str, ...]  # payload keys the script reads, in order of first use
    conversions: frozenset[str]  # the value types the script converts, "fill" and "now"
    params: tuple[str, ...]  # app.PARAMS keys the body reads
    context_keys: tuple[str, ...]
    uses_now: bool
    repeat_safe: bool  # may be sent again after an ambiguous failure
    minor_errors_fail: bool
    number_assigned: bool = False  # routes.node was assigned by the generator, not the spec
    path: dict = field(default_factory=dict)  # the endpoint's path parameters -> value
    path_rules: tuple[Rule, ...] = ()  # a path parameter that can go missing stops the call
    renamed_from: str | None = None  # the name this node had before (the spec's renamed_from)

    @property
    def required(self) -> tuple[str, ...]:
        """Answers the spec marks `required: true`: missing or unusable, Braze is not called."""
        names = [leaf.name for leaf in self.sent_values if isinstance(leaf, Var) and leaf.required]
        return tuple(dict.fromkeys(names))

    @property
    def strict(self) -> tuple[str, ...]:
        """Answers (as BRAZE_ERROR names them) filling an identifier whose form Braze documents:
        one Braze would refuse stops the call instead of going out without it."""
        names = []
        for leaf in self.sent_values:
            if isinstance(leaf, Var) and leaf.strict and leaf.default is None:
                names.append(leaf.name)  # a default stands in for an unusable answer
            elif isinstance(leaf, Fill) and leaf.strict:
                names.append(", ".join(leaf.names))
        return tuple(dict.fromkeys(names))

    @property
    def sent_values(self) -> Iterator[Leaf]:
        """Every value the node sends: in its identifier, path and body (or query)."""
        return leaves([self.identifier or {}, self.path, self.body])

    @property
    def reads_answers(self) -> bool:
        """Whether the body converts answers from the payload (a Var somewhere)."""
        return bool(self.conversions & set(VALUE_TYPES))

    @property
    def file_name(self) -> str:
        return f"{self.name}.py"

    def path_in(self, package: str) -> str:
        """Where the node's script is in a solution, relative to its folder."""
        return node_path(package, self.name)

    @property
    def output_variables(self) -> tuple[str, ...]:
        return STANDARD_OUTPUTS + tuple(o.variable for o in self.outputs)

    @property
    def parameter_input(self) -> dict[str, str]:
        """Design Studio's Parameter Input: {"VAR": "{VAR}"} for every variable read."""
        return {name: "{" + name + "}" for name in self.variables}


def node_path(package: str, name: str) -> str:
    """Where the script of the node called name is in a solution: its Design Studio Command
    is its class name and its file name."""
    return f"{package}/actions/{name}.py"


# Pypestream's environments, and the other names its solutions' code knows them by: the one
# definition the spec reader, app.py, run.py and bundle all use.
ENVIRONMENTS = ("sandbox", "live")
ENVIRONMENT_ALIASES = {"prod": "live"}


def environment_name(name: str) -> str:
    """The environment a name means: "prod" is "live"; any other name is itself."""
    return ENVIRONMENT_ALIASES.get(name, name)


@dataclass(frozen=True)
class Environment:
    name: str  # one of ENVIRONMENTS
    url: str  # REST base URL without a trailing slash
    instance: str | None
    api_key_env: str  # the environment variable holding the REST API key
    params: dict[str, object]


@dataclass(frozen=True)
class Solution:
    customer: str
    solution: str  # CamelCase
    package: str
    environments: tuple[Environment, ...]
    timeout: float
    error_node: int | None
    nodes: tuple[Node, ...]
    create_error_node: bool = False  # design_studio.csv adds the error node's row
    endpoints: tuple[Endpoint, ...] = field(default=())  # distinct, in order of first use
    # node name -> number, for the nodes whose spec gives no routing.node (see numbering.py)
    assigned_numbers: dict[str, int] = field(default_factory=dict)

    def node_at(self, number: int | None) -> Node | None:
        return next((n for n in self.nodes if n.routes.node == number), None)

    @property
    def slug(self) -> str:
        return self.package

    @property
    def environment_aliases(self) -> dict[str, str]:
        """The other names app.py answers to: {"prod": "live"}."""
        names = {env.name for env in self.environments}
        return {alias: name for alias, name in ENVIRONMENT_ALIASES.items() if name in names}

    @property
    def bot_id(self) -> str:
        return bot_id(self.customer, self.solution)


def bot_id(customer: str, solution: str) -> str:
    """How Pypestream names a solution: Customer.Solution, letters and digits around one dot."""
    return customer_id(customer) + "." + solution


def customer_id(customer: str) -> str:
    """The customer as Pypestream writes it in a solution's id: letters and digits only."""
    return re.sub(r"[^A-Za-z0-9]", "", customer)
