"""No missing or odd answer changes what a node asks Braze to do: each node runs for real against
an HTTP server on 127.0.0.1 and either sends exactly the request the spec means, or nothing."""

from __future__ import annotations

import pytest

KEY = "sandbox-secret-key"
CONTEXT = {"env": "sandbox", "chat_id": "chat-1"}


@pytest.fixture(scope="module")
def solution(tmp_path_factory):
    from helpers import VALUE_FORMS as SPEC
    from helpers import write_files

    from pypestream_braze.solution.generate import prepare

    folder = tmp_path_factory.mktemp("safe")
    mapping = folder / "mapping.yaml"
    mapping.write_text(SPEC, encoding="utf-8")
    prepared = prepare(mapping)
    return write_files(folder / "solution", prepared.files), prepared.solution.package


@pytest.fixture
def run(solution, httpserver, monkeypatch):
    import importlib
    import sys

    root, package = solution
    monkeypatch.syspath_prepend(str(root))
    app = importlib.import_module(f"{package}.app")
    params = app.PARAMS["sandbox"]
    monkeypatch.setitem(params, "braze_url", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setitem(params, "braze_api_key", KEY)
    logs: list[str] = []

    def run(name, payload, reply=None):
        httpserver.expect_request(f"/{ENDPOINTS[name]}").respond_with_json(
            reply or {"message": "success", "users": [{"first_name": "Ada"}]}, status=201
        )
        node = getattr(importlib.import_module(f"{package}.actions.{name}"), name)()
        answer = node.execute(logs.append, dict(payload), dict(CONTEXT))
        bodies = [request.get_json() for request, _ in httpserver.log]
        httpserver.clear()
        return answer, bodies

    run.logs = logs
    yield run
    for name in [m for m in sys.modules if m.split(".")[0] == package]:
        del sys.modules[name]


ENDPOINTS = {
    "BrazeSendToUser": "messages/send",
    "BrazeTrackAlias": "users/track",
    "BrazeTrackValues": "users/track",
    "BrazeLookup": "users/export/ids",
}
MESSAGE = {"USER_ID": "u-1", "CLAIM_ID": "C-7", "SMS_TEXT": "Filed."}


def test_a_message_goes_to_its_recipient_in_its_segment(run):
    answer, (body,) = run("BrazeSendToUser", MESSAGE)
    assert answer["success"] == "true"
    assert body["external_user_ids"] == ["u-1"] and body["segment_id"] == "seg-1"
    assert body["messages"]["email"]["subject"] == "Your claim C-7"


@pytest.mark.parametrize(
    ("left_out", "why"),
    [
        ("USER_ID", "missing USER_ID"),  # never the whole segment
        ("CLAIM_ID", "missing CLAIM_ID"),  # never an email without its subject
        ("SMS_TEXT", "missing SMS_TEXT"),  # never an SMS without its body
    ],
)
def test_a_message_missing_a_part_is_never_sent(run, left_out, why):
    payload = {k: v for k, v in MESSAGE.items() if k != left_out}
    answer, bodies = run("BrazeSendToUser", payload)
    assert bodies == []
    assert (answer["success"], answer["BRAZE_ERROR"]) == ("false", why)


@pytest.mark.parametrize("empty", ["", "   ", "None", "null", "UNDEFINED", "{USER_ID}", None])
def test_placeholder_words_are_no_answer(run, empty):
    answer, bodies = run("BrazeSendToUser", {**MESSAGE, "USER_ID": empty})
    assert bodies == [] and answer["BRAZE_ERROR"] == "missing USER_ID"


def test_a_user_alias_identifier_reaches_braze(run):
    answer, (body,) = run("BrazeTrackAlias", {"ALIAS": "chat-9", "FIRST_NAME": "Ada"})
    assert answer["success"] == "true"
    assert body == {
        "attributes": [
            {
                "user_alias": {"alias_name": "chat-9", "alias_label": "chat"},
                "_update_existing_only": False,
                "first_name": "Ada",
            }
        ]
    }
    answer, bodies = run("BrazeTrackAlias", {"FIRST_NAME": "Ada"})
    assert bodies == [] and answer["BRAZE_ERROR"] == "missing ALIAS"


VALUES = {"USER_ID": "u-1", "PRICE": "12.50", "QUANTITY": "2"}


def _attributes_and_purchase(run, **answers):
    answer, (body,) = run("BrazeTrackValues", {**VALUES, **answers})
    assert answer["success"] == "true", answer
    return body["attributes"][0], body["purchases"][0]


def test_defaults_are_converted_like_answers(run):
    attributes, _ = _attributes_and_purchase(run)
    assert attributes["dob"] == "1990-12-31" and attributes["gender"] == "M"
    attributes, _ = _attributes_and_purchase(run, DOB="01/04/1985", GENDER="woman")
    assert attributes["dob"] == "1985-04-01" and attributes["gender"] == "F"


@pytest.mark.parametrize(
    ("balance", "sent"),
    [("1.299,50", 1299.5), ("1,299.50", 1299.5), ("1,5", 1.5), ("12", 12.0)],
)
def test_numbers_are_read_without_guessing(run, balance, sent):
    attributes, _ = _attributes_and_purchase(run, BALANCE=balance)
    assert attributes["balance"] == sent


@pytest.mark.parametrize("balance", ["1.000", "1,500", "nan", "inf", "1e999", "12 500 0"])
def test_ambiguous_or_odd_numbers_are_left_out_with_a_log_line(run, balance):
    attributes, _ = _attributes_and_purchase(run, BALANCE=balance)
    assert "balance" not in attributes
    assert any("BALANCE is" in line and "left out" in line for line in run.logs)


@pytest.mark.parametrize(
    ("country", "sent"),
    [("uk", "GB"), ("England", "GB"), ("usa", "US"), ("Côte d'Ivoire", "CI"), ("de", "DE")],
)
def test_countries_become_iso_codes(run, country, sent):
    attributes, _ = _attributes_and_purchase(run, COUNTRY=country)
    assert attributes["country"] == sent


def test_values_braze_would_refuse_are_left_out_never_cut(run):
    attributes, purchase = _attributes_and_purchase(
        run, COUNTRY="Narnia", NOTE="x" * 256, QUANTITY="150"
    )
    assert "country" not in attributes and "note" not in attributes
    assert "quantity" not in purchase
    assert any("NOTE is longer than the 255 characters" in line for line in run.logs)
    assert any("QUANTITY is more than the 100" in line for line in run.logs)


def test_a_purchase_without_its_price_is_not_sent(run):
    answer, bodies = run("BrazeTrackValues", {"USER_ID": "u-1", "PRICE": "free"})
    assert bodies == []
    assert answer["BRAZE_ERROR"] == "PRICE: not a number"


def test_a_lookup_that_finds_nobody_is_false(run):
    answer, _ = run("BrazeLookup", {"USER_ID": "u-1"}, {"message": "success", "users": []})
    assert (answer["success"], answer["BRAZE_ERROR"]) == ("false", "no Braze profile matches")
    answer, _ = run("BrazeLookup", {"USER_ID": "u-1"})
    assert answer["success"] == "true"
