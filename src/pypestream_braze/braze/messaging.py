"""The messaging endpoints: send, trigger, schedule, send ids and transactional email."""

from __future__ import annotations

from .endpoint import Answer, Endpoint
from .objects import (
    ATTACHMENT,
    EMAIL_MESSAGE,
    MESSAGE_TYPES,
    OTHER_MESSAGE,
    RECIPIENT_ATTRIBUTES,
    SMS_MESSAGE,
    STRING_LIST,
    USER_ALIAS,
    recipient,
)
from .shapes import (
    DATETIME,
    FLAG,
    MAX_EXTERNAL_ID_BYTES,
    MAX_RECIPIENTS,
    OPEN_OBJECT,
    STRING,
    array,
    essential,
    obj,
    optional,
    required,
    value,
)

_SEND_LIMIT = (
    "250 requests per minute when sent to a segment or audience; otherwise 250,000 per hour, "
    "shared with the other send endpoints"
)
_DISPATCHED = Answer(
    example={"dispatch_id": "dispatch-1", "message": "success"}, fields=("dispatch_id", "message")
)

# The schedule object: when the message goes out. With in_local_time or at_optimal_time the time
# carries no zone designator (Braze applies each user's own zone).
SCHEDULE = obj(
    {
        "time": required(value(DATETIME, as_type="datetime"), note="ISO 8601"),
        "in_local_time": optional(FLAG),
        "at_optimal_time": optional(FLAG),
    }
)
LOCAL_SCHEDULE_FLAGS = ("in_local_time", "at_optimal_time")
LOCAL_SCHEDULE = obj(
    {
        **SCHEDULE.fields,
        "time": required(
            value(DATETIME, as_type="local_datetime"),
            note="without a zone, such as 2024-05-01T10:30:00",
        ),
    }
)
_SCHEDULED = Answer(
    example={"dispatch_id": "dispatch-1", "schedule_id": "schedule-1", "message": "success"},
    fields=("dispatch_id", "schedule_id", "message"),
)
_TWICE = "a repeat would schedule the message twice"
# API identifier types page: a send_id is ASCII, at most 64 characters.
SEND_ID = value(STRING, identifier="send_id")


def _schedule_create(kind: str, id_key: str, properties_keys: tuple[str, ...]) -> Endpoint:
    """A Canvas takes its entry properties as context (current pages) or canvas_entry_properties
    (the older name, still in the schedule pages' examples), never both."""
    return Endpoint(
        f"{kind}/trigger/schedule/create",
        f"Schedule an API-triggered {'campaign' if kind == 'campaigns' else 'Canvas'}",
        obj(
            {
                id_key: required(value(STRING)),
                **({"send_id": optional(SEND_ID)} if kind == "campaigns" else {}),
                "recipients": optional(
                    array(recipient(*properties_keys), max_items=MAX_RECIPIENTS)
                ),
                "audience": essential(OPEN_OBJECT, note="narrows who receives it"),
                "broadcast": optional(FLAG),
                **{key: optional(OPEN_OBJECT) for key in properties_keys},
                "schedule": required(SCHEDULE),
            },
            exclusive=properties_keys if len(properties_keys) > 1 else (),
        ),
        repeat_safe=False,
        unsafe=_TWICE,
        audience_keys=("recipients",),
        rate_limit=_SEND_LIMIT,
        answer=_SCHEDULED,
    )


def _schedule_update(kind: str, id_key: str) -> Endpoint:
    """A new schedule replaces the one a schedule was created with, whole: without
    in_local_time it is sent at the time in UTC."""
    return Endpoint(
        f"{kind}/trigger/schedule/update",
        f"Move a scheduled API-triggered {'campaign' if kind == 'campaigns' else 'Canvas'} "
        "to another time",
        obj(
            {
                id_key: required(value(STRING)),
                "schedule_id": required(
                    value(STRING), note="from the answer that created the schedule"
                ),
                "schedule": required(SCHEDULE),
            }
        ),
    )


def _schedule_delete(kind: str, id_key: str) -> Endpoint:
    return Endpoint(
        f"{kind}/trigger/schedule/delete",
        f"Cancel a scheduled API-triggered {'campaign' if kind == 'campaigns' else 'Canvas'}",
        obj(
            {
                id_key: required(value(STRING)),
                "schedule_id": required(
                    value(STRING), note="from the answer that created the schedule"
                ),
            }
        ),
    )


SCHEDULE_ENDPOINTS = (
    _schedule_create("campaigns", "campaign_id", ("trigger_properties",)),
    _schedule_update("campaigns", "campaign_id"),
    _schedule_delete("campaigns", "campaign_id"),
    _schedule_create("canvas", "canvas_id", ("context", "canvas_entry_properties")),
    _schedule_update("canvas", "canvas_id"),
    _schedule_delete("canvas", "canvas_id"),
)
SENDS_ID_CREATE = Endpoint(
    "sends/id/create",
    "Create a send identifier to track a campaign's sends by",
    obj({"campaign_id": required(value(STRING)), "send_id": optional(SEND_ID)}),
    repeat_safe=False,
    unsafe="each send id created counts toward Braze's 100 a day",
    rate_limit="100 send identifiers a day per workspace",
    answer=Answer(
        example={"message": "success", "send_id": "send-1"}, fields=("message", "send_id")
    ),
)
# A transactional email goes to exactly one user; external_send_id is Braze's de-duplication key
# for 24 hours, so a request that carries it may be repeated.
TRANSACTIONAL_SEND = Endpoint(
    "transactional/v1/campaigns/{campaign_id}/send",
    "Send a transactional email (a receipt, a password reset) to one user",
    obj(
        {
            "external_send_id": essential(
                value(STRING, identifier="external_send_id"),
                note="de-duplicates sends for 24 hours",
            ),
            "trigger_properties": optional(OPEN_OBJECT),
            "recipient": required(
                obj(
                    {
                        "external_user_id": optional(
                            value(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES)
                        ),
                        "user_alias": optional(USER_ALIAS),
                        "attributes": optional(RECIPIENT_ATTRIBUTES),
                    },
                    one_of=("external_user_id", "user_alias"),
                    exclusive=("external_user_id", "user_alias"),
                )
            ),
        }
    ),
    repeat_safe=False,
    dedupe_key="external_send_id",
    permission="transactional.send",
    rate_limit="none of its own: your package's hourly volume is covered by SLA, and requests "
    "count toward the 250,000 per hour shared by most endpoints",
    answer=Answer(
        example={"dispatch_id": "dispatch-1", "status": "queued", "metadata": {}},
        fields=("dispatch_id", "status", "metadata", "message"),
        broken=(
            "the campaign is not a transactional campaign",
            "campaign does not exist",
            "the campaign is archived",
            "the campaign is paused",
            "campaign_id must be a string",
        ),
    ),
)
MESSAGES_SEND = Endpoint(
    "messages/send",
    "Send a message right away to users or a segment",
    obj(
        {
            "broadcast": optional(FLAG),
            "external_user_ids": optional(STRING_LIST),
            "user_aliases": optional(array(USER_ALIAS, max_items=MAX_RECIPIENTS)),
            "segment_id": essential(value(STRING), note="narrows who receives it"),
            "audience": essential(OPEN_OBJECT, note="narrows who receives it"),
            "campaign_id": essential(value(STRING), note="the campaign it is tracked under"),
            "send_id": optional(SEND_ID),
            "override_frequency_capping": optional(FLAG),
            "recipient_subscription_state": optional(
                value(STRING, enum=("opted_in", "subscribed", "all"))
            ),
            "messages": required(
                obj(
                    {
                        name: optional(
                            {"email": EMAIL_MESSAGE, "sms": SMS_MESSAGE}.get(name, OTHER_MESSAGE)
                        )
                        for name in MESSAGE_TYPES
                    },
                    content=True,
                )
            ),
        }
    ),
    repeat_safe=False,
    success_status=201,
    audience_keys=("external_user_ids", "user_aliases"),
    rate_limit=_SEND_LIMIT,
    answer=_DISPATCHED,
)
CAMPAIGNS_TRIGGER_SEND = Endpoint(
    "campaigns/trigger/send",
    "Trigger an API-triggered campaign",
    obj(
        {
            "campaign_id": required(value(STRING)),
            "send_id": optional(SEND_ID),
            "trigger_properties": optional(OPEN_OBJECT),
            "broadcast": optional(FLAG),
            "audience": essential(OPEN_OBJECT, note="narrows who receives it"),
            "recipients": optional(
                array(recipient("trigger_properties"), max_items=MAX_RECIPIENTS)
            ),
            "attachments": essential(array(ATTACHMENT, every=True)),
        }
    ),
    repeat_safe=False,
    audience_keys=("recipients",),
    rate_limit=_SEND_LIMIT,
    answer=_DISPATCHED,
)
CANVAS_TRIGGER_SEND = Endpoint(
    "canvas/trigger/send",
    "Trigger an API-triggered Canvas",
    obj(
        {
            "canvas_id": required(value(STRING)),
            "context": optional(OPEN_OBJECT, note="Canvas entry properties, at most 50 KB"),
            "canvas_entry_properties": optional(
                OPEN_OBJECT, note="the older name of context; give one of them"
            ),
            "broadcast": optional(FLAG),
            "audience": essential(OPEN_OBJECT, note="narrows who receives it"),
            "recipients": optional(
                array(
                    recipient("context", "canvas_entry_properties"),
                    max_items=MAX_RECIPIENTS,
                )
            ),
        },
        exclusive=("context", "canvas_entry_properties"),
    ),
    repeat_safe=False,
    audience_keys=("recipients",),
    rate_limit=_SEND_LIMIT,
    answer=_DISPATCHED,
)

ENDPOINTS = (
    MESSAGES_SEND,
    CAMPAIGNS_TRIGGER_SEND,
    CANVAS_TRIGGER_SEND,
    *SCHEDULE_ENDPOINTS,
    SENDS_ID_CREATE,
    TRANSACTIONAL_SEND,
)
