"""The messaging endpoints: send, trigger, schedule, send ids and transactional email
(§3.8-§3.10)."""

from __future__ import annotations

from .endpoint import _DISPATCHED, _SEND_LIMIT, Answer, Endpoint
from .objects import (
    _ATTACHMENT,
    _OTHER_MESSAGE,
    _RECIPIENT_ATTRIBUTES,
    _STRINGS_50,
    EMAIL_MESSAGE,
    MESSAGE_TYPES,
    SMS_MESSAGE,
    USER_ALIAS,
    _recipient,
)
from .shapes import (
    _FLAG,
    _OPEN,
    DATETIME,
    MAX_EXTERNAL_ID_BYTES,
    MAX_RECIPIENTS,
    STRING,
    _arr,
    _key,
    _obj,
    _opt,
    _req,
    _s,
)

# The schedule object: when the message goes out. With in_local_time or at_optimal_time the time
# carries no zone designator (Braze applies each user's own zone).
SCHEDULE = _obj(
    {
        "time": _req(_s(DATETIME, as_type="datetime"), note="ISO 8601"),
        "in_local_time": _opt(_FLAG),
        "at_optimal_time": _opt(_FLAG),
    }
)
LOCAL_SCHEDULE_FLAGS = ("in_local_time", "at_optimal_time")
LOCAL_SCHEDULE = _obj(
    {
        **SCHEDULE.fields,
        "time": _req(
            _s(DATETIME, as_type="local_datetime"),
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
SEND_ID = _s(STRING, identifier="send_id")


def _schedule_create(kind: str, id_key: str, properties_keys: tuple[str, ...]) -> Endpoint:
    """A Canvas takes its entry properties as context (current pages) or canvas_entry_properties
    (the older name, still in the schedule pages' examples), never both."""
    return Endpoint(
        f"{kind}/trigger/schedule/create",
        f"Schedule an API-triggered {'campaign' if kind == 'campaigns' else 'Canvas'}",
        _obj(
            {
                id_key: _req(_s(STRING)),
                **({"send_id": _opt(SEND_ID)} if kind == "campaigns" else {}),
                "recipients": _opt(_arr(_recipient(*properties_keys), max_items=MAX_RECIPIENTS)),
                "audience": _key(_OPEN, note="narrows who receives it"),
                "broadcast": _opt(_FLAG),
                **{key: _opt(_OPEN) for key in properties_keys},
                "schedule": _req(SCHEDULE),
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
        _obj(
            {
                id_key: _req(_s(STRING)),
                "schedule_id": _req(_s(STRING), note="from the answer that created the schedule"),
                "schedule": _req(SCHEDULE),
            }
        ),
    )


def _schedule_delete(kind: str, id_key: str) -> Endpoint:
    return Endpoint(
        f"{kind}/trigger/schedule/delete",
        f"Cancel a scheduled API-triggered {'campaign' if kind == 'campaigns' else 'Canvas'}",
        _obj(
            {
                id_key: _req(_s(STRING)),
                "schedule_id": _req(_s(STRING), note="from the answer that created the schedule"),
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
    _obj({"campaign_id": _req(_s(STRING)), "send_id": _opt(SEND_ID)}),
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
    _obj(
        {
            "external_send_id": _key(
                _s(STRING, identifier="external_send_id"),
                note="de-duplicates sends for 24 hours",
            ),
            "trigger_properties": _opt(_OPEN),
            "recipient": _req(
                _obj(
                    {
                        "external_user_id": _opt(_s(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES)),
                        "user_alias": _opt(USER_ALIAS),
                        "attributes": _opt(_RECIPIENT_ATTRIBUTES),
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
    _obj(
        {
            "broadcast": _opt(_FLAG),
            "external_user_ids": _opt(_STRINGS_50),
            "user_aliases": _opt(_arr(USER_ALIAS, max_items=MAX_RECIPIENTS)),
            "segment_id": _key(_s(STRING), note="narrows who receives it"),
            "audience": _key(_OPEN, note="narrows who receives it"),
            "campaign_id": _key(_s(STRING), note="the campaign it is tracked under"),
            "send_id": _opt(SEND_ID),
            "override_frequency_capping": _opt(_FLAG),
            "recipient_subscription_state": _opt(
                _s(STRING, enum=("opted_in", "subscribed", "all"))
            ),
            "messages": _req(
                _obj(
                    {
                        name: _opt(
                            {"email": EMAIL_MESSAGE, "sms": SMS_MESSAGE}.get(name, _OTHER_MESSAGE)
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
    _obj(
        {
            "campaign_id": _req(_s(STRING)),
            "send_id": _opt(SEND_ID),
            "trigger_properties": _opt(_OPEN),
            "broadcast": _opt(_FLAG),
            "audience": _key(_OPEN, note="narrows who receives it"),
            "recipients": _opt(_arr(_recipient("trigger_properties"), max_items=MAX_RECIPIENTS)),
            "attachments": _key(_arr(_ATTACHMENT, every=True)),
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
    _obj(
        {
            "canvas_id": _req(_s(STRING)),
            "context": _opt(_OPEN, note="Canvas entry properties, at most 50 KB"),
            "canvas_entry_properties": _opt(
                _OPEN, note="the older name of context; give one of them"
            ),
            "broadcast": _opt(_FLAG),
            "audience": _key(_OPEN, note="narrows who receives it"),
            "recipients": _opt(
                _arr(
                    _recipient("context", "canvas_entry_properties"),
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
