"""Generated nodes against a strict stand-in for Braze on 127.0.0.1, when things go wrong.

The partner example's nodes: BrazeTrackProfile (users/track with an event: never repeated after
an unclear failure), BrazeLookupProfile (users/export/ids: safe to repeat) and
BrazeStartWelcomeCanvas (canvas trigger: not safe to repeat). TIME_BUDGET is cut to 1.5 s.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from helpers import PARTNER_ANSWERS, PARTNER_EXAMPLE
from standin import StandIn

BUDGET = 1.5
MARGIN = 0.3
KEY = "sandbox-secret-key-abcdef"
CONTEXT = {"env": "sandbox", "chat_id": "chat-42", "user_data": {}, "events": []}
PAYLOADS = {
    "BrazeTrackProfile": PARTNER_ANSWERS,
    "BrazeLookupProfile": {"USER_ID": "conv-user-123"},
    "BrazeStartWelcomeCanvas": {"USER_ID": "conv-user-123", "FIRST_NAME": "Ada"},
}
TRACK, LOOKUP, CANVAS = PAYLOADS


@pytest.fixture
def braze():
    stand_in = StandIn()
    yield stand_in
    stand_in.close()
    assert stand_in.problems == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Nodes:
    """The generated partner example, pointed at the stand-in, with a short time budget."""

    def __init__(self, solution, url, monkeypatch):
        self.solution = solution
        self.monkeypatch = monkeypatch
        self.lines: list[str] = []
        self.modules = {name: solution.node(name)[0] for name in PAYLOADS}
        for module in self.modules.values():
            monkeypatch.setattr(module, "TIME_BUDGET", BUDGET)
        self.params = solution.app.PARAMS["sandbox"]
        monkeypatch.setitem(self.params, "braze_api_key", KEY)
        self.point_at(url)

    def point_at(self, url):
        self.monkeypatch.setitem(self.params, "braze_url", url)

    def run(self, name, payload=None, context=None):
        module = self.modules[name]
        payload = dict(PAYLOADS[name]) if payload is None else payload
        context = dict(CONTEXT) if context is None else context
        started = time.monotonic()
        answer = getattr(module, name)().execute(self.lines.append, payload, context)
        self.elapsed = time.monotonic() - started
        assert all(isinstance(value, str) for value in answer.values()), answer
        return answer

    def close(self):
        """Drop the idle connections to this test's stand-in (the runtime's session is the
        process's, shared with every other test's nodes)."""
        shared = next(iter(self.modules.values()))._shared()
        if shared.session is not None:
            shared.session.close()


@pytest.fixture
def nodes(generate, braze, monkeypatch):
    made = Nodes(generate(), braze.url, monkeypatch)
    yield made
    made.close()


def _mapping_with(text_before: str, inserted: str) -> str:
    mapping = PARTNER_EXAMPLE.read_text(encoding="utf-8")
    assert text_before in mapping
    return mapping.replace(text_before, inserted + text_before, 1)


# 1. keep-alive ------------------------------------------------------------------------------


def test_calls_in_a_row_share_one_connection(nodes, braze):
    braze.reply(201).reply(201).reply(201)

    for _ in range(3):
        assert nodes.run(TRACK)["success"] == "true"

    assert len(braze.requests) == 3
    assert len(set(braze.clients)) == 1, braze.clients


def test_a_retry_after_429_reuses_the_connection(nodes, braze):
    braze.reply(429, {"message": "slow down"}, {"X-Ratelimit-Retry-After": "0"}).reply(201)

    assert nodes.run(TRACK)["success"] == "true"

    assert len(set(braze.clients)) == 1


# 2. the time budget covers the whole call -------------------------------------------------------


@pytest.mark.parametrize("name", [TRACK, LOOKUP])
def test_slow_answer_is_error_within_the_budget(nodes, braze, name):
    for _ in range(4):
        braze.reply(201, delay=BUDGET + 1)

    answer = nodes.run(name)

    assert answer["success"] == "error"
    assert answer["BRAZE_ERROR"] == "Braze did not answer in time"
    assert nodes.elapsed <= BUDGET + MARGIN
    if name == TRACK:
        assert len(braze.requests) == 1, "the event is never sent twice"


def test_answer_trickling_in_is_cut_off_at_the_budget(nodes, braze):
    braze.reply(201, {"message": "success", "padding": "x" * 40}, trickle=0.05)

    answer = nodes.run(TRACK)

    assert answer["success"] == "error"
    assert nodes.elapsed <= BUDGET + MARGIN
    assert len(braze.requests) == 1


def test_429_with_a_long_wait_is_error_at_once(nodes, braze):
    braze.reply(429, {"message": "Too many requests"}, {"X-Ratelimit-Retry-After": "60"})

    answer = nodes.run(TRACK)

    assert answer == {
        "success": "error",
        "BRAZE_STATUS": "429",
        "BRAZE_ERROR": "rate limited by Braze",
        "BRAZE_SKIPPED": "",
    }
    assert nodes.elapsed < 0.5, "does not sleep past the budget"
    assert len(braze.requests) == 1


def test_burst_of_5xx_on_a_repeat_safe_node_ends_within_the_budget(nodes, braze):
    for _ in range(nodes.modules[LOOKUP].MAX_ATTEMPTS):
        braze.reply(503, {"message": "unavailable"}, delay=0.2)

    answer = nodes.run(LOOKUP)

    assert answer["success"] == "error"
    assert answer["BRAZE_STATUS"] == "503"
    assert nodes.elapsed <= BUDGET + MARGIN
    assert 2 <= len(braze.requests) <= nodes.modules[LOOKUP].MAX_ATTEMPTS


# 3. 429: wait as Braze asks when it fits, then retry (even events: a 429 was not processed) -----


@pytest.mark.parametrize(
    "header",
    [
        ("X-Ratelimit-Retry-After", "1"),
        ("x-ratelimit-retry-after", "1"),
        ("X-RateLimit-Reset", "1"),  # seconds remaining (MAU contracts)
        ("x-ratelimit-reset", "epoch+1"),  # UTC epoch seconds
    ],
)
def test_429_waits_as_asked_then_retries(nodes, braze, header):
    name, value = header
    if value == "epoch+1":
        value = str(int(time.time()) + 1)
        expected_wait = int(value) - time.time()
    else:
        expected_wait = float(value)
    braze.reply(429, {"message": "Too many requests"}, [(name, value)]).reply(201)

    answer = nodes.run(TRACK)

    assert answer["success"] == "true"
    assert len(braze.requests) == 2
    waited = braze.requests[1].at - braze.requests[0].at
    assert expected_wait - 0.1 <= waited <= expected_wait + 0.4
    assert nodes.elapsed <= BUDGET + MARGIN


def test_429_reset_in_the_far_future_is_error_at_once(nodes, braze):
    reset = str(int(time.time()) + 3600)
    braze.reply(429, {"message": "Too many requests"}, [("x-ratelimit-reset", reset)])

    assert nodes.run(LOOKUP)["success"] == "error"
    assert nodes.elapsed < 0.5
    assert len(braze.requests) == 1


# 4. what is repeated, and what is never sent twice -----------------------------------------------


def test_refused_connection_is_retried_even_for_events(nodes, monkeypatch):
    port = _free_port()  # nobody listens yet: the first attempts are refused
    nodes.point_at(f"http://127.0.0.1:{port}")
    late: list[StandIn] = []

    def start_late():
        time.sleep(0.25)
        late.append(StandIn(port).reply(201))

    starter = threading.Thread(target=start_late)
    starter.start()
    try:
        answer = nodes.run(TRACK)
    finally:
        starter.join()
    try:
        assert answer["success"] == "true"
        assert len(late[0].requests) == 1
        assert sum("ConnectionError" in line for line in nodes.lines) >= 1
    finally:
        late[0].close()


def test_nobody_listening_is_error_within_the_budget(nodes):
    nodes.point_at(f"http://127.0.0.1:{_free_port()}")

    answer = nodes.run(TRACK)

    assert answer == {
        "success": "error",
        "BRAZE_STATUS": "",
        "BRAZE_ERROR": "network failure",
        "BRAZE_SKIPPED": "",
    }
    assert nodes.elapsed <= BUDGET + MARGIN
    assert sum("failed after" in line for line in nodes.lines) >= 2, "retried"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_event_is_sent_once_after_a_5xx(nodes, braze, status):
    braze.reply(status, {"message": "oops"})

    answer = nodes.run(TRACK)

    assert answer == {
        "success": "error",
        "BRAZE_STATUS": str(status),
        "BRAZE_ERROR": "oops",
        "BRAZE_SKIPPED": "",
    }
    assert len(braze.requests) == 1


def test_canvas_trigger_is_sent_once_after_a_5xx(nodes, braze):
    braze.reply(502, "<html>Bad Gateway</html>", [("Content-Type", "text/html")])

    answer = nodes.run(CANVAS)

    assert answer["success"] == "error"
    assert answer["BRAZE_STATUS"] == "502"
    assert len(braze.requests) == 1


def test_event_is_sent_once_after_a_reset(nodes, braze):
    braze.reply(reset=True)

    answer = nodes.run(TRACK)

    assert answer == {
        "success": "error",
        "BRAZE_STATUS": "",
        "BRAZE_ERROR": "network failure",
        "BRAZE_SKIPPED": "",
    }
    assert len(braze.requests) == 1, "no duplicate event"


def test_repeat_safe_node_retries_5xx_and_reset(nodes, braze):
    braze.reply(500).reply(reset=True).reply(
        200, {"message": "success", "users": [{"first_name": "Ada"}]}
    )

    answer = nodes.run(LOOKUP)

    assert answer["success"] == "true"
    assert answer["BRAZE_FIRST_NAME"] == "Ada"
    assert len(braze.requests) == 3


def test_repeat_safe_node_retries_a_read_timeout(nodes, braze):
    braze.reply(200, delay=BUDGET).reply(200, {"message": "success", "users": [{}]})

    answer = nodes.run(LOOKUP)

    assert answer["success"] == "true"
    assert len(braze.requests) == 2
    assert nodes.elapsed <= BUDGET + MARGIN


def test_before_sending_tells_refused_from_reset(nodes, braze):
    module = nodes.modules[TRACK]
    refused = reset = None
    try:
        requests.post(f"http://127.0.0.1:{_free_port()}/x", json={}, timeout=1)
    except requests.RequestException as err:
        refused = err
    braze.reply(reset=True)
    try:
        requests.post(f"{braze.url}/x", json={}, timeout=1)
    except requests.RequestException as err:
        reset = err
    braze.reply(201, delay=1)
    try:
        requests.post(f"{braze.url}/x", json={}, timeout=(1, 0.2))
    except requests.RequestException as err:
        read_timeout = err

    def unsent(err):
        return module._failure(err)[1]

    assert unsent(refused) is True
    assert unsent(reset) is False
    assert unsent(read_timeout) is False
    assert unsent(requests.ConnectTimeout()) is True


# 5. classification; the node never raises -------------------------------------------------------


@pytest.mark.parametrize(
    "status, body, success, error",
    [
        (201, {"message": "success"}, "true", ""),
        (202, {"message": "queued"}, "true", ""),
        (201, b"<html>not json</html>", "true", ""),  # status is authoritative
        (201, b"", "true", ""),
        (201, [1, 2], "true", ""),
        (400, {"message": "Max Input Length Exceeded"}, "false", "Max Input Length Exceeded"),
        # A broken integration, not the user's data: error, never the route that asks again.
        (
            401,
            {"message": "Invalid API Key"},
            "error",
            "Braze refused the API key (401): check the key",
        ),
        (
            403,
            {"message": "Access Denied"},
            "error",
            "the API key lacks the users.track permission (403)",
        ),
        (404, {"message": "Not Found"}, "error", "Braze has no users/track at braze_url (404)"),
        (
            201,
            {"message": "success", "notice": "Canvas paused"},
            "error",
            "Braze sent nothing: Canvas paused",
        ),
        (413, b"<html>Request Entity Too Large</html>", "false", "Braze refused the request (413)"),
        (408, {"message": "timeout"}, "error", "timeout"),
    ],
)
def test_classification(nodes, braze, status, body, success, error):
    braze.reply(status, body)

    answer = nodes.run(TRACK)

    assert answer == {
        "success": success,
        "BRAZE_STATUS": str(status),
        "BRAZE_ERROR": error,
        "BRAZE_SKIPPED": "",
    }


MINOR = {
    "message": "success",
    "errors": [{"type": "'external_id' is required", "input_array": "attributes", "index": 0}],
}


def test_minor_errors_are_true_and_summarised(nodes, braze):
    braze.reply(201, MINOR)

    answer = nodes.run(TRACK)

    assert answer["success"] == "true"
    assert answer["BRAZE_ERROR"] == "'external_id' is required (attributes[0])"


@pytest.mark.parametrize(
    "before, option",
    [
        ("  error_node: 99990", "  minor_errors: fail\n"),
        ("    description: Create or update", "    minor_errors: fail\n"),
    ],
    ids=["defaults", "node"],
)
def test_minor_errors_fail_when_the_spec_says_so(generate, braze, monkeypatch, before, option):
    nodes = Nodes(generate(_mapping_with(before, option)), braze.url, monkeypatch)
    braze.reply(201, MINOR)
    try:
        answer = nodes.run(TRACK)
    finally:
        nodes.close()

    assert answer["success"] == "false"
    assert answer["BRAZE_STATUS"] == "201"
    assert "external_id" in answer["BRAZE_ERROR"]


@pytest.mark.parametrize(
    "payload, context",
    [
        (None, None),
        ({}, None),
        ("not a dict", CONTEXT),
        (["USER_ID"], CONTEXT),
        (PAYLOADS[TRACK], "sandbox"),
    ],
)
def test_odd_inputs_are_answers_not_exceptions(nodes, braze, payload, context):
    node = getattr(nodes.modules[TRACK], TRACK)()

    answer = node.execute(nodes.lines.append, payload, context)

    assert answer["success"] in ("error", "false")
    assert braze.requests == []


def test_payload_values_of_any_type(nodes, braze):
    braze.reply(201)
    payload = dict(PAYLOADS[TRACK], USER_ID=123, CITY=["London"], LAST_NAME={"x": 1}, EMAIL=7)

    assert nodes.run(TRACK, payload)["success"] == "true"

    attributes = braze.requests[0].json["attributes"][0]
    assert attributes["external_id"] == "123"
    assert "home_city" not in attributes and "last_name" not in attributes
    assert "email" not in attributes


@pytest.mark.parametrize("key", ["braze_users_track", "braze_url"])
def test_params_without_a_needed_key_is_error(nodes, braze, monkeypatch, key):
    monkeypatch.delitem(nodes.params, key)

    answer = nodes.run(TRACK)

    assert answer["success"] == "error"
    assert key in answer["BRAZE_ERROR"]
    assert braze.requests == []


# 6. logs ------------------------------------------------------------------------------------


def test_logs_show_endpoint_status_time_and_message_and_nothing_private(nodes, braze):
    message = f"Invalid key {KEY} for ada@example.com +1 415 555 0100 born 1990-04-01 " + "y" * 600
    braze.reply(400, {"message": message})

    answer = nodes.run(TRACK)

    logged = "\n".join(nodes.lines)
    assert answer["success"] == "false"
    assert "users/track -> 400 in " in logged and " ms " in logged
    assert "Invalid key" in logged
    for private in (KEY, "ada@example.com", "555 0100", "1990-04-01", "y" * 300):
        assert private not in logged
        assert private not in answer["BRAZE_ERROR"], "BRAZE_ERROR goes back into the chat"
    assert all(len(line) < 400 for line in nodes.lines)


def test_non_json_answer_is_logged_truncated(nodes, braze):
    braze.reply(
        502, "<html>" + "Bad Gateway " * 100 + KEY + "</html>", [("content-type", "text/html")]
    )

    assert nodes.run(TRACK)["success"] == "error"

    logged = "\n".join(nodes.lines)
    assert "Bad Gateway" in logged
    assert KEY not in logged
    assert all(len(line) < 400 for line in nodes.lines)


# 7. a missing identifier: no call ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["{USER_ID}", "", "   ", None, "x{USER_ID}"])
def test_missing_identifier_is_false_without_a_call(nodes, braze, value):
    payload = dict(PAYLOADS[TRACK], USER_ID=value)

    answer = nodes.run(TRACK, payload)

    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == "missing USER_ID"
    assert braze.requests == []


def test_lookup_without_user_is_false_without_a_call(nodes, braze):
    answer = nodes.run(LOOKUP, {})

    assert answer["success"] == "false"
    assert "USER_ID" in answer["BRAZE_ERROR"]
    assert braze.requests == []


# 8. the local runner -------------------------------------------------------------------------


def _runner(solution, *args):
    env = dict(os.environ, BRAZE_API_KEY_SANDBOX=KEY)
    return subprocess.run(
        [sys.executable, "-m", f"{solution.package}.run", *args],
        cwd=solution.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_runner_dry_run_prints_the_request_and_sends_nothing(nodes, braze):
    payload = json.dumps(PAYLOADS[TRACK])

    done = _runner(
        nodes.solution,
        TRACK,
        "--env",
        "sandbox",
        "--payload",
        payload,
        "--dry-run",
        "--url",
        braze.url,
    )

    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)
    assert request["method"] == "POST"
    assert request["url"] == f"{braze.url}/users/track"
    assert request["headers"]["Authorization"] == "Bearer ***"
    assert request["json"]["attributes"][0]["external_id"] == "conv-user-123"
    assert KEY not in done.stdout + done.stderr
    assert braze.requests == []


def test_runner_sends_to_the_url_and_prints_the_answer(nodes, braze):
    braze.reply(201, {"message": "success"})
    payload = json.dumps(PAYLOADS[TRACK])

    done = _runner(
        nodes.solution, TRACK, "--env", "sandbox", "--payload", payload, "--url", braze.url
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "success": "true",
        "BRAZE_STATUS": "201",
        "BRAZE_ERROR": "",
        "BRAZE_SKIPPED": "",
    }
    assert len(braze.requests) == 1
    assert braze.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    assert "users/track -> 201" in done.stderr
    assert KEY not in done.stdout + done.stderr


# Review findings: headers that trickle in, redirects, unusable wait headers ---------------------


class _RawServer:
    """A socket server that answers every connection with a scripted sequence of bytes."""

    def __init__(self, chunks, pause):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.received: list[bytes] = []
        self.stop = threading.Event()
        self.chunks, self.pause = chunks, pause
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            with connection:
                self.received.append(connection.recv(65536))
                for chunk in self.chunks:
                    if self.stop.wait(self.pause):
                        break
                    try:
                        connection.sendall(chunk)
                    except OSError:
                        break

    def close(self):
        self.stop.set()
        self.sock.close()


def test_headers_trickling_in_are_cut_off_at_the_budget(nodes):
    header_lines = [b"HTTP/1.1 201 Created\r\n"] + [b"X-Slow: 1\r\n"] * 40
    server = _RawServer(header_lines, pause=0.2)
    nodes.point_at(server.url)
    try:
        answer = nodes.run(LOOKUP)
    finally:
        server.close()

    assert answer["success"] == "error"
    assert nodes.elapsed < BUDGET + MARGIN


def test_a_tls_handshake_trickling_in_is_cut_off_at_the_budget(nodes):
    # A TLS record header announcing 16 KiB of handshake, then one byte at a time.
    server = _RawServer([b"\x16\x03\x03\x40\x00"] + [b"\x00"] * 40, pause=0.2)
    nodes.point_at(server.url.replace("http://", "https://"))
    try:
        answer = nodes.run(LOOKUP)
    finally:
        server.close()

    assert answer["success"] == "error"
    assert nodes.elapsed < BUDGET + MARGIN


def test_an_attempt_cut_off_leaves_the_attempts_on_other_threads_alone(nodes, braze):
    # One process, one node module: its pool and watchdog serve every conversation at once.
    header_lines = [b"HTTP/1.1 201 Created\r\n"] + [b"X-Slow: 1\r\n"] * 40
    slow = _RawServer(header_lines, pause=0.1)
    nodes.monkeypatch.setitem(nodes.solution.app.PARAMS, "live", {**nodes.params})
    nodes.monkeypatch.setitem(nodes.solution.app.PARAMS["live"], "braze_url", slow.url)
    for _ in range(3 * 15):
        braze.reply(201, {"message": "success", "users": [{"external_id": "conv-user-123"}]})
    node = nodes.modules[LOOKUP].BrazeLookupProfile
    answers, elapsed = [], []

    def converse(env, times):
        for _ in range(times):
            started = time.monotonic()
            context = {**CONTEXT, "env": env}
            answer = node().execute(lambda line: None, dict(PAYLOADS[LOOKUP]), context)
            answers.append((env, answer))
            elapsed.append((env, time.monotonic() - started))

    threads = [threading.Thread(target=converse, args=("live", 1))]
    threads += [threading.Thread(target=converse, args=("sandbox", 15)) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        slow.close()

    assert [answer["success"] for env, answer in answers if env == "live"] == ["error"]
    assert [answer["success"] for env, answer in answers if env == "sandbox"] == ["true"] * 45
    assert all(seconds < BUDGET + MARGIN for env, seconds in elapsed if env == "live")


def test_proxies_from_the_environment_are_honoured(nodes, braze, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", braze.url)
    nodes.point_at("http://rest.braze.example")
    braze.reply(201)

    assert nodes.run(TRACK)["success"] == "true"
    assert braze.requests[0].path == "http://rest.braze.example/users/track"

    monkeypatch.setenv("no_proxy", "127.0.0.1")  # read once per host: a new host sees it
    nodes.point_at(braze.url)
    braze.reply(201)
    assert nodes.run(TRACK)["success"] == "true"
    assert braze.requests[1].path == "/users/track"


def test_a_redirect_is_not_followed(nodes):
    reply = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /landing\r\nContent-Length: 0\r\n\r\n"
    server = _RawServer([reply], pause=0)
    nodes.point_at(server.url)
    try:
        answer = nodes.run(TRACK)
    finally:
        server.close()

    assert answer["success"] == "error"
    assert answer["BRAZE_STATUS"] == "301"
    assert "redirects" in answer["BRAZE_ERROR"]
    assert "/landing" not in answer["BRAZE_ERROR"], "a Location may carry anything: not shown"
    assert len(server.received) == 1 and server.received[0].startswith(b"POST ")


def test_a_wait_header_that_is_not_a_number_falls_back_to_backoff(nodes, braze):
    braze.reply(429, {"message": "slow down"}, {"X-Ratelimit-Retry-After": "nan"})
    braze.reply(201)

    assert nodes.run(TRACK)["success"] == "true"
    assert len(braze.requests) == 2


# 8. hostile answers and edge values: bounded, routed right, nothing private in any output -------


def test_a_huge_non_json_answer_costs_what_a_small_one_does(nodes, braze):
    braze.reply(502, b"{{" * 30_000 + b"ada@example.com " * 1000)

    answer = nodes.run(TRACK)

    assert answer["success"] == "error"
    assert nodes.elapsed < 1.0
    assert all(len(line) < 400 for line in nodes.lines)


def test_an_answer_larger_than_the_node_reads_is_not_read_whole(nodes, braze):
    braze.reply(201, b" " * (5 * 1024 * 1024))

    answer = nodes.run(TRACK)

    assert answer["success"] == "true", "the status is authoritative"
    assert nodes.elapsed < BUDGET


def test_deeply_nested_json_is_no_answer_not_a_crash(nodes, braze):
    braze.reply(201, b"[" * 5000 + b"]" * 5000)

    assert nodes.run(TRACK) == {
        "success": "true",
        "BRAZE_STATUS": "201",
        "BRAZE_ERROR": "",
        "BRAZE_SKIPPED": "",
    }


@pytest.mark.parametrize(
    "key", ["abc\r\ndef-0123456789", "abc def-0123456789", "abc\tdef-0123456789"]
)
def test_a_key_with_spaces_or_line_breaks_is_refused_without_showing_it(nodes, braze, key):
    nodes.monkeypatch.setitem(nodes.params, "braze_api_key", key)

    answer = nodes.run(TRACK)

    assert answer["success"] == "error"
    assert answer["BRAZE_ERROR"] == "Braze API key malformed"
    assert braze.requests == []
    assert not any("def-0123456789" in line for line in nodes.lines)


@pytest.mark.parametrize("key", ["k", "short7k"])
def test_a_key_too_short_to_mask_is_never_sent(nodes, braze, key):
    nodes.monkeypatch.setitem(nodes.params, "braze_api_key", key)
    braze.reply(400, {"message": f"bad key {key}"})

    answer = nodes.run(TRACK)

    assert answer["success"] == "error"
    assert answer["BRAZE_ERROR"] == "Braze API key malformed"
    assert braze.requests == []
    assert "too short" in " ".join(nodes.lines)


def test_the_key_never_shows_even_when_the_server_echoes_it(nodes, braze):
    braze.reply(400, {"message": f"bad key {KEY}", "errors": [KEY]})

    answer = nodes.run(TRACK)

    assert KEY not in json.dumps(answer) and not any(KEY in line for line in nodes.lines)


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "not a time"]
)
def test_an_event_time_braze_cannot_store_stops_the_event(generate, braze, monkeypatch, moment):
    mapping = _mapping_with("          properties:", '          time: "{EVENT_TIME}"\n')
    made = Nodes(generate(mapping), braze.url, monkeypatch)
    try:
        answer = made.run(TRACK, {**PARTNER_ANSWERS, "EVENT_TIME": moment})
    finally:
        made.close()
    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"].startswith("EVENT_TIME: not a date and time")
    assert braze.requests == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a forking server is a POSIX thing")
def test_a_forked_process_calls_braze_on_threads_and_a_connection_of_its_own(nodes, braze):
    braze.reply(201).reply(201).reply(201)
    assert nodes.run(TRACK)["success"] == "true"  # the parent's worker and connection exist now

    pid = os.fork()
    if pid == 0:  # a server that imported the node, then forked its workers
        answer = nodes.run(TRACK)
        os._exit(0 if answer["success"] == "true" and nodes.elapsed < 1 else 1)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert nodes.run(TRACK)["success"] == "true", "the parent's connection is still its own"
    assert len(braze.requests) == 3 and len(set(braze.clients)) == 2
