"""The runtime's transport (runtime.py) against a real HTTP/1.1 server on 127.0.0.1: the time
budget against a server that trickles, and no conversation ever cut at another's deadline.

The guarantee is shown deterministically: the test holds the watchdog's clock (_cut_off with a
chosen "now") and stops each conversation at each point in between. This module needs only
the runtime, requests, urllib3 and pytest, so CI also runs it against the oldest and the newest
requests and urllib3 a solution allows (.ci/run), with --noconftest.
"""

from __future__ import annotations

import socket
import threading
import time
import types

import pytest
import requests
import urllib3
from standin import StandIn

from pypestream_braze import runtime


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


def test_an_answer_that_ends_its_connection_is_cut_at_the_deadline_too(braze):
    """http.client lets go of the socket of an answer with Connection: close (or HTTP/1.0)
    as soon as its headers are read: the runtime keeps it, so the body is still watched."""
    made = types.ModuleType("test runtime")
    runtime._reset(made)
    braze.reply(201, {"padding": "x" * 60}, [("Connection", "close")], trickle=0.05)
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        send(made, braze.url, started + 0.5)
    assert time.monotonic() - started < 0.8
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
