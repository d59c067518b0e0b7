"""Jinja's immutable sandbox with a time limit and a size limit, for a team's templates.

    env = BoundedSandbox(...)             an ImmutableSandboxedEnvironment
    with env.limits():                    while a team template renders: the clock runs
        for chunk in template.generate(...): env.count(chunk)

The sandbox keeps a template from reaching Python; it does not keep it from running for hours
(`range(100000)` inside another) or from making a value of hundreds of megabytes
(`"x" * 200000000`). A conventions file can come from anywhere, so both are bounded here,
in the process that renders, without a subprocess per template:

- time: every loop's iterable is wrapped (at compile time) in one that looks at the clock each
  time round, and so does every call, filter, operator and attribute a template uses: a
  template past SECONDS stops with TemplateLimitError;
- size: what `*`, `**`, `+` and `~` make, what a call or a filter returns, and what a block or
  macro joins are each at most MAX_VALUE (checked before `*` and `**` compute), and what a
  template renders is counted as it streams out, at most MAX_OUTPUT.

Outside a team template's render (the generator's own templates rendered in this
environment), nothing is timed, and the checks cost a comparison each.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

SECONDS = 10.0  # a team template's render, its includes and macros included
MAX_OUTPUT = 4 * 1024 * 1024  # characters a team template renders
MAX_VALUE = MAX_OUTPUT  # characters (or items) of one value it makes
MAX_EXPONENT = 1024  # of `**`: 2 ** 1024 is already a 309-digit number
# What is measured; not "anything with a length": StrictUndefined's len() is an error.
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
# A number in a format string ("%0300000000d", "{:300000000}"): a width or a precision that
# large makes the whole value before bounded() could see it, so it is refused beforehand.
_NUMBER = re.compile(r"[0-9]+")


class TemplateLimitError(Exception):
    """A team template went past a limit; the message says which, in words."""


def _environment_loop(lineno: int) -> nodes.InternalName:
    """The name `environment.loop` in compiled code (Jinja makes its internal names this way)."""
    name = object.__new__(nodes.InternalName)
    nodes.Node.__init__(name, "environment.loop", lineno=lineno)
    return name


class _TickingCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every loop's iterable and every `~` routed through checks."""

    def visit_For(self, node, frame):
        wrapped = getattr(node.iter, "node", None)
        if not (isinstance(wrapped, nodes.InternalName) and wrapped.name == "environment.loop"):
            loop = _environment_loop(node.lineno)
            node.iter = nodes.Call(loop, [node.iter], [], None, None, lineno=node.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node, frame):
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    code_generator_class = _TickingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.deadline: float | None = None
        self.rendered = 0

    # -- while a team template renders -----------------------------------------------------

    @contextlib.contextmanager
    def limits(self):
        """Start the clock and the output count, unless a team template's render is under way
        (an include or a header inside another render shares its limits)."""
        if self.deadline is not None:
            yield
            return
        self.deadline = time.monotonic() + SECONDS
        self.rendered = 0
        try:
            yield
        finally:
            self.deadline = None

    def count(self, chunk: str) -> None:
        self.tick()
        if self.deadline is not None:
            self.rendered += len(chunk)
            if self.rendered > MAX_OUTPUT:
                raise TemplateLimitError(
                    f"renders more than {MAX_OUTPUT:,} characters, the most a team template "
                    "may render"
                )

    def tick(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"takes longer than {SECONDS:g} seconds to render, the most a team template "
                "may take (loops inside loops are the usual cause)"
            )

    def bounded(self, value):
        self.tick()
        if self.deadline is not None and isinstance(value, _SIZED) and len(value) > MAX_VALUE:
            self.too_large()
        return value

    def too_large(self):
        raise TemplateLimitError(
            f"makes a value of more than {MAX_VALUE:,} characters or items, the most a team "
            "template may make"
        )

    # -- what the compiled template calls ----------------------------------------------------

    def loop(self, iterable: Iterable) -> Iterator:
        for item in iterable:
            self.tick()
            yield item

    def concat(self, parts) -> str:  # a block's or a macro's output, joined
        parts = list(parts)
        if self.deadline is not None and sum(len(part) for part in parts) > MAX_VALUE:
            self.too_large()
        return "".join(parts)

    def call_binop(self, context, operator, left, right):
        self.tick()
        if self.deadline is not None:
            if operator == "*":
                self._check_repeat(left, right)
                self._check_repeat(right, left)
            elif operator == "%":
                self.check_format(left)
            elif operator == "**" and _huge_power(left, right):
                raise TemplateLimitError(
                    f"raises a number to a power above {MAX_EXPONENT}, more than a team "
                    "template may compute"
                )
        return self.bounded(super().call_binop(context, operator, left, right))

    def check_format(self, text) -> None:
        """Refuse a format string (of %, str.format or the format filter) with a width or a
        precision above MAX_VALUE."""
        if isinstance(text, str) and any(int(n) > MAX_VALUE for n in _NUMBER.findall(text)):
            raise TemplateLimitError(
                f"formats a value wider than {MAX_VALUE:,} characters, the most a team "
                "template may make"
            )

    def _check_repeat(self, sequence, times) -> None:
        sized = isinstance(sequence, _SIZED) and isinstance(times, int)
        if sized and len(sequence) * max(times, 0) > MAX_VALUE:
            self.too_large()

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own signature
        __self.tick()
        if __self.deadline is not None:
            __self.check_arguments((*args, *kwargs.values()))
            method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
            if getattr(method, "__name__", "") in ("format", "format_map"):
                __self.check_format(getattr(method, "__self__", None))
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def check_arguments(self, values) -> None:
        """No count past MAX_VALUE (range, a repeat, a width) passed to a call or a filter."""
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_VALUE:
                self.too_large()

    def getattr(self, obj, attribute):
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self.tick()
        return super().getitem(obj, argument)


def _huge_power(base, exponent) -> bool:
    numbers = isinstance(base, int) and isinstance(exponent, int)
    return numbers and abs(exponent) > MAX_EXPONENT and base not in (-1, 0, 1)


def bounded_filter(env: BoundedSandbox, function):
    """A filter that keeps to env's limits: no count past MAX_VALUE, no result larger."""

    def checked(*args, **kwargs):
        env.tick()
        # Checked outside a render too: Jinja runs a filter of constants while it compiles.
        env.check_arguments((*args, *kwargs.values()))
        if getattr(function, "__name__", "") == "do_format" and args:
            env.check_format(args[0])  # the format filter: its value is the format
        return env.bounded(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg", "__name__"):  # pass_context and friends
        if hasattr(function, attribute):
            setattr(checked, attribute, getattr(function, attribute))
    return checked
