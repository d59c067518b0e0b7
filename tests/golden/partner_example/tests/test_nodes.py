"""Every action node against a local Braze stand-in: accepted, refused, rate limited, failing."""

import importlib
import time

import pytest

NODES = {
    "BrazeTrackProfile": {
        "USER_ID": "user-123",
        "FIRST_NAME": "Ada",
        "LAST_NAME": "Lovelace",
        "EMAIL": "ada@example.com",
        "DATE_OF_BIRTH": "04/01/1990",
        "CITY": "London",
        "OPERATING_SYSTEM": "iOS",
    },
    "BrazeStartWelcomeCanvas": {"USER_ID": "user-123", "FIRST_NAME": "Ada"},
    "BrazeLookupProfile": {"USER_ID": "user-123"},
}
CONTEXT = {"env": "sandbox", "chat_id": "chat-1", "user_data": {}, "events": []}


def run(name, payload):
    module = importlib.import_module(f"acme_claims.actions.{name}")
    lines = []
    answer = getattr(module, name)().execute(lines.append, dict(payload), dict(CONTEXT))
    assert all(isinstance(value, str) for value in answer.values())
    return module, answer, lines


@pytest.mark.parametrize("name", NODES)
def test_accepted(braze, name):
    braze.reply(201, {"message": "success"})
    module, answer, lines = run(name, NODES[name])
    assert answer["success"] == "true"
    assert len(braze.requests) == 1
    request = braze.requests[0]
    assert request["path"] == "/" + module.ENDPOINT
    assert request["headers"]["Authorization"] == "Bearer test-key"
    assert not any("test-key" in line for line in lines)


@pytest.mark.parametrize("name", NODES)
def test_refused(braze, name):
    braze.reply(401, {"message": "Invalid API Key"})
    _, answer, _ = run(name, NODES[name])
    assert answer["success"] == "false"
    assert answer["BRAZE_STATUS"] == "401"
    assert answer["BRAZE_ERROR"] == "Invalid API Key"


@pytest.mark.parametrize("name", NODES)
def test_rate_limited_then_accepted(braze, name):
    braze.reply(429, {"message": "Too many requests"}, {"X-Ratelimit-Retry-After": "0"})
    braze.reply(201, {"message": "success"})
    _, answer, _ = run(name, NODES[name])
    assert answer["success"] == "true"
    assert len(braze.requests) == 2


@pytest.mark.parametrize("name", NODES)
def test_server_error(braze, name):
    braze.reply(503, {"message": "unavailable"})
    braze.reply(201, {"message": "success"})
    module, answer, _ = run(name, NODES[name])
    if module.REPEAT_SAFE:
        assert answer["success"] == "true"
        assert len(braze.requests) == 2
    else:  # never sent twice: Braze may have acted on the first request
        assert answer["success"] == "error"
        assert len(braze.requests) == 1


@pytest.mark.parametrize("name", NODES)
def test_rate_limited_longer_than_budget(braze, name):
    braze.reply(
        429, {"message": "Too many requests"}, {"x-ratelimit-retry-after": "3600"}
    )
    started = time.monotonic()
    _, answer, _ = run(name, NODES[name])
    assert answer["success"] == "error"
    assert answer["BRAZE_STATUS"] == "429"
    assert time.monotonic() - started < 0.5, "no waiting past the budget"
    assert len(braze.requests) == 1


@pytest.mark.parametrize("name", NODES)
def test_connection_reset(braze, name):
    braze.reply(reset=True)
    braze.reply(201, {"message": "success"})
    module, answer, _ = run(name, NODES[name])
    if module.REPEAT_SAFE:
        assert answer["success"] == "true"
        assert len(braze.requests) == 2
    else:  # the request may have reached Braze: never sent twice
        assert answer["success"] == "error"
        assert len(braze.requests) == 1


@pytest.mark.parametrize("name", NODES)
def test_slower_than_budget(braze, monkeypatch, name):
    module = importlib.import_module(f"acme_claims.actions.{name}")
    monkeypatch.setattr(module, "TIME_BUDGET", 0.5)
    for _ in range(module.MAX_ATTEMPTS):
        braze.reply(201, {"message": "success"}, delay=1.5)
    started = time.monotonic()
    module, answer, _ = run(name, NODES[name])
    assert answer["success"] == "error"
    assert time.monotonic() - started < 1.0
    if not module.REPEAT_SAFE:
        assert len(braze.requests) == 1


@pytest.mark.parametrize("name", NODES)
def test_unknown_environment(name):
    module = importlib.import_module(f"acme_claims.actions.{name}")
    lines = []
    answer = getattr(module, name)().execute(lines.append, {}, {"env": "staging"})
    assert answer["success"] == "error"
    assert any("staging" in line for line in lines)
