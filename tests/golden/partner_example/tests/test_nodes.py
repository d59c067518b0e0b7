"""Every action node against a local Braze stand-in: the request it sends, the requests it must
not send, and how it routes Braze's answers."""

import importlib
import time

import pytest

CONTEXT = {"env": "sandbox", "chat_id": "chat-1", "user_data": {}, "events": []}
# The moment nodes give an event or a purchase, in these tests.
NOW = "2024-05-01T10:30:00Z"
# Realistic answers for each node: its Parameter Input as Pypestream fills it in.
PAYLOADS = {
    "BrazeTrackProfile": {
        "USER_ID": "user-123",
        "FIRST_NAME": "Ada",
        "LAST_NAME": "Lovelace",
        "EMAIL": "ada@example.com",
        "DATE_OF_BIRTH": "04/17/1990",
        "CITY": "London",
        "OPERATING_SYSTEM": "iOS",
    },
    "BrazeStartWelcomeCanvas": {"USER_ID": "user-123", "FIRST_NAME": "Ada"},
    "BrazeLookupProfile": {"USER_ID": "user-123"},
}
# The request each node must send for those answers, written out: the method, the path as it
# goes on the wire (URL-encoded), the query and the JSON body. A hand edit that changes what a
# node asks Braze to do fails here.
REQUESTS = {
    "BrazeTrackProfile": {
        "method": "POST",
        "path": "/users/track",
        "query": "",
        "json": {
            "attributes": [
                {
                    "external_id": "user-123",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "email": "ada@example.com",
                    "dob": "1990-04-17",
                    "home_city": "London",
                    "os": "iOS",
                }
            ],
            "events": [
                {
                    "external_id": "user-123",
                    "name": "pypestream_profile_captured",
                    "properties": {"solution": "AcmeClaims", "chat_id": "chat-1"},
                    "time": "2024-05-01T10:30:00Z",
                }
            ],
        },
    },
    "BrazeStartWelcomeCanvas": {
        "method": "POST",
        "path": "/canvas/trigger/send",
        "query": "",
        "json": {
            "canvas_id": "0f0e2a9c-0000-4000-8000-000000000001",
            "recipients": [
                {"external_user_id": "user-123", "context": {"first_name": "Ada"}}
            ],
        },
    },
    "BrazeLookupProfile": {
        "method": "POST",
        "path": "/users/export/ids",
        "query": "",
        "json": {
            "external_ids": ["user-123"],
            "fields_to_export": ["first_name", "custom_attributes"],
        },
    },
}
# Answers without which a node must not call Braze: (node, answers left out, BRAZE_ERROR).
REFUSALS = [
    ("BrazeTrackProfile", ("USER_ID",), "missing USER_ID"),
    ("BrazeStartWelcomeCanvas", ("USER_ID",), "missing USER_ID"),
    ("BrazeLookupProfile", ("USER_ID",), "missing USER_ID"),
]
# What Braze answers when it does what was asked (status, JSON), as its documentation shows.
ACCEPTED = {
    "BrazeTrackProfile": (201, {"message": "success", "attributes_processed": 1}),
    "BrazeStartWelcomeCanvas": (
        201,
        {"dispatch_id": "dispatch-1", "message": "success"},
    ),
    "BrazeLookupProfile": (
        200,
        {
            "message": "success",
            "users": [{"external_id": "user-123", "first_name": "Jane"}],
            "invalid_user_ids": [],
        },
    ),
}
# The output variables each node sets from that answer.
OUTPUTS = {
    "BrazeTrackProfile": {},
    "BrazeStartWelcomeCanvas": {"BRAZE_DISPATCH_ID": "dispatch-1"},
    "BrazeLookupProfile": {"BRAZE_FIRST_NAME": "Jane", "LOYALTY_TIER": ""},
}
# Lookups: what Braze answers when it finds nothing (status, JSON), and the BRAZE_ERROR then.
NOTHING_FOUND = {
    "BrazeLookupProfile": (
        200,
        {"message": "success", "users": [], "invalid_user_ids": []},
        "no Braze profile matches",
    ),
}


def node(name):
    module = importlib.import_module(f"acme_claims.actions.{name}")
    return module, getattr(module, name)()


@pytest.fixture
def run(monkeypatch):
    def run(name, payload):
        module, action = node(name)
        monkeypatch.setattr(module, "_now", lambda: NOW, raising=False)
        lines = []
        answer = action.execute(lines.append, dict(payload), dict(CONTEXT))
        assert all(isinstance(value, str) for value in answer.values())
        return module, answer, lines

    return run


@pytest.mark.parametrize("name", PAYLOADS)
def test_sends_the_request_the_mapping_describes(braze, run, name):
    braze.reply(*ACCEPTED[name])
    _, answer, lines = run(name, PAYLOADS[name])
    assert answer["success"] == "true", answer
    (request,) = braze.requests
    expected = REQUESTS[name]
    assert request["method"] == expected["method"]
    assert request["path"] == expected["path"]
    assert request["query"] == expected["query"]
    assert request["json"] == expected["json"]
    assert request["headers"]["Authorization"] == "Bearer test-key"
    assert {variable: answer[variable] for variable in OUTPUTS[name]} == OUTPUTS[name]
    assert not any("test-key" in line for line in lines)


@pytest.mark.parametrize("name", NOTHING_FOUND)
def test_a_lookup_that_finds_nothing_routes_to_false(braze, run, name):
    status, body, why = NOTHING_FOUND[name]
    braze.reply(status, body)
    _, answer, _ = run(name, PAYLOADS[name])
    assert (answer["success"], answer["BRAZE_ERROR"]) == ("false", why)
    assert all(answer[variable] == "" for variable in OUTPUTS[name])


@pytest.mark.parametrize(("name", "missing", "why"), REFUSALS)
def test_does_not_call_braze_without(braze, run, name, missing, why):
    payload = {
        key: value for key, value in PAYLOADS[name].items() if key not in missing
    }
    _, answer, _ = run(name, payload)
    assert braze.requests == []
    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == why


@pytest.mark.parametrize("name", PAYLOADS)
def test_refused_data_routes_to_false(braze, run, name):
    braze.reply(400, {"message": "Invalid request"})
    _, answer, _ = run(name, PAYLOADS[name])
    assert answer["success"] == "false"
    assert answer["BRAZE_STATUS"] == "400"
    assert answer["BRAZE_ERROR"] == "Invalid request"


@pytest.mark.parametrize("status", [401, 403, 404])
@pytest.mark.parametrize("name", PAYLOADS)
def test_broken_integration_routes_to_error(braze, run, name, status):
    braze.reply(status, {"message": "Access Denied"})
    _, answer, _ = run(name, PAYLOADS[name])
    assert answer["success"] == "error"
    assert answer["BRAZE_STATUS"] == str(status)


@pytest.mark.parametrize("name", PAYLOADS)
def test_nothing_sent_routes_to_error(braze, run, name):
    braze.reply(201, {"message": "success", "notice": "The Canvas is paused."})
    _, answer, _ = run(name, PAYLOADS[name])
    assert answer["success"] == "error"
    assert "paused" in answer["BRAZE_ERROR"]


@pytest.mark.parametrize("name", PAYLOADS)
def test_rate_limited_then_accepted(braze, run, name):
    braze.reply(429, {"message": "Too many requests"}, {"X-Ratelimit-Retry-After": "0"})
    braze.reply(*ACCEPTED[name])
    _, answer, _ = run(name, PAYLOADS[name])
    assert answer["success"] == "true"
    assert len(braze.requests) == 2


@pytest.mark.parametrize("name", PAYLOADS)
def test_server_error(braze, run, name):
    braze.reply(503, {"message": "unavailable"})
    braze.reply(*ACCEPTED[name])
    module, answer, _ = run(name, PAYLOADS[name])
    if module.REPEAT_SAFE:
        assert answer["success"] == "true"
        assert len(braze.requests) == 2
    else:  # never sent twice: Braze may have acted on the first request
        assert answer["success"] == "error"
        assert len(braze.requests) == 1


@pytest.mark.parametrize("name", PAYLOADS)
def test_rate_limited_longer_than_budget(braze, run, name):
    braze.reply(
        429, {"message": "Too many requests"}, {"x-ratelimit-retry-after": "3600"}
    )
    started = time.monotonic()
    _, answer, _ = run(name, PAYLOADS[name])
    assert answer["success"] == "error"
    assert answer["BRAZE_STATUS"] == "429"
    assert time.monotonic() - started < 0.5, "no waiting past the budget"
    assert len(braze.requests) == 1


@pytest.mark.parametrize("name", PAYLOADS)
def test_connection_reset(braze, run, name):
    braze.reply(reset=True)
    braze.reply(*ACCEPTED[name])
    module, answer, _ = run(name, PAYLOADS[name])
    if module.REPEAT_SAFE:
        assert answer["success"] == "true"
        assert len(braze.requests) == 2
    else:  # the request may have reached Braze: never sent twice
        assert answer["success"] == "error"
        assert len(braze.requests) == 1


@pytest.mark.parametrize("name", PAYLOADS)
def test_slower_than_budget(braze, run, monkeypatch, name):
    module, _ = node(name)
    monkeypatch.setattr(module, "TIME_BUDGET", 0.5)
    for _ in range(module.MAX_ATTEMPTS):
        braze.reply(*ACCEPTED[name], delay=1.5)
    started = time.monotonic()
    _, answer, _ = run(name, PAYLOADS[name])
    assert answer["success"] == "error"
    assert time.monotonic() - started < 1.0
    if not module.REPEAT_SAFE:
        assert len(braze.requests) == 1


@pytest.mark.parametrize("name", PAYLOADS)
def test_unknown_environment(name):
    _, action = node(name)
    lines = []
    answer = action.execute(lines.append, {}, {"env": "staging"})
    assert answer["success"] == "error"
    assert any("staging" in line for line in lines)
