"""The runtime every node carries (runtime.py), on its own.

What it reads from the node above it, that it touches nothing private of requests or urllib3,
its ISO 8601 grammar, and its transport against a real HTTP/1.1 server on 127.0.0.1. The
no-cross-cut guarantee is shown deterministically: the test holds the watchdog's clock
(_cut_off with a chosen "now") and stops each conversation at each point in between.
"""

from __future__ import annotations

import ast
import builtins
import re
import socket
import symtable
import threading
import time
import types
from datetime import UTC, datetime, timedelta, timezone

import black
import pytest
import requests
import urllib3
from hypothesis import given
from hypothesis import strategies as st
from standin import StandIn

from pypestream_braze import node_runtime, runtime
from pypestream_braze.render.format import MODE

SOURCE = node_runtime.text()
# What a node defines above its marker line for the runtime (runtime.py's docstring says so).
NODE_INTERFACE = {
    "app",
    "NODE",
    "METHOD",
    "ENDPOINT",
    "PATH_KEY",
    "PERMISSION",
    "TIME_BUDGET",
    "REPEAT_SAFE",
    "MINOR_ERRORS_FAIL",
    "FOUND",
    "NOT_FOUND_ERRORS",
    "NOTHING_FOUND",
    "REFUSED",
    "BROKEN",
    "OUTPUTS",
    "RUNTIME",
}


# -- the module as nodes carry it ------------------------------------------------------------


def free_names(source: str) -> set[str]:
    """Names the module reads that it neither defines nor gets from Python itself."""
    top = symtable.symtable(source, "runtime.py", "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    used = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    pending = list(top.get_children())
    while pending:
        table = pending.pop()
        used |= {s.get_name() for s in table.get_symbols() if s.is_global()}
        pending.extend(table.get_children())
    return used - defined - set(dir(builtins))


def test_the_runtime_reads_only_what_every_node_defines():
    # ruff's undefined-name check is off for runtime.py (pyproject.toml): this is it instead.
    assert free_names(SOURCE) == NODE_INTERFACE
    for name in NODE_INTERFACE:
        assert name in runtime.__doc__, f"the docstring lists what a node defines: {name}"


def test_nothing_private_of_another_object_is_touched():
    tree = ast.parse(SOURCE)
    private = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not (node.attr.startswith("__") and node.attr.endswith("__"))
    ]
    by_name = [
        f"line {node.lineno}: {node.func.id}(..., {node.args[1].value!r})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
        and str(node.args[1].value).startswith("_")
    ]
    assert private + by_name == []


def test_a_node_keeps_one_class_statement():
    # Pypestream names a script after its one class, and its script editor renames a script
    # by rewriting every "class X:" in it: the runtime makes its classes with type().
    assert not [node for node in ast.walk(ast.parse(SOURCE)) if isinstance(node, ast.ClassDef)]
    assert not re.search(r"class\s+\w+:", SOURCE)


def test_black_leaves_it_as_it_is_in_a_node():
    assert black.format_str(SOURCE, mode=MODE) == SOURCE


def test_the_marker_holds_the_hash_of_everything_below_it():
    node = node_runtime.attach("class Node:\n    pass\n")
    cut = node_runtime.split(node)
    assert cut.runtime == SOURCE
    assert cut.marker.endswith(
        f'sha256:{node_runtime.sha256(SOURCE)}"  # do not edit below this line'
    )
    assert node_runtime.problem(node) is None


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda text: text.replace("MAX_ATTEMPTS = 4", "MAX_ATTEMPTS = 9"), "was edited"),
        (lambda text: text + "\n# one more line\n", "was edited"),
        (lambda text: text.replace("sha256:", "sha256:0"), "not as generated"),
        (lambda text: text.replace('RUNTIME = "pypestream-braze runtime ', "X = "), "has no"),
        (lambda text: text + text[text.index("RUNTIME = ") :], "has 2 runtime marker"),
    ],
    ids=["a constant", "a line added", "the marker", "no marker", "two markers"],
)
def test_a_runtime_that_is_not_its_markers_is_named(change, why):
    node = node_runtime.attach("class Node:\n    pass\n")
    assert why in node_runtime.problem(change(node))


# -- ISO 8601, the same on every Python ------------------------------------------------------


@pytest.mark.parametrize(
    "text, sent",
    [
        ("2024-05-01", "2024-05-01T00:00:00Z"),
        ("2024-05-01T10", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:30", "2024-05-01T10:30:00Z"),
        ("2024-05-01 10:30:00", "2024-05-01T10:30:00Z"),
        ("2024-05-01t10:30:00z", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:00+0000", "2024-05-01T10:30:00Z"),
        ("2024-05-01T12:30:00+02:00", "2024-05-01T10:30:00Z"),
        ("2024-05-01T12:30:00+02", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:00.123456789Z", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:00,5-01:00", "2024-05-01T11:30:00Z"),
        ("2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z"),
    ],
)
def test_iso_forms_read_as_one_moment(text, sent):
    assert runtime._timestamp(text) == sent


@pytest.mark.parametrize(
    "text",
    [
        "2024-5-1",
        "20240501T103000Z",  # the basic format: Python 3.11 reads it, 3.8 does not
        "2024-W18-3",
        "2024-122",
        "2024-05-01T25:00",
        "2024-05-01T10:60",
        "2024-02-30",
        "2024-05-01T10:30:00+24:00",
        "2024-05-01T10:30:00+05:60",
        "2024-05-01T10:30:00 +02:00",
        "2024-05-01Z",
        "2024-05-01T10:30:00.Z",
        "\u0662\u0660\u0662\u0664-05-01",  # Arabic-Indic digits
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
    ],
)
def test_other_forms_are_refused_on_every_python(text):
    with pytest.raises(ValueError, match="not a date and time in the form ISO 8601"):
        runtime._timestamp(text)


def test_a_local_time_keeps_its_clock_and_drops_the_zone():
    assert runtime._local_timestamp("2024-05-01T09:00:00+02:00") == "2024-05-01T09:00:00"
    assert runtime._local_timestamp("2024-05-01 09:00") == "2024-05-01T09:00:00"


moments = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(None)
)
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)


@given(
    moment=moments,
    offset=offsets,
    separator=st.sampled_from("Tt "),
    zone_form=st.sampled_from(["+hh:mm", "+hhmm", "+hh", "Z"]),
    fraction=st.sampled_from(["", ".", ","]),
)
def test_any_written_form_of_a_moment_reads_as_that_moment(
    moment, offset, separator, zone_form, fraction
):
    if zone_form == "+hh":
        offset -= offset % 60 if offset >= 0 else -(-offset % 60)
    if zone_form == "Z":
        offset = 0
    zone = timezone(timedelta(minutes=offset))
    sign, minutes = ("-" if offset < 0 else "+"), abs(offset)
    written = {
        "+hh:mm": f"{sign}{minutes // 60:02}:{minutes % 60:02}",
        "+hhmm": f"{sign}{minutes // 60:02}{minutes % 60:02}",
        "+hh": f"{sign}{minutes // 60:02}",
        "Z": "Z",
    }[zone_form]
    if not fraction:
        moment = moment.replace(microsecond=0)
    text = f"{moment.year:04}-{moment:%m-%d}{separator}{moment:%H:%M:%S}"
    if fraction:
        text += f"{fraction}{moment.microsecond:06}"
    text += written
    in_utc = moment.replace(microsecond=0, tzinfo=zone).astimezone(UTC)
    assert runtime._moment(text) == moment.replace(tzinfo=zone)
    assert runtime._timestamp(text) == in_utc.replace(tzinfo=None).isoformat() + "Z"


@given(moment=moments, offset=offsets, precision=st.sampled_from(["hours", "minutes", "seconds"]))
def test_what_python_3_8_reads_is_read_the_same(moment, offset, precision):
    """datetime.fromisoformat reads Python 3.8's forms alike on every version: the grammar
    agrees with it there, and reads more (+hhmm, +hh, Z, any fraction) on every Python."""
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    text = aware.isoformat(timespec=precision if precision != "hours" else "minutes")
    if precision == "hours":
        text = text[:13] + text[16:]
    assert runtime._moment(text) == datetime.fromisoformat(text)


# -- the transport against a real server -----------------------------------------------------


@pytest.fixture
def braze():
    stand_in = StandIn()
    yield stand_in
    stand_in.close()
    assert stand_in.problems == []


@pytest.fixture
def shared():
    """A runtime of the test's own, whose watchdog is the test: it says when time passes."""
    made = types.ModuleType("test runtime")
    runtime._reset(made)
    made.watchdog = threading.current_thread()  # alive: no watchdog thread is started
    yield made
    if made.session is not None:
        made.session.close()


def send(shared, url, deadline, body=None):
    return runtime._send(
        shared,
        deadline,
        runtime.LARGEST_ANSWER,
        url,
        method="POST",
        json=body or {},
        headers={"Accept": "application/json"},
        timeout=(3, 30),
    )


def cut_off(shared, now):
    with shared.lock:
        return runtime._cut_off(shared, now)


class Pauses:
    """Stops a named thread at a named point, once, until the test lets it go on."""

    def __init__(self, *points: tuple[str, str]):
        self.arrived = {point: threading.Event() for point in points}
        self.go = {point: threading.Event() for point in points}
        self.passed: set[tuple[str, str]] = set()

    def at(self, point: str) -> None:
        key = (threading.current_thread().name, point)
        if key in self.arrived and key not in self.passed:
            self.passed.add(key)
            self.arrived[key].set()
            assert self.go[key].wait(10), f"{key} was never let go"

    def wait_for(self, thread: str, point: str) -> None:
        assert self.arrived[thread, point].wait(10), f"{thread} never reached {point}"

    def let_go(self, thread: str, point: str) -> None:
        self.go[thread, point].set()


class Conversation(threading.Thread):
    """One _send on a thread of its own (named, so Pauses can stop it), its result kept."""

    def __init__(self, name, shared, url, deadline):
        super().__init__(name=name, daemon=True)
        self.args = (shared, url, deadline, {"from": name})
        self.answer = self.error = None

    def run(self):
        try:
            self.answer = send(*self.args)
        except Exception as err:
            self.error = err

    def result(self):
        self.join(10)
        assert not self.is_alive()
        return self.answer, self.error


A_POINTS = [
    "read, not yet given back",  # urllib3 has read the last byte; the pool is to take it back
    "given back, not yet in the pool",
    "in the pool, still watched",  # the answer is read; the attempt has not ended its watch
]
B_POINTS = [
    "before taking a connection",
    "took one, not yet claimed",
    "claimed, about to send",
]


@pytest.fixture
def pauses(monkeypatch):
    """Pause points in the runtime's own steps, for whichever thread the test arms."""
    holder: list[Pauses] = []
    release, unwatch, claim = runtime._release, runtime._unwatch, runtime._claim

    def paused_release(shared, connection):
        holder[0].at("read, not yet given back")
        release(shared, connection)
        holder[0].at("given back, not yet in the pool")

    def paused_unwatch(shared, attempt):
        holder[0].at("in the pool, still watched")
        return unwatch(shared, attempt)

    def paused_claim(shared, connection, sending=False):
        holder[0].at("took one, not yet claimed")
        claim(shared, connection, sending)
        if sending:
            holder[0].at("claimed, about to send")

    monkeypatch.setattr(runtime, "_release", paused_release)
    monkeypatch.setattr(runtime, "_unwatch", paused_unwatch)
    monkeypatch.setattr(runtime, "_claim", paused_claim)

    def arm(*points):
        holder[:] = [Pauses(*points)]
        return holder[0]

    return arm


@pytest.mark.parametrize("b_point", B_POINTS)
@pytest.mark.parametrize("a_point", A_POINTS)
def test_a_deadline_never_cuts_the_conversation_that_took_the_connection(
    shared, braze, pauses, a_point, b_point
):
    """A reads Braze's whole answer, then stops at a_point; its deadline passes there, and
    the watchdog looks, while B takes the connection (if it is back) and stops at b_point.
    B is never cut, and a connection cut for A is never sent on."""
    braze.reply(201, {"message": "a"}).reply(201, {"message": "b"}).reply(201, {"message": "c"})
    soon = time.monotonic() + 60  # A's deadline; the test's clock passes it when it says so
    stop = pauses(("A", a_point), ("B", b_point))
    a = Conversation("A", shared, braze.url, soon)
    a.start()
    stop.wait_for("A", a_point)
    b = Conversation("B", shared, braze.url, soon + 60)
    if b_point == "before taking a connection":
        cut_off(shared, soon + 1)
        b.start()
    else:
        b.start()
        stop.wait_for("B", b_point)
        cut_off(shared, soon + 1)
        stop.let_go("B", b_point)
    b_answer, b_error = b.result()
    stop.let_go("A", a_point)
    a_answer, a_error = a.result()
    c_answer = send(shared, braze.url, soon + 60)  # whatever A left in the pool, C may take

    assert b_error is None and b_answer[0] == 201 and b"b" in b_answer[2], b_error
    assert c_answer[0] == 201 and b"c" in c_answer[2]
    if a_point == "read, not yet given back":  # A still held its connection: A is cut
        assert isinstance(a_error, requests.ReadTimeout)
    else:  # A held nothing any more: its answer stands, and its connection was not cut
        assert a_error is None and b"a" in a_answer[2]
    if a_point == "in the pool, still watched":  # the gap of the issue: B reads on A's
        assert braze.clients[0] == braze.clients[1], "B took A's connection from the pool"
    assert [seen.json for seen in braze.requests] == [{"from": "A"}, {"from": "B"}, {}]


def test_a_cut_connection_that_urllib3_hands_out_unchecked_is_not_sent_on(
    shared, braze, pauses, monkeypatch
):
    """urllib3 checks a pooled connection for being dropped before handing it out; without
    that check, the runtime still refuses to send on a socket its watchdog shut down, and
    the attempt fails as one that never left (which a node retries)."""
    monkeypatch.setattr(urllib3.connectionpool, "is_connection_dropped", lambda conn: False)
    braze.reply(201, {"message": "a"}).reply(201, {"message": "c"})
    soon = time.monotonic() + 60
    stop = pauses(("A", "read, not yet given back"))
    a = Conversation("A", shared, braze.url, soon)
    a.start()
    stop.wait_for("A", "read, not yet given back")
    cut_off(shared, soon + 1)  # A still holds it: its connection is shut
    stop.let_go("A", "read, not yet given back")
    assert isinstance(a.result()[1], requests.ReadTimeout)

    b = Conversation("B", shared, braze.url, soon + 60)  # takes the shut connection
    b.start()
    _, error = b.result()

    assert isinstance(error, requests.ConnectionError)
    assert runtime._failure(error)[1] is True, "unsent: safe to retry"
    assert send(shared, braze.url, soon + 60)[0] == 201  # the retry connects afresh
    assert [seen.json for seen in braze.requests] == [{"from": "A"}, {}]


def test_the_watchdog_cuts_an_answer_trickling_in_at_the_deadline(braze):
    made = types.ModuleType("test runtime")
    runtime._reset(made)
    braze.reply(201, {"message": "success", "padding": "x" * 60}, trickle=0.05)
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        send(made, braze.url, started + 0.5)
    assert time.monotonic() - started < 0.8
    assert made.watchdog.name == "pypestream-braze watchdog"
    made.session.close()


def test_a_slow_conversation_is_cut_while_others_on_the_same_pool_go_on(braze):
    """The watchdog for real, with conversations on several threads sharing one pool."""
    made = types.ModuleType("test runtime")
    runtime._reset(made)
    slow = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    answers = []
    for _ in range(30):
        braze.reply(201, {"message": "ok"}, delay=0.01)

    def converse(url, deadline_in, times):
        for _ in range(times):
            try:
                answers.append(send(made, url, time.monotonic() + deadline_in)[0])
            except requests.RequestException as err:
                answers.append(type(err).__name__)

    threads = [threading.Thread(target=converse, args=(braze.url, 5, 10)) for _ in range(3)]
    port = slow.getsockname()[1]
    threads.append(threading.Thread(target=converse, args=(f"http://127.0.0.1:{port}", 0.3, 2)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    slow.close()
    made.session.close()

    assert sorted(map(str, answers)) == ["201"] * 30 + ["ReadTimeout"] * 2


def test_a_failure_says_whether_the_request_left():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        requests.post(f"http://127.0.0.1:{port}/x", timeout=1)
    except requests.RequestException as err:
        refused = err
    assert runtime._failure(refused) == ("ConnectionError", True, False)
    assert runtime._failure(requests.ConnectTimeout()) == ("ConnectTimeout", True, True)
    assert runtime._failure(requests.ReadTimeout()) == ("ReadTimeout", False, True)
