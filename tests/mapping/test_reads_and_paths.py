"""Nodes that read from Braze and nodes with path parameters, run for real against the strict
stand-in on 127.0.0.1: the URL they call whatever the answers hold, the query they send, how a
lookup that finds nothing routes, and that a read is repeated after a failure."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from standin import StandIn

from pypestream_braze import runtime

KEY = "reads-secret-key-123456"
CONTEXT = {"env": "sandbox", "chat_id": "chat-1"}
SPEC = """\
version: 1
customer: Acme
solution: ReadExample
environments:
  sandbox: {instance: US-01, params: {group: g-1, receipt: "0f0e 2a9c/1"}}
  live: {instance: US-05, params: {group: g-1, receipt: "0f0e 2a9c/1"}}
defaults: {error_node: 99990}
nodes:
  - name: BrazeFindItem
    endpoint: catalogs/{catalog_name}/items/{item_id}
    path: {catalog_name: "{CATALOG}", item_id: "{ITEM_ID}"}
    outputs: {ITEM_PRICE: "items[0].price"}
    routing: {node: 100, success: 110, failure: 120}
  - name: BrazeGroupState
    endpoint: subscription/status/get
    query: {subscription_group_id: {param: group}, external_id: ["{USER_ID}", "{OTHER_ID}"]}
    outputs: {STATE: status.*}
    routing: {node: 200, success: 210, failure: 220}
  - name: BrazeUserGroups
    endpoint: subscription/user/status
    query: {phone: "{PHONE}", limit: {var: LIMIT, as: integer}}
    outputs: {GROUPS: subscription_groups}
    routing: {node: 300, success: 310, failure: 320}
  - name: BrazeReceipt
    endpoint: transactional/v1/campaigns/{campaign_id}/send
    path: {campaign_id: {param: receipt}}
    body: {recipient: {external_user_id: "{USER_ID}"}}
    routing: {node: 400, success: 410, failure: 420}
  - name: BrazeRename
    endpoint: users/external_ids/rename
    body:
      external_id_renames: [{current_external_id: "{USER_ID}", new_external_id: "{NEW_ID}"}]
    routing: {node: 500, success: 510, failure: 520}
  - name: BrazeTrackAndRead
    endpoint: users/track/sync
    identifier: {external_id: "{USER_ID}"}
    body: {attributes: [{_update_existing_only: true, tier: "{TIER}"}]}
    outputs: {TIER_NOW: "users[0].custom_attributes.tier"}
    routing: {node: 600, success: 610, failure: 620}
"""
# Answers whose text needs encoding in a URL path: every one must arrive as one segment.
AWKWARD = [
    "my item",
    "a/b",
    "what?x=1",
    "#1",
    "100%",
    "%2F",
    "café ☕",
    "日本",
    "a+b&c=d",
    "..x",
    "~user.name_1-2",
]


@pytest.fixture
def braze():
    stand_in = StandIn()
    yield stand_in
    stand_in.close()
    assert stand_in.problems == []


@pytest.fixture
def nodes(generate, braze, monkeypatch):
    solution = generate(SPEC)
    params = solution.app.PARAMS["sandbox"]
    monkeypatch.setitem(params, "braze_url", braze.url)
    monkeypatch.setitem(params, "braze_api_key", KEY)
    logs: list[str] = []

    def run(name, payload):
        _, node = solution.node(name)
        answer = node.execute(logs.append, dict(payload), dict(CONTEXT))
        assert all(isinstance(value, str) for value in answer.values())
        return answer

    run.solution, run.logs, run.params = solution, logs, params
    return run


@pytest.mark.parametrize("item", AWKWARD)
def test_a_path_parameter_arrives_as_one_encoded_segment(nodes, braze, item):
    braze.reply(200, {"items": [{"id": item, "price": 9.5}], "message": "success"})

    answer = nodes("BrazeFindItem", {"CATALOG": "spring_sale-2024", "ITEM_ID": f"  {item} "})

    assert answer["success"] == "true", (answer, nodes.logs)
    assert answer["ITEM_PRICE"] == "9.5"
    (seen,) = braze.requests
    assert seen.method == "GET"
    assert seen.route == f"/catalogs/spring_sale-2024/items/{quote(item, safe='')}"
    assert seen.query == ""
    segments = seen.route.split("/")
    assert len(segments) == 5
    assert [unquote(s) for s in segments[-3:]] == ["spring_sale-2024", "items", item]


@pytest.mark.parametrize("item", [".", ".."])
def test_a_dot_segment_is_never_sent(nodes, braze, item):
    answer = nodes("BrazeFindItem", {"CATALOG": "products", "ITEM_ID": item})

    assert (answer["success"], answer["BRAZE_ERROR"]) == (
        "false",
        f"item_id: {item!r} cannot be sent in a URL",
    )
    assert braze.requests == []


def test_a_missing_path_parameter_stops_the_call(nodes, braze):
    answer = nodes("BrazeFindItem", {"CATALOG": "products", "ITEM_ID": "  "})

    assert (answer["success"], answer["BRAZE_ERROR"]) == ("false", "missing ITEM_ID")
    assert braze.requests == []


def test_a_path_parameter_from_params_is_encoded_too(nodes, braze):
    braze.reply(201, {"dispatch_id": "d-1", "status": "queued", "metadata": {}})

    answer = nodes("BrazeReceipt", {"USER_ID": "u-1"})

    assert answer["success"] == "true", nodes.logs
    (seen,) = braze.requests
    assert seen.route == "/transactional/v1/campaigns/0f0e%202a9c%2F1/send"
    assert seen.json == {"recipient": {"external_user_id": "u-1"}}


def test_a_path_in_app_params_with_a_parameter_the_node_does_not_fill_is_an_error(
    nodes, braze, monkeypatch
):
    key = "braze_transactional_v1_campaigns_send"
    monkeypatch.setitem(nodes.params, key, "transactional/v1/campaigns/{campaign}/send")

    answer = nodes("BrazeReceipt", {"USER_ID": "u-1"})

    assert answer["success"] == "error"
    assert braze.requests == []


@given(item=st.text(min_size=1, max_size=40))
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_answer_stays_inside_its_segment(generate_read_node, item):
    """What requests sends for a node's URL: the answer, trimmed, is the last segment whole,
    or the node sends nothing (no answer, or a dot segment)."""
    node, params = generate_read_node
    payload = {"CATALOG": "c", "ITEM_ID": item}
    request, why = node.prepare(payload, dict(CONTEXT), params, lambda line: None)
    text = runtime._text_of(item)
    if text is None or text in (".", ".."):
        assert request is None and why
        return
    sent = requests.Request(request["method"], request["url"]).prepare()
    assert sent.path_url.startswith("/catalogs/c/items/")
    segment = sent.path_url.split("/")[4]
    assert "?" not in sent.path_url and "#" not in sent.path_url
    assert unquote(segment) == text


@pytest.fixture(scope="module")
def generate_read_node(tmp_path_factory):
    import importlib
    import sys

    from helpers import write_files

    from pypestream_braze.solution.generate import prepare

    folder = tmp_path_factory.mktemp("read")
    (folder / "mapping.yaml").write_text(SPEC, encoding="utf-8")
    prepared = prepare(folder / "mapping.yaml")
    root = write_files(folder / "solution", prepared.files)
    sys.path.insert(0, str(root))
    try:
        module = importlib.import_module("read_example.actions.BrazeFindItem")
        params = dict(importlib.import_module("read_example.app").PARAMS["sandbox"])
    finally:
        sys.path.remove(str(root))
    params.update(braze_url="https://rest.iad-01.braze.com", braze_api_key=KEY)
    yield module.BrazeFindItem(), params
    for name in [m for m in sys.modules if m.split(".")[0] == "read_example"]:
        del sys.modules[name]


def test_a_get_sends_its_query_and_no_body(nodes, braze):
    braze.reply(200, {"status": {"u-1": "Subscribed", "u 2": "Unsubscribed"}, "message": "success"})

    answer = nodes("BrazeGroupState", {"USER_ID": "u-1", "OTHER_ID": "u 2"})

    assert (answer["success"], answer["STATE"]) == ("true", "Subscribed")
    (seen,) = braze.requests
    assert (seen.method, seen.route) == ("GET", "/subscription/status/get")
    assert seen.query == "subscription_group_id=g-1&external_id%5B%5D=u-1&external_id%5B%5D=u%202"
    assert seen.body == b""
    assert "Content-Type" not in seen.headers


def test_a_query_value_is_converted_and_encoded(nodes, braze):
    braze.reply(200, {"users": [], "total_count": 0, "message": "success"})
    braze.reply(200, {"success": True, "subscription_groups": [{"id": "g-1"}]})

    first = nodes("BrazeUserGroups", {"PHONE": "+1 (415) 555-2671", "LIMIT": "20"})
    second = nodes("BrazeUserGroups", {"PHONE": "+14155552671", "LIMIT": "1,000"})

    assert first["success"] == "false"
    assert first["BRAZE_ERROR"] == "the user has no subscription group history in Braze"
    assert second["success"] == "true"
    assert second["GROUPS"] == '[{"id": "g-1"}]'
    queries = [seen.query for seen in braze.requests]
    # a phone as E.164, its + encoded; a limit that is not a number is left out
    assert queries == ["phone=%2B14155552671&limit=20", "phone=%2B14155552671"]


def test_a_read_is_repeated_after_a_server_error(nodes, braze, monkeypatch):
    module, _ = nodes.solution.node("BrazeGroupState")
    monkeypatch.setattr(module, "TIME_BUDGET", 3.0)
    braze.reply(503, {"message": "unavailable"})
    braze.reply(200, {"status": {"u-1": "Unsubscribed"}, "message": "success"})

    answer = nodes("BrazeGroupState", {"USER_ID": "u-1", "OTHER_ID": "u-2"})

    assert (answer["success"], answer["STATE"]) == ("true", "Unsubscribed")
    first, second = braze.requests
    assert (first.method, first.path) == (second.method, second.path)


@pytest.mark.parametrize(
    ("name", "payload", "status", "reply", "why"),
    [
        (
            "BrazeFindItem",
            {"CATALOG": "products", "ITEM_ID": "sku-404"},
            404,
            {
                "errors": [{"id": "item-not-found", "message": "Could not find item"}],
                "message": "Invalid Request",
            },
            "the catalog has no such item",
        ),
        (
            "BrazeFindItem",
            {"CATALOG": "products", "ITEM_ID": "sku-1"},
            200,
            {"items": [], "message": "success"},
            "the catalog has no such item",
        ),
        (
            "BrazeGroupState",
            {"USER_ID": "u-1", "OTHER_ID": "u-2"},
            200,
            {"status": {}, "message": "success"},
            "Braze has no subscription state for this user",
        ),
        (
            "BrazeUserGroups",
            {"PHONE": "+14155552671"},
            200,
            {"success": True, "subscription_groups": []},
            "the user has no subscription group history in Braze",
        ),
        (
            "BrazeTrackAndRead",
            {"USER_ID": "u-1", "TIER": "gold"},
            201,
            {"users": [], "message": "success"},
            "Braze updated no profile: no user matches (with _update_existing_only)",
        ),
    ],
)
def test_a_lookup_that_finds_nothing_answers_false(nodes, braze, name, payload, status, reply, why):
    braze.reply(status, reply)

    answer = nodes(name, payload)

    assert (answer["success"], answer["BRAZE_STATUS"], answer["BRAZE_ERROR"]) == (
        "false",
        str(status),
        why,
    )


def test_a_catalog_that_does_not_exist_is_a_broken_integration(nodes, braze):
    braze.reply(404, {"errors": [{"id": "catalog-not-found"}], "message": "Invalid Request"})

    answer = nodes("BrazeFindItem", {"CATALOG": "typo", "ITEM_ID": "sku-1"})

    assert (answer["success"], answer["BRAZE_STATUS"]) == ("error", "404")


def test_a_refused_rename_answers_false(nodes, braze):
    braze.reply(
        201,
        {"message": "success", "external_ids": [], "rename_errors": [[0, "new_external_id taken"]]},
    )

    answer = nodes("BrazeRename", {"USER_ID": "u-1", "NEW_ID": "u-2"})

    assert answer["success"] == "false"
    assert "new_external_id taken" in answer["BRAZE_ERROR"]


def test_a_synchronous_track_reads_the_profile_back(nodes, braze):
    braze.reply(201, {"users": [{"external_id": "u-1", "custom_attributes": {"tier": "gold"}}]})

    answer = nodes("BrazeTrackAndRead", {"USER_ID": "u-1", "TIER": "gold"})

    assert (answer["success"], answer["TIER_NOW"]) == ("true", "gold")
    (seen,) = braze.requests
    assert seen.json == {
        "attributes": [{"external_id": "u-1", "_update_existing_only": True, "tier": "gold"}]
    }


@pytest.mark.parametrize(
    ("status", "message", "success"),
    [
        (
            400,
            "The campaign is paused. Resume the campaign in order for trigger requests "
            "to take effect.",
            "error",
        ),
        (400, "Campaign does not exist", "error"),
        (400, "recipient must name one user", "false"),
    ],
)
def test_a_transactional_campaign_set_up_wrong_is_a_broken_integration(
    nodes, braze, status, message, success
):
    braze.reply(status, {"message": message})

    answer = nodes("BrazeReceipt", {"USER_ID": "u-1"})

    assert (answer["success"], answer["BRAZE_ERROR"]) == (success, message)


_KEYS = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
_TEXTS = st.text(min_size=1, max_size=20)


@given(query=st.dictionaries(_KEYS, st.one_of(_TEXTS, st.lists(_TEXTS, max_size=3))))
def test_a_query_decodes_to_what_the_node_was_given(query):
    """Every key and value survives the query string, a list as key[] once per item, and
    requests sends the query as the node wrote it."""
    text = runtime._query_string(query)
    expected = [
        (key + "[]" if isinstance(value, list) else key, item)
        for key, value in query.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    assert parse_qsl(text, keep_blank_values=True) == expected
    sent = requests.Request("GET", "https://rest.iad-01.braze.com/x?" + text).prepare()
    assert sent.path_url == "/x" + ("?" + text if text else "")
