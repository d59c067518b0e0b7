"""Acceptance: a spec built from Braze's published example request makes the generated node send
exactly that request: its method, its path (URL-encoded), its query and its body.

For each example mapping the solution is generated in memory, written to a temporary folder,
imported under its own package name and run against a strict local stand-in for Braze, which
answers with Braze's documented answer; the node's outputs are read from it.
"""

import functools
import importlib
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from helpers import REPO, TESTS, golden_text
from standin import StandIn

from pypestream_braze.solution.generate import prepare

ROOT = REPO
MAPPINGS = ROOT / "mappings"
GOLDEN = TESTS / "golden" / "endpoints"

ALIAS = {"alias_name": "device123", "alias_label": "example_label"}
PRIORITIZATION = ["unidentified", "most_recently_updated"]

# mapping -> (payload, the method and path Braze is called on, the body Braze must receive); a GET
# takes its query from GETS instead of a body.
CASES = {
    "users_track": (
        {"EMAIL": "jane@example.com", "ACTOR_1": "Actor1", "ACTOR_2": "Actor2"}
        | {"ALIAS_NAME": "device123"},
        "/users/track",
        {
            "attributes": [
                {
                    "email": "jane@example.com",
                    "string_attribute": "fruit",
                    "boolean_attribute_1": True,
                    "integer_attribute": 26,
                    "array_attribute": ["banana", "apple"],
                }
            ],
            "events": [
                {
                    "email": "jane@example.com",
                    "app_id": "your_app_identifier",
                    "name": "rented_movie",
                    "time": "2022-12-06T19:20:45+01:00",
                    "properties": {
                        "release": {"studio": "FilmStudio", "year": "2022"},
                        "cast": [{"name": "Actor1"}, {"name": "Actor2"}],
                    },
                },
                {
                    "user_alias": {
                        "alias_name": "device123",
                        "alias_label": "my_device_identifier",
                    },
                    "app_id": "your_app_identifier",
                    "name": "rented_movie",
                    "time": "2013-07-16T19:20:50+01:00",
                },
            ],
            "purchases": [
                {
                    "email": "jane@example.com",
                    "app_id": "your_app_identifier",
                    "product_id": "product_name",
                    "currency": "USD",
                    "price": 12.12,
                    "quantity": 6,
                    "time": "2017-05-12T18:47:12Z",
                    "properties": {
                        "color": "red",
                        "monogram": "ABC",
                        "checkout_duration": 180,
                        "size": "Large",
                        "brand": "Backpack Locker",
                    },
                }
            ],
        },
    ),
    "users_identify": (
        {"USER_ID": "external_identifier", "ALIAS_NAME": "device123"}
        | {"EMAIL": "john.smith@braze.com", "PHONE": "+15555555555"},
        "/users/identify",
        {
            "aliases_to_identify": [{"external_id": "external_identifier", "user_alias": ALIAS}],
            "emails_to_identify": [
                {
                    "external_id": "external_identifier",
                    "email": "john.smith@braze.com",
                    "prioritization": PRIORITIZATION,
                }
            ],
            "phone_numbers_to_identify": [
                {
                    "external_id": "external_identifier",
                    "phone": "+15555555555",
                    "prioritization": PRIORITIZATION,
                }
            ],
        },
    ),
    "users_alias_new": (
        {"USER_ID": "external_identifier", "ALIAS_NAME": "device123"},
        "/users/alias/new",
        {"user_aliases": [{"external_id": "external_identifier", **ALIAS}]},
    ),
    "users_delete": (
        {"USER_ID": "external_identifier"},
        "/users/delete",
        {"external_ids": ["external_identifier"]},
    ),
    "users_external_ids_remove": (
        {"OLD_USER_ID": "existing_deprecated_external_id_string"},
        "/users/external_ids/remove",
        {"external_ids": ["existing_deprecated_external_id_string"]},
    ),
    "campaigns_trigger_schedule_update": (
        {"BRAZE_SCHEDULE_ID": "schedule_identifier"},
        "/campaigns/trigger/schedule/update",
        {
            "campaign_id": "0f0e2a9c-0000-4000-8000-0000000000c1",
            "schedule_id": "schedule_identifier",
            "schedule": {"time": "2024-05-04T10:30:00Z"},  # NOW plus P3D
        },
    ),
    "canvas_trigger_schedule_update": (
        {"BRAZE_SCHEDULE_ID": "schedule_identifier", "FOLLOW_UP_AT": "24/05/2017 23:30"},
        "/canvas/trigger/schedule/update",
        {
            "canvas_id": "0f0e2a9c-0000-4000-8000-0000000000a1",
            "schedule_id": "schedule_identifier",
            "schedule": {"time": "2017-05-24T21:30:00Z"},  # 23:30 at +02:00
        },
    ),
    "email_bounce_remove": (
        {"EMAIL": "example@braze.com"},
        "/email/bounce/remove",
        {"email": "example@braze.com"},
    ),
    "email_spam_remove": (
        {"EMAIL": "example@braze.com"},
        "/email/spam/remove",
        {"email": "example@braze.com"},
    ),
    "sms_invalid_phone_numbers_remove": (
        {"PHONE": "+1 218 309 5514"},
        "/sms/invalid_phone_numbers/remove",
        {"phone_numbers": ["+12183095514"]},
    ),
    "preference_center_v1_url": (
        {"USER_ID": "user/42 ü"},
        "GET /preference_center/v1/preference_center_external_id/url/user%2F42%20%C3%BC",
        None,
    ),
    "catalogs_items_list": ({}, "GET /catalogs/restaurants/items", None),
    "users_merge": (
        {"OLD_USER_ID": "old-user1", "USER_ID": "new-user2"}
        | {"OLD_EMAIL": "john.smith@braze.com", "EMAIL": "john.smith@example.com"},
        "/users/merge",
        {
            "merge_updates": [
                {
                    "identifier_to_merge": {"external_id": "old-user1"},
                    "identifier_to_keep": {"external_id": "new-user2"},
                },
                {
                    "identifier_to_merge": {
                        "email": "john.smith@braze.com",
                        "prioritization": PRIORITIZATION,
                    },
                    "identifier_to_keep": {
                        "email": "john.smith@example.com",
                        "prioritization": ["identified", "most_recently_updated"],
                    },
                },
            ]
        },
    ),
    "users_export_ids": (
        {"USER_ID": "user_identifier1", "ALIAS_NAME": "device123", "BRAZE_ID": "braze_id1"},
        "/users/export/ids",
        {
            "external_ids": ["user_identifier1"],
            "user_aliases": [ALIAS],
            "braze_id": "braze_id1",
            "fields_to_export": ["first_name", "email", "custom_attributes"],
        },
    ),
    "messages_send": (
        {"USER_ID": "user_identifier1", "CLAIM_ID": "C-42"},
        "/messages/send",
        {
            "broadcast": False,
            "external_user_ids": ["user_identifier1"],
            "campaign_id": "0f0e2a9c-0000-4000-8000-0000000000c1",
            "recipient_subscription_state": "subscribed",
            "messages": {
                "email": {
                    "app_id": "your_app_identifier",
                    "subject": "Your claim C-42",
                    "from": "Acme Insurance <claims@example.com>",
                    "body": "Thank you, we have received your claim.",
                }
            },
        },
    ),
    "campaigns_trigger_send": (
        {"USER_ID": "user_identifier1", "CLAIM_ID": "C-42", "FIRST_NAME": "Jane"},
        "/campaigns/trigger/send",
        {
            "campaign_id": "0f0e2a9c-0000-4000-8000-0000000000c1",
            "trigger_properties": {"source": "chat"},
            "broadcast": False,
            "recipients": [
                {
                    "external_user_id": "user_identifier1",
                    "trigger_properties": {"claim_id": "C-42"},
                    "send_to_existing_only": True,
                    "attributes": {"first_name": "Jane"},
                }
            ],
        },
    ),
    "canvas_trigger_send": (
        {"USER_ID": "user_identifier1", "FIRST_NAME": "Jane"},
        "/canvas/trigger/send",
        {
            "canvas_id": "0f0e2a9c-0000-4000-8000-0000000000a1",
            "context": {"product_name": "shoes", "product_price": 79.99},
            "broadcast": False,
            "recipients": [
                {"external_user_id": "user_identifier1", "context": {"first_name": "Jane"}}
            ],
        },
    ),
    "subscription_status_set": (
        {"USER_ID": "user_identifier1", "EMAIL": "example1@email.com"},
        "/subscription/status/set",
        {
            "subscription_group_id": "0f0e2a9c-0000-4000-8000-0000000000b1",
            "subscription_state": "unsubscribed",
            "external_id": "user_identifier1",
            "email": ["example1@email.com"],
        },
    ),
    "v2_subscription_status_set": (
        {"USER_ID": "user-123"},
        "/v2/subscription/status/set",
        {
            "subscription_groups": [
                {
                    "subscription_group_id": "0f0e2a9c-0000-4000-8000-0000000000b1",
                    "subscription_state": "subscribed",
                    "external_ids": ["user-123"],
                },
                {
                    "subscription_group_id": "0f0e2a9c-0000-4000-8000-0000000000b3",
                    "subscription_state": "subscribed",
                    "external_ids": ["user-123"],
                },
            ]
        },
    ),
    "email_status": (
        {"EMAIL": "example@braze.com"},
        "/email/status",
        {"email": "example@braze.com", "subscription_state": "opted_in"},
    ),
    "users_track_sync": (
        {"USER_ID": "xyz123"},
        "/users/track/sync",
        {
            "attributes": [
                {
                    "external_id": "xyz123",
                    "string_attribute": "fruit",
                    "boolean_attribute_1": True,
                    "integer_attribute": 25,
                    "array_attribute": ["banana", "apple"],
                }
            ]
        },
    ),
    "users_alias_update": (
        {"OLD_ALIAS_NAME": "example_old_alias_name", "NEW_ALIAS_NAME": "example_new_alias_name"},
        "/users/alias/update",
        {
            "alias_updates": [
                {
                    "alias_label": "example_alias_label",
                    "old_alias_name": "example_old_alias_name",
                    "new_alias_name": "example_new_alias_name",
                }
            ]
        },
    ),
    "users_external_ids_rename": (
        {"USER_ID": "existing_external_id", "NEW_USER_ID": "new_external_id"},
        "/users/external_ids/rename",
        {
            "external_id_renames": [
                {
                    "current_external_id": "existing_external_id",
                    "new_external_id": "new_external_id",
                }
            ]
        },
    ),
    "campaigns_trigger_schedule_create": (
        {"USER_ID": "external_user_identifier", "REMINDER_TEXT": "Renew your policy"}
        | {"REMIND_AT": "2024-05-02T09:00:00+02:00"},
        "/campaigns/trigger/schedule/create",
        {
            "campaign_id": "0f0e2a9c-0000-4000-8000-0000000000c1",
            "send_id": "send_identifier",
            "recipients": [
                {
                    "external_user_id": "external_user_identifier",
                    "trigger_properties": {"reminder": "Renew your policy"},
                }
            ],
            "broadcast": False,
            "trigger_properties": {},
            "schedule": {
                "time": "2024-05-02T07:00:00Z",
                "in_local_time": False,
                "at_optimal_time": False,
            },
        },
    ),
    "campaigns_trigger_schedule_delete": (
        {"BRAZE_SCHEDULE_ID": "schedule_identifier"},
        "/campaigns/trigger/schedule/delete",
        {
            "campaign_id": "0f0e2a9c-0000-4000-8000-0000000000c1",
            "schedule_id": "schedule_identifier",
        },
    ),
    "canvas_trigger_schedule_create": (
        {"USER_ID": "external_user_identifier", "TOPIC": "claims"}
        | {"FOLLOW_UP_AT": "02/05/2024 09:00"},
        "/canvas/trigger/schedule/create",
        {
            "canvas_id": "0f0e2a9c-0000-4000-8000-0000000000a1",
            "recipients": [
                {
                    "external_user_id": "external_user_identifier",
                    "canvas_entry_properties": {"topic": "claims"},
                }
            ],
            "broadcast": False,
            "canvas_entry_properties": {},
            # in_local_time: Braze takes the time without a zone
            "schedule": {
                "time": "2024-05-02T09:00:00",
                "in_local_time": True,
                "at_optimal_time": False,
            },
        },
    ),
    "canvas_trigger_schedule_delete": (
        {"BRAZE_SCHEDULE_ID": "schedule_identifier"},
        "/canvas/trigger/schedule/delete",
        {"canvas_id": "0f0e2a9c-0000-4000-8000-0000000000a1", "schedule_id": "schedule_identifier"},
    ),
    "sends_id_create": (
        {"CLAIM_ID": "42"},
        "/sends/id/create",
        {"campaign_id": "0f0e2a9c-0000-4000-8000-0000000000c1", "send_id": "claim-42"},
    ),
    "transactional_v1_campaigns_send": (
        {"ORDER_ID": "b3JkZXItNDI=", "ITEM_COUNT": "3", "USER_ID": "user-123"},
        "/transactional/v1/campaigns/0f0e2a9c-0000-4000-8000-0000000000d1/send",
        {
            "external_send_id": "b3JkZXItNDI=",
            "trigger_properties": {
                "example_string_property": "b3JkZXItNDI=",
                "example_integer_property": 3,
            },
            "recipient": {"external_user_id": "user-123"},
        },
    ),
    "subscription_status_get": (
        {"EMAIL": "example@braze.com"},
        "GET /subscription/status/get",
        None,
    ),
    "subscription_user_status": (
        {"USER_ID": "123456789", "EMAIL": "foo@bar.com"},
        "GET /subscription/user/status",
        None,
    ),
    "catalogs_items": (
        {"RESTAURANT_ID": "restaurant1"},
        "GET /catalogs/restaurants/items/restaurant1",
        None,
    ),
}
# The query each GET sends, decoded, in order.
GETS = {
    "subscription_status_get": [
        ("subscription_group_id", "0f0e2a9c-0000-4000-8000-0000000000b1"),
        ("email", "example@braze.com"),
    ],
    "subscription_user_status": [
        ("external_id", "123456789"),
        ("email", "foo@bar.com"),
        ("limit", "100"),
        ("offset", "0"),
    ],
    "catalogs_items": [],
    "catalogs_items_list": [],
    "preference_center_v1_url": [],
}
# The outputs each node reads from Braze's documented answer.
OUTPUTS = {
    "campaigns_trigger_send": {"BRAZE_DISPATCH_ID": "dispatch-1"},
    "canvas_trigger_send": {"BRAZE_DISPATCH_ID": "dispatch-1"},
    "messages_send": {"BRAZE_DISPATCH_ID": "dispatch-1"},
    "users_export_ids": {"FIRST_NAME": "Jane", "LOYALTY_TIER": ""},
    "users_track_sync": {"BRAZE_INTEGER_ATTRIBUTE": "25"},
    "users_external_ids_rename": {"BRAZE_RENAMED_ID": "new_external_id"},
    "campaigns_trigger_schedule_create": {"BRAZE_SCHEDULE_ID": "schedule-1"},
    "canvas_trigger_schedule_create": {"BRAZE_SCHEDULE_ID": "schedule-1"},
    "sends_id_create": {"BRAZE_SEND_ID": "send-1"},
    "transactional_v1_campaigns_send": {"BRAZE_DISPATCH_ID": "dispatch-1"},
    "subscription_status_get": {"BRAZE_NEWSLETTER_STATE": "Subscribed"},
    "subscription_user_status": {
        "BRAZE_SUBSCRIPTION_GROUPS": '[{"subscription_group_id": "group_id_1", '
        '"subscription_status": "subscribed"}]'
    },
    "catalogs_items": {"BRAZE_RESTAURANT_CITY": "New York"},
    "catalogs_items_list": {
        "BRAZE_FIRST_RESTAURANT": "Restaurant1",
        "BRAZE_SECOND_RESTAURANT": "Restaurant2",
    },
    "preference_center_v1_url": {
        "BRAZE_PREFERENCE_CENTER_URL": "https://www.example.com/preferences"
    },
    "users_external_ids_remove": {"BRAZE_REMOVED_ID": "old_external_id"},
}
# The moment of the call, for the nodes that schedule relative to it.
NOW = "2024-05-01T10:30:00Z"


def test_every_endpoint_has_an_example():
    from pypestream_braze.braze import ENDPOINTS

    assert sorted(CASES) == sorted(e.slug for e in ENDPOINTS.values())
    assert sorted(CASES) == sorted(
        p.stem for p in MAPPINGS.glob("*.yaml") if p.stem != "partner_example"
    )


@functools.cache
def _prepared(name: str):
    return prepare(MAPPINGS / f"{name}.yaml")


def _load_node(prepared, folder: Path):
    """Write the generated files to folder and import the (only) node's class from them."""
    for relative, text in prepared.files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    package = prepared.solution.package
    node = prepared.solution.nodes[0]
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(f"{package}.actions.{node.name}")
        app = importlib.import_module(f"{package}.app")
    finally:
        sys.path.remove(str(folder))
    return app, getattr(module, node.name)


@pytest.fixture
def clean_modules():
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]


@pytest.fixture
def braze():
    stand_in = StandIn()
    yield stand_in
    stand_in.close()
    assert stand_in.problems == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_node_sends_the_documented_request(name, tmp_path, braze, clean_modules):
    payload, where, expected = CASES[name]
    method, _, path = where.rpartition(" ")
    prepared = _prepared(name)
    app, node_class = _load_node(prepared, tmp_path)
    app.PARAMS["sandbox"]["braze_url"] = braze.url
    app.PARAMS["sandbox"]["braze_api_key"] = "test-key"
    endpoint = prepared.solution.nodes[0].endpoint
    braze.reply(endpoint.success_status, endpoint.answer.example)
    sys.modules[node_class.__module__]._now = lambda: NOW
    log: list[str] = []
    result = node_class().execute(log.append, payload, {"env": "sandbox"})
    assert result["success"] == "true", (result, log)
    assert result["BRAZE_SKIPPED"] == ""
    (seen,) = braze.requests
    assert seen.method == (method or "POST")
    assert seen.route == path
    assert seen.headers["Authorization"] == "Bearer test-key"
    assert parse_qsl(seen.query, keep_blank_values=True) == GETS.get(name, [])
    assert seen.json == expected
    outputs = {o.variable for o in prepared.solution.nodes[0].outputs}
    assert {variable: result[variable] for variable in outputs} == OUTPUTS.get(name, {})


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_node(name):
    prepared = _prepared(name)
    node = prepared.solution.nodes[0]
    text = prepared.files[f"{prepared.solution.package}/actions/{node.file_name}"]
    golden = GOLDEN / node.file_name
    text = golden_text(golden.name, text)  # the runtime is kept once: test_golden.py
    assert golden.exists(), f"{golden} is missing; write it with python tests/regenerate.py"
    assert golden.read_text(encoding="utf-8") == text, (
        f"{node.file_name} differs from {golden}; if the change is intended, run "
        "python tests/regenerate.py and read the diff"
    )
