"""Acceptance: a spec built from Braze's published example request makes the generated node send
a body equal to that example.

For each example mapping the solution is generated in memory, written to a temporary folder,
imported under its own package name and run against a real local HTTP server.
"""

import functools
import importlib
import os
import sys
from pathlib import Path

import pytest

from pypestream_braze.solution.generate import prepare

ROOT = Path(__file__).resolve().parent.parent
MAPPINGS = ROOT / "mappings"
GOLDEN = Path(__file__).resolve().parent / "golden" / "endpoints"

ALIAS = {"alias_name": "device123", "alias_label": "example_label"}
PRIORITIZATION = ["unidentified", "most_recently_updated"]

# mapping -> (payload, the path Braze is called on, the body Braze must receive)
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
        {"USER_ID": "external_identifier", "ALIAS_NAME": "device123", "BRAZE_ID": "braze_id1"}
        | {"EMAIL": "john.smith@braze.com", "PHONE": "+15555555555"},
        "/users/delete",
        {
            "external_ids": ["external_identifier"],
            "user_aliases": [ALIAS],
            "braze_ids": ["braze_id1"],
            "email_addresses": [
                {"email": "john.smith@braze.com", "prioritization": PRIORITIZATION}
            ],
            "phone_numbers": [{"phone": "+15555555555", "prioritization": PRIORITIZATION}],
        },
    ),
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
}


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


@pytest.mark.parametrize("name", sorted(CASES))
def test_node_sends_the_documented_body(name, tmp_path, httpserver, clean_modules):
    payload, path, expected = CASES[name]
    prepared = _prepared(name)
    app, node_class = _load_node(prepared, tmp_path)
    app.PARAMS["sandbox"]["braze_url"] = httpserver.url_for("/")
    app.PARAMS["sandbox"]["braze_api_key"] = "test-key"
    answer = {"message": "success", "dispatch_id": "d-1", "users": [{"first_name": "Jane"}]}
    httpserver.expect_oneshot_request(path, method="POST").respond_with_json(answer, status=201)
    log: list[str] = []
    result = node_class().execute(log.append, payload, {"env": "sandbox"})
    assert result["success"] == "true", (result, log)
    assert len(httpserver.log) == 1
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == "Bearer test-key"
    assert request.get_json() == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_node(name):
    prepared = _prepared(name)
    node = prepared.solution.nodes[0]
    text = prepared.files[f"{prepared.solution.package}/actions/{node.file_name}"]
    golden = GOLDEN / node.file_name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.exists(), f"{golden} is missing; create it with UPDATE_GOLDEN=1 pytest"
    assert golden.read_text(encoding="utf-8") == text, (
        f"{node.file_name} differs from {golden}; if the change is intended, regenerate with "
        "UPDATE_GOLDEN=1 pytest tests/test_endpoints.py and review the diff"
    )
