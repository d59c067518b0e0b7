"""The partner example's users/track node, run for real against an HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from helpers import PARTNER_ANSWERS

ANSWERS = PARTNER_ANSWERS
CONTEXT = {"env": "sandbox", "chat_id": "chat-42", "user_data": {}, "events": []}
KEY = "sandbox-secret-key"


@pytest.fixture
def track(generate, httpserver, monkeypatch):
    solution = generate()
    params = solution.app.PARAMS["sandbox"]
    monkeypatch.setitem(params, "braze_url", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setitem(params, "braze_api_key", KEY)
    module, node = solution.node("BrazeTrackProfile")
    lines: list[str] = []

    def run(payload=ANSWERS, context=CONTEXT):
        return node.execute(lines.append, dict(payload), dict(context))

    run.module, run.lines = module, lines
    return run


def sent(httpserver):
    assert len(httpserver.log) == 1, "exactly one request"
    return httpserver.log[0][0]


def test_accepted_sends_one_well_formed_request(track, httpserver):
    httpserver.expect_request("/users/track", method="POST").respond_with_json(
        {"message": "success", "attributes_processed": 1, "events_processed": 1}, status=201
    )
    before = datetime.now(UTC).replace(microsecond=0)

    answer = track()

    assert answer == {
        "success": "true",
        "BRAZE_STATUS": "201",
        "BRAZE_ERROR": "",
        "BRAZE_SKIPPED": "",
    }
    request = sent(httpserver)
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.args == {}, "nothing in the query string"
    body = request.get_json()
    event_time = body["events"][0].pop("time")
    assert (
        before
        <= datetime.fromisoformat(event_time.replace("Z", "+00:00"))
        <= before + timedelta(seconds=5)
    )
    assert body == {
        "attributes": [
            {
                "external_id": "conv-user-123",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": "ada@example.com",
                "dob": "1990-04-01",
                "home_city": "London",
                "os": "iOS",
            }
        ],
        "events": [
            {
                "external_id": "conv-user-123",
                "name": "pypestream_profile_captured",
                "properties": {"solution": "AcmeClaims", "chat_id": "chat-42"},
            }
        ],
    }


def test_missing_answers_are_left_out_never_null(track, httpserver):
    httpserver.expect_request("/users/track").respond_with_json({"message": "success"}, 201)
    answers = dict(ANSWERS, LAST_NAME="  ", CITY="{CITY}", OPERATING_SYSTEM=None)
    del answers["EMAIL"]

    assert track(answers)["success"] == "true"

    attributes = sent(httpserver).get_json()["attributes"][0]
    assert set(attributes) == {"external_id", "first_name", "dob"}


def test_unreadable_date_is_left_out_and_logged_without_the_value(track, httpserver):
    httpserver.expect_request("/users/track").respond_with_json({"message": "success"}, 201)

    assert track(dict(ANSWERS, DATE_OF_BIRTH="31/31/1990"))["success"] == "true"

    assert "dob" not in sent(httpserver).get_json()["attributes"][0]
    assert any("DATE_OF_BIRTH is not a date" in line for line in track.lines)
    assert not any("31/31/1990" in line for line in track.lines)


def test_missing_identifier_means_no_call_and_false(track, httpserver):
    answer = track(dict(ANSWERS, USER_ID="{USER_ID}"))

    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == "missing USER_ID"
    assert httpserver.log == []


def test_wrong_key_is_a_broken_integration(track, httpserver):
    httpserver.expect_request("/users/track").respond_with_json(
        {"message": "Invalid API Key"}, status=401
    )

    answer = track()

    assert answer == {
        "success": "error",
        "BRAZE_STATUS": "401",
        "BRAZE_ERROR": "Braze refused the API key (401): check the key",
        "BRAZE_SKIPPED": "",
    }
    assert len(httpserver.log) == 1


def test_server_gone_is_error_within_the_budget(track, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(track.module.app.PARAMS["sandbox"], "braze_url", f"http://127.0.0.1:{port}")
    started = time.monotonic()

    answer = track()

    assert answer["success"] == "error"
    assert time.monotonic() - started < track.module.TIME_BUDGET


def test_unknown_environment_is_logged_and_error(track, httpserver):
    answer = track(context=dict(CONTEXT, env="staging"))

    assert answer["success"] == "error"
    assert "'staging'" in track.lines[0] and "sandbox" in track.lines[0]
    assert httpserver.log == []


def test_prod_is_live(generate):
    app = generate().app
    assert app.PARAMS["prod"] is app.PARAMS["live"]
    assert set(app.PARAMS) == {"sandbox", "live", "prod"}


def test_logs_never_show_the_key_or_the_email(track, httpserver):
    httpserver.expect_request("/users/track").respond_with_json(
        {
            "message": "success",
            "errors": [{"type": f"{KEY} ada@example.com is bad", "input_array": "attributes"}],
        },
        status=201,
    )

    assert track()["success"] == "true"

    logged = "\n".join(track.lines)
    assert KEY not in logged
    assert "ada@example.com" not in logged
    assert "a***@example.com" in logged


def test_a_netrc_entry_for_the_host_does_not_replace_the_key(
    track, httpserver, tmp_path, monkeypatch
):
    netrc = tmp_path / "netrc"
    host = httpserver.host  # what the node's URL names: localhost
    netrc.write_text(f"machine {host} login someone password other\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    httpserver.expect_request("/users/track").respond_with_json({"message": "success"}, 201)

    assert track()["success"] == "true"
    assert sent(httpserver).headers["Authorization"] == f"Bearer {KEY}"
