"""What every action node must do, against a local Braze stand-in: send the request its mapping
describes, send nothing without the answers it cannot do without, and route each of Braze's
answers. Each node's own test module (test_<node>.py) gives the data: its Parameter Input,
the exact request, Braze's answer, the outputs."""

import importlib
import time

import pytest

CONTEXT = {"env": "sandbox", "chat_id": "chat-1", "user_data": {}, "events": []}
# The moment nodes give an event or a purchase, in these tests.
NOW = "2024-05-01T10:30:00Z"


def node(name):
    module = importlib.import_module(f"acme_claims.actions.{name}")
    return module, getattr(module, name)()


def runner(name, monkeypatch):
    """run(payload) -> (the node's module, its answer, what it logged), with the clock stopped."""

    def run(payload):
        module, action = node(name)
        monkeypatch.setattr(module, "_now", lambda: NOW, raising=False)
        lines = []
        answer = action.execute(lines.append, dict(payload), dict(CONTEXT))
        assert all(isinstance(value, str) for value in answer.values())
        return module, answer, lines

    return run


class NodeContract:
    NODE = ""  # the node's class, file and Design Studio Command
    # Realistic answers: its Parameter Input as Pypestream fills it in.
    PAYLOAD: dict = {}
    # The request the node must send for those answers: the method, the path as it goes on the
    # wire (URL-encoded), the query and the JSON body. A hand edit that changes what the node
    # asks Braze to do fails here.
    REQUEST: dict = {}
    # What Braze answers when it does what was asked: (status, JSON).
    ACCEPTED: tuple = ()
    OUTPUTS: dict = {}  # the output variables the node sets from that answer

    @pytest.fixture
    def run(self, monkeypatch):
        return runner(self.NODE, monkeypatch)

    def test_sends_the_request_the_mapping_describes(self, braze, run):
        braze.reply(*self.ACCEPTED)
        _, answer, lines = run(self.PAYLOAD)
        assert answer["success"] == "true", answer
        (request,) = braze.requests
        expected = self.REQUEST
        assert request["method"] == expected["method"]
        assert request["path"] == expected["path"]
        assert request["query"] == expected["query"]
        assert request["json"] == expected["json"]
        assert request["headers"]["Authorization"] == "Bearer test-key"
        assert {variable: answer[variable] for variable in self.OUTPUTS} == self.OUTPUTS
        assert not any("test-key" in line for line in lines)

    def test_refused_data_routes_to_false(self, braze, run):
        braze.reply(400, {"message": "Invalid request"})
        _, answer, _ = run(self.PAYLOAD)
        assert answer["success"] == "false"
        assert answer["BRAZE_STATUS"] == "400"
        assert answer["BRAZE_ERROR"] == "Invalid request"

    @pytest.mark.parametrize("status", [401, 403, 404])
    def test_broken_integration_routes_to_error(self, braze, run, status):
        braze.reply(status, {"message": "Access Denied"})
        _, answer, _ = run(self.PAYLOAD)
        assert answer["success"] == "error"
        assert answer["BRAZE_STATUS"] == str(status)

    def test_nothing_sent_routes_to_error(self, braze, run):
        braze.reply(201, {"message": "success", "notice": "The Canvas is paused."})
        _, answer, _ = run(self.PAYLOAD)
        assert answer["success"] == "error"
        assert "paused" in answer["BRAZE_ERROR"]

    def test_rate_limited_then_accepted(self, braze, run):
        braze.reply(
            429, {"message": "Too many requests"}, {"X-Ratelimit-Retry-After": "0"}
        )
        braze.reply(*self.ACCEPTED)
        _, answer, _ = run(self.PAYLOAD)
        assert answer["success"] == "true"
        assert len(braze.requests) == 2

    def test_server_error(self, braze, run):
        braze.reply(503, {"message": "unavailable"})
        braze.reply(*self.ACCEPTED)
        module, answer, _ = run(self.PAYLOAD)
        if module.REPEAT_SAFE:
            assert answer["success"] == "true"
            assert len(braze.requests) == 2
        else:  # never sent twice: Braze may have acted on the first request
            assert answer["success"] == "error"
            assert len(braze.requests) == 1

    def test_rate_limited_longer_than_budget(self, braze, run):
        braze.reply(
            429, {"message": "Too many requests"}, {"x-ratelimit-retry-after": "3600"}
        )
        started = time.monotonic()
        _, answer, _ = run(self.PAYLOAD)
        assert answer["success"] == "error"
        assert answer["BRAZE_STATUS"] == "429"
        assert time.monotonic() - started < 0.5, "no waiting past the budget"
        assert len(braze.requests) == 1

    def test_connection_reset(self, braze, run):
        braze.reply(reset=True)
        braze.reply(*self.ACCEPTED)
        module, answer, _ = run(self.PAYLOAD)
        if module.REPEAT_SAFE:
            assert answer["success"] == "true"
            assert len(braze.requests) == 2
        else:  # the request may have reached Braze: never sent twice
            assert answer["success"] == "error"
            assert len(braze.requests) == 1

    def test_slower_than_budget(self, braze, run, monkeypatch):
        module, _ = node(self.NODE)
        monkeypatch.setattr(module, "TIME_BUDGET", 0.5)
        for _ in range(module.MAX_ATTEMPTS):
            braze.reply(*self.ACCEPTED, delay=1.5)
        started = time.monotonic()
        _, answer, _ = run(self.PAYLOAD)
        assert answer["success"] == "error"
        assert time.monotonic() - started < 1.0
        if not module.REPEAT_SAFE:
            assert len(braze.requests) == 1

    def test_unknown_environment(self):
        _, action = node(self.NODE)
        lines = []
        answer = action.execute(lines.append, {}, {"env": "staging"})
        assert answer["success"] == "error"
        assert any("staging" in line for line in lines)


class Refusals:
    """A node that must not call Braze without some answers."""

    REFUSALS: list = []  # (answers left out, BRAZE_ERROR)

    def test_does_not_call_braze_without(self, braze, run, refusal):
        missing, why = refusal
        payload = {
            key: value for key, value in self.PAYLOAD.items() if key not in missing
        }
        _, answer, _ = run(payload)
        assert braze.requests == []
        assert answer["success"] == "false"
        assert answer["BRAZE_ERROR"] == why


class Lookup:
    """A node that reads from Braze: an answer that finds nothing routes to false."""

    # What Braze answers then, (status, JSON), and the BRAZE_ERROR it becomes.
    NOTHING_FOUND: tuple = ()

    def test_a_lookup_that_finds_nothing_routes_to_false(self, braze, run):
        status, body, why = self.NOTHING_FOUND
        braze.reply(status, body)
        _, answer, _ = run(self.PAYLOAD)
        assert (answer["success"], answer["BRAZE_ERROR"]) == ("false", why)
        assert all(answer[variable] == "" for variable in self.OUTPUTS)
