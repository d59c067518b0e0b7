"""The subscription endpoints: set and read group states, the global email state,
the lists that stop messages to an address or a number, and a user's preference center."""

from __future__ import annotations

from dataclasses import replace

from .checks import NotBoth, UnmixedItems
from .endpoint import PATH_VALUE, Answer, Endpoint
from .objects import (
    GLOBAL_SUBSCRIPTION_STATES,
    ONE_OR_MANY_STRINGS,
    PHONE_E164,
    PHONES_E164,
    STRING_LIST,
    SUBSCRIPTION_STATES,
)
from .shapes import (
    ARRAY,
    FLAG,
    INTEGER,
    MAX_EXTERNAL_ID_BYTES,
    MAX_RECIPIENTS,
    STRING,
    array,
    obj,
    optional,
    required,
    value,
)

_SUBSCRIPTION_SET_LIMIT = (
    "5,000 requests per minute, shared by subscription/status/set and v2/subscription/status/set"
)

_EMAILS = value(
    STRING, ARRAY, items=value(STRING, as_type="email"), max_items=MAX_RECIPIENTS, as_type="email"
)
SUBSCRIPTION_STATUS_GET = Endpoint(
    "subscription/status/get",
    "Read whether a user is subscribed to one subscription group",
    None,
    method="GET",
    query=obj(
        {
            "subscription_group_id": required(value(STRING)),
            "external_id": optional(ONE_OR_MANY_STRINGS),
            "email": optional(_EMAILS),
            "phone": optional(PHONES_E164),
        },
        one_of=("external_id", "email", "phone"),
    ),
    success_status=200,
    checks=(
        NotBoth(
            ("email", "phone"),
            unless="external_id",
            advice="keep one (email for an email group, phone for an SMS group)",
        ),
    ),
    answer=Answer(
        example={"status": {"user-123": "Subscribed"}, "message": "success"},
        fields=("status", "message"),
        found=("status",),
        nothing="Braze has no subscription state for this user",
    ),
)
SUBSCRIPTION_USER_STATUS = Endpoint(
    "subscription/user/status",
    "List the subscription groups in a user's history",
    None,
    method="GET",
    query=obj(
        {
            "external_id": optional(ONE_OR_MANY_STRINGS),
            "email": optional(_EMAILS),
            "phone": optional(PHONES_E164),
            "limit": optional(
                value(INTEGER, as_type="integer", minimum=1, maximum=100), note="at most 100"
            ),
            "offset": optional(value(INTEGER, as_type="integer", minimum=0)),
        },
        one_of=("external_id", "email", "phone"),
    ),
    permission="subscription.groups.get",
    success_status=200,
    answer=Answer(
        # As documented; Braze has also been seen to answer {"users": [{..., "subscription_groups":
        # [...]}], "total_count": 1, "message": "success"}, so both are read.
        example={
            "success": True,
            "subscription_groups": [
                {"subscription_group_id": "group_id_1", "subscription_status": "subscribed"}
            ],
        },
        fields=("success", "subscription_groups", "users", "total_count", "message"),
        found=("subscription_groups", "users"),
        nothing="the user has no subscription group history in Braze",
    ),
)
SUBSCRIPTION_STATUS_SET = Endpoint(
    "subscription/status/set",
    "Subscribe or unsubscribe users to one subscription group",
    obj(
        {
            "subscription_group_id": required(value(STRING)),
            "subscription_state": required(value(STRING, enum=SUBSCRIPTION_STATES)),
            "external_id": optional(ONE_OR_MANY_STRINGS),
            "email": optional(ONE_OR_MANY_STRINGS),
            "phone": optional(PHONES_E164),
            "use_double_opt_in_logic": optional(FLAG),
        },
        one_of=("external_id", "email", "phone"),
        exclusive=("email", "phone"),
    ),
    rate_limit=_SUBSCRIPTION_SET_LIMIT,
)
SUBSCRIPTION_STATUS_SET_V2 = Endpoint(
    "v2/subscription/status/set",
    "Subscribe or unsubscribe users to several subscription groups",
    obj(
        {
            "subscription_groups": required(
                array(
                    obj(
                        {
                            "subscription_group_id": required(value(STRING)),
                            "subscription_state": required(value(STRING, enum=SUBSCRIPTION_STATES)),
                            "external_ids": optional(STRING_LIST),
                            "emails": optional(STRING_LIST),
                            "phones": optional(array(PHONE_E164, max_items=MAX_RECIPIENTS)),
                            "use_double_opt_in_logic": optional(FLAG),
                        },
                        one_of=("external_ids", "emails", "phones"),
                        exclusive=("emails", "phones"),
                    ),
                    every=True,
                )
            )
        }
    ),
    rate_limit=_SUBSCRIPTION_SET_LIMIT,
    checks=(
        UnmixedItems(
            "subscription_groups",
            ("emails", "phones"),
            what="email groups (emails) and SMS groups (phones)",
            why="Braze takes both in one request only when users are given by external_ids; "
            "use two nodes, or external_ids",
        ),
    ),
)
EMAIL_STATUS = Endpoint(
    "email/status",
    "Set the global email subscription state of addresses",
    obj(
        {
            "email": required(ONE_OR_MANY_STRINGS),
            "subscription_state": required(value(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
        }
    ),
)


# Support fixes: an address or a number taken off the list that stops Braze sending to it. Taking
# it off twice changes nothing, so each is retried like a read.
def _list_removal(path: str, summary: str, key: str, values) -> Endpoint:
    return Endpoint(path, summary, obj({key: required(values)}))


EMAIL_BOUNCE_REMOVE = _list_removal(
    "email/bounce/remove",
    "Take email addresses off the hard bounce lists (Braze's and the email provider's)",
    "email",
    _EMAILS,
)
EMAIL_SPAM_REMOVE = _list_removal(
    "email/spam/remove",
    "Take email addresses off the spam lists (Braze's and the email provider's)",
    "email",
    _EMAILS,
)
# The page's table asks for E.164; its example, and the invalid list Braze answers with
# (GET /sms/invalid_phone_numbers), write the digits without the +. A constant may be either;
# an answer is sent in E.164 (the table), as for every phone number a node converts.
_LISTED_PHONE = value(
    STRING,
    as_type="phone",
    pattern=r"\+?[1-9][0-9]{6,14}",
    pattern_hint="a phone number in E.164 form such as +12183095514 (or 12183095514)",
)
SMS_INVALID_PHONE_NUMBERS_REMOVE = _list_removal(
    "sms/invalid_phone_numbers/remove",
    "Take phone numbers off Braze's invalid list, so they are validated again",
    "phone_numbers",
    array(_LISTED_PHONE, max_items=MAX_RECIPIENTS),
)
# The URL of a user's preference center (new preference centers only), a link the bot can show.
PREFERENCE_CENTER_URL = Endpoint(
    "preference_center/v1/{preferenceCenterExternalID}/url/{userID}",
    "Make the link to a user's own preference center",
    None,
    method="GET",
    permission="preference_center.user.get",
    success_status=200,
    rate_limit="1,000 requests per minute per workspace (fixed)",
    answer=Answer(
        example={"preference_center_url": "https://www.example.com/preferences"},
        fields=("preference_center_url", "message"),
    ),
    # userID is the user's external_id (the page's request parameters name it so).
    path_values={"userID": replace(PATH_VALUE, max_bytes=MAX_EXTERNAL_ID_BYTES)},
)

ENDPOINTS = (
    SUBSCRIPTION_STATUS_SET,
    SUBSCRIPTION_STATUS_SET_V2,
    SUBSCRIPTION_STATUS_GET,
    SUBSCRIPTION_USER_STATUS,
    EMAIL_STATUS,
    EMAIL_BOUNCE_REMOVE,
    EMAIL_SPAM_REMOVE,
    SMS_INVALID_PHONE_NUMBERS_REMOVE,
    PREFERENCE_CENTER_URL,
)
