"""What a node does with the answers themselves, run against the strict stand-in for Braze: an
answer the spec marks required, an unusable answer the flow is told about (BRAZE_SKIPPED), an
answer that breaks Braze's rule for an identifier, a time without a zone, and a schedule
relative to the moment of the call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from standin import StandIn

CONTEXT = {"env": "sandbox", "chat_id": "chat-1"}
HEAD = """version: 1
customer: AcmeInsurance
solution: AcmeRules
environments:
  sandbox: {instance: US-01}
  live: {instance: US-05}
nodes:
"""
PROFILE = HEAD + """  - name: BrazeTrackProfile
    endpoint: users/track
    identifier: {external_id: "{USER_ID}"}
    body:
      attributes:
        - first_name: "{FIRST_NAME}"
          dob: {var: DATE_OF_BIRTH, format: "%d/%m/%Y"@MORE@}
    routing: {node: 100, success: 110, failure: 120, error: 130}
"""
SEND_ID = HEAD + """  - name: BrazeCreateSendId
    endpoint: sends/id/create
    body:
      campaign_id: campaign-1
      send_id: "{CLAIM_ID}"
    routing: {node: 100, success: 110, failure: 120, error: 130}
"""
RECEIPT = HEAD + """  - name: BrazeSendReceipt
    endpoint: transactional/v1/campaigns/{campaign_id}/send
    path: {campaign_id: campaign-1}
    body:
      external_send_id: "order-{ORDER_ID}"
      recipient: {external_user_id: "{USER_ID}"}
    routing: {node: 100, success: 110, failure: 120, error: 130}
"""
CATALOG = HEAD + """  - name: BrazeListProducts
    endpoint: catalogs/{catalog_name}/items
    path: {catalog_name: "{CATALOG}"}
    outputs: {BRAZE_FIRST: "items[0].id"}
    routing: {node: 100, success: 110, failure: 120, error: 130}
"""
REMINDER = HEAD + """  - name: BrazeScheduleReminder
    endpoint: campaigns/trigger/schedule/create
    body:
      campaign_id: campaign-1
      recipients:
        - external_user_id: "{USER_ID}"
      schedule:
        time: @TIME@
    outputs: {BRAZE_SCHEDULE_ID: schedule_id}
    routing: {node: 100, success: 110, failure: 120, error: 130}
"""
CANVAS = HEAD + """  - name: BrazeScheduleCanvas
    endpoint: canvas/trigger/schedule/create
    body:
      canvas_id: canvas-1
      context: {topic: "{TOPIC}"}
      recipients:
        - external_user_id: "{USER_ID}"
          context: {first_name: "{FIRST_NAME}"}
      schedule: {time: {now: PT2H}}
    routing: {node: 100, success: 110, failure: 120, error: 130}
"""


@pytest.fixture
def braze():
    stand_in = StandIn()
    yield stand_in
    stand_in.close()
    assert stand_in.problems == []


@pytest.fixture
def node(generate, braze):
    """node(spec text) -> run(payload) -> the node's answer, called against the stand-in."""

    def make(spec):
        solution = generate(spec)
        params = solution.app.PARAMS["sandbox"]
        params["braze_url"], params["braze_api_key"] = braze.url, "test-key-1234"
        name = next(n.stem for n in (solution.root / solution.package / "actions").glob("B*.py"))
        _, action = solution.node(name)
        return lambda payload: action.execute([].append, dict(payload), dict(CONTEXT))

    return make


def test_an_unusable_answer_is_left_out_and_named_in_braze_skipped(node, braze):
    braze.reply(201, {"message": "success", "attributes_processed": 1})
    run = node(PROFILE.replace("@MORE@", ""))

    answer = run({"USER_ID": "u-1", "FIRST_NAME": "Ada", "DATE_OF_BIRTH": "12/31/1985"})

    assert answer["success"] == "true"
    assert answer["BRAZE_SKIPPED"] == "DATE_OF_BIRTH: not a date in the form DD/MM/YYYY"
    (seen,) = braze.requests
    assert seen.json == {"attributes": [{"external_id": "u-1", "first_name": "Ada"}]}


def test_nothing_skipped_leaves_braze_skipped_empty(node, braze):
    braze.reply(201, {"message": "success", "attributes_processed": 1})
    run = node(PROFILE.replace("@MORE@", ""))

    answer = run({"USER_ID": "u-1", "FIRST_NAME": "Ada", "DATE_OF_BIRTH": "31/12/1985"})

    assert (answer["success"], answer["BRAZE_SKIPPED"]) == ("true", "")
    assert braze.requests[0].json["attributes"][0]["dob"] == "1985-12-31"


@pytest.mark.parametrize(
    "dob, why",
    [
        ("12/31/1985", "DATE_OF_BIRTH: not a date in the form DD/MM/YYYY"),
        ("null", "missing DATE_OF_BIRTH"),
        (None, "missing DATE_OF_BIRTH"),
    ],
)
def test_a_required_answer_missing_or_unusable_stops_the_call(node, braze, dob, why):
    run = node(PROFILE.replace("@MORE@", ", required: true"))
    payload = {"USER_ID": "u-1", "FIRST_NAME": "Ada"}
    if dob is not None:
        payload["DATE_OF_BIRTH"] = dob

    answer = run(payload)

    assert braze.requests == []
    assert (answer["success"], answer["BRAZE_ERROR"], answer["BRAZE_SKIPPED"]) == ("false", why, "")


@pytest.mark.parametrize(
    "claim_id",
    ["claim-Zürich-7", "claim-" + "7" * 70],  # not ASCII; 76 characters
)
def test_a_send_id_answer_braze_would_refuse_is_not_sent(node, braze, claim_id):
    answer = node(SEND_ID)({"CLAIM_ID": claim_id})

    assert braze.requests == []
    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == "CLAIM_ID: not a send_id: at most 64 ASCII characters"


def test_a_send_id_answer_that_fits_is_sent(node, braze):
    braze.reply(201, {"message": "success", "send_id": "claim-42"})
    answer = node(SEND_ID)({"CLAIM_ID": "claim-42"})

    assert answer["success"] == "true"
    assert braze.requests[0].json == {"campaign_id": "campaign-1", "send_id": "claim-42"}


def test_an_external_send_id_filled_from_an_answer_follows_braze_s_pattern(node, braze):
    run = node(RECEIPT)

    answer = run({"ORDER_ID": "A-1001 #7", "USER_ID": "u-1"})

    assert braze.requests == []
    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == (
        "ORDER_ID: not an external_send_id: letters, digits and - _ + / = only"
    )


def test_a_catalog_name_answer_braze_cannot_hold_is_not_called(node, braze):
    run = node(CATALOG)

    answer = run({"CATALOG": "my products"})

    assert braze.requests == []
    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == (
        "CATALOG: not a catalog name: at most 250 letters, digits, - and _"
    )


def test_a_catalog_name_answer_that_fits_is_encoded_into_the_path(node, braze):
    braze.reply(200, {"items": [{"id": "shoe-1"}], "message": "success"})
    answer = node(CATALOG)({"CATALOG": "shoes_2024-b"})

    assert (answer["success"], answer["BRAZE_FIRST"]) == ("true", "shoe-1")
    assert braze.requests[0].route == "/catalogs/shoes_2024-b/items"


def test_a_schedule_three_days_ahead_is_three_days_after_the_call(node, braze):
    braze.reply(201, {"dispatch_id": "d-1", "schedule_id": "s-1", "message": "success"})
    run = node(REMINDER.replace("@TIME@", "{now: P3D}"))
    before = datetime.now(UTC).replace(microsecond=0)

    answer = run({"USER_ID": "u-1"})

    after = datetime.now(UTC)
    assert (answer["success"], answer["BRAZE_SCHEDULE_ID"]) == ("true", "s-1")
    sent = braze.requests[0].json["schedule"]["time"]
    assert sent.endswith("Z")
    moment = datetime.fromisoformat(sent.replace("Z", "+00:00"))
    assert before + timedelta(days=3) <= moment <= after + timedelta(days=3)


def test_a_time_answer_without_a_zone_is_refused_not_taken_as_utc(node, braze):
    run = node(REMINDER.replace("@TIME@", '"{REMIND_AT}"'))

    answer = run({"USER_ID": "u-1", "REMIND_AT": "2030-05-02T09:00:00"})

    assert braze.requests == []
    assert answer["success"] == "false"
    assert answer["BRAZE_ERROR"] == (
        "REMIND_AT: a time without a zone (end it with Z or an offset such as +02:00)"
    )


def test_a_time_answer_without_a_zone_takes_the_zone_the_spec_names(node, braze):
    braze.reply(201, {"dispatch_id": "d-1", "schedule_id": "s-1", "message": "success"})
    run = node(REMINDER.replace("@TIME@", '{var: REMIND_AT, as: datetime, zone: "+02:00"}'))

    answer = run({"USER_ID": "u-1", "REMIND_AT": "2030-05-02T09:00:00"})

    assert answer["success"] == "true"
    assert braze.requests[0].json["schedule"] == {"time": "2030-05-02T07:00:00Z"}
    # An answer that gives its own zone keeps it.
    braze.reply(201, {"dispatch_id": "d-1", "schedule_id": "s-1", "message": "success"})
    run({"USER_ID": "u-1", "REMIND_AT": "2030-05-02T09:00:00-05:00"})
    assert braze.requests[1].json["schedule"] == {"time": "2030-05-02T14:00:00Z"}


def test_a_canvas_schedule_takes_context_as_braze_s_pages_name_it(node, braze):
    braze.reply(201, {"dispatch_id": "d-1", "schedule_id": "s-1", "message": "success"})
    run = node(CANVAS)

    answer = run({"USER_ID": "u-1", "FIRST_NAME": "Ada", "TOPIC": "claims"})

    assert answer["success"] == "true"
    body = braze.requests[0].json
    assert body["context"] == {"topic": "claims"}
    assert body["recipients"] == [{"external_user_id": "u-1", "context": {"first_name": "Ada"}}]
    assert body["schedule"]["time"].endswith("Z")


def test_a_default_stands_in_for_an_identifier_answer_braze_would_refuse(node, braze):
    braze.reply(201, {"message": "success", "send_id": "chat-claim"})
    run = node(SEND_ID.replace('"{CLAIM_ID}"', "{var: CLAIM_ID, default: chat-claim}"))

    answer = run({"CLAIM_ID": "claim-Zürich-7"})

    assert answer["success"] == "true"
    assert answer["BRAZE_SKIPPED"] == "CLAIM_ID: not a send_id: at most 64 ASCII characters"
    assert braze.requests[0].json == {"campaign_id": "campaign-1", "send_id": "chat-claim"}
