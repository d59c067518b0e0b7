"""The subscription endpoints: set and read group states, and the global email state
(§3.11-§3.13)."""

from __future__ import annotations

from .endpoint import _SUBSCRIPTION_SET_LIMIT, Answer, Endpoint
from .objects import (
    _ONE_OR_MANY,
    _PHONE_E164,
    _PHONES_E164,
    _STRINGS_50,
    GLOBAL_SUBSCRIPTION_STATES,
    SUBSCRIPTION_STATES,
)
from .shapes import _FLAG, ARRAY, INTEGER, MAX_RECIPIENTS, STRING, _arr, _obj, _opt, _req, _s

_EMAILS = _s(
    STRING, ARRAY, items=_s(STRING, as_type="email"), max_items=MAX_RECIPIENTS, as_type="email"
)
SUBSCRIPTION_STATUS_GET = Endpoint(
    "subscription/status/get",
    "Read whether a user is subscribed to one subscription group",
    None,
    method="GET",
    query=_obj(
        {
            "subscription_group_id": _req(_s(STRING)),
            "external_id": _opt(_ONE_OR_MANY),
            "email": _opt(_EMAILS),
            "phone": _opt(_PHONES_E164),
        },
        one_of=("external_id", "email", "phone"),
    ),
    success_status=200,
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
    query=_obj(
        {
            "external_id": _opt(_ONE_OR_MANY),
            "email": _opt(_EMAILS),
            "phone": _opt(_PHONES_E164),
            "limit": _opt(
                _s(INTEGER, as_type="integer", minimum=1, maximum=100), note="at most 100"
            ),
            "offset": _opt(_s(INTEGER, as_type="integer", minimum=0)),
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
    _obj(
        {
            "subscription_group_id": _req(_s(STRING)),
            "subscription_state": _req(_s(STRING, enum=SUBSCRIPTION_STATES)),
            "external_id": _opt(_ONE_OR_MANY),
            "email": _opt(_ONE_OR_MANY),
            "phone": _opt(_PHONES_E164),
            "use_double_opt_in_logic": _opt(_FLAG),
        },
        one_of=("external_id", "email", "phone"),
        exclusive=("email", "phone"),
    ),
    rate_limit=_SUBSCRIPTION_SET_LIMIT,
)
SUBSCRIPTION_STATUS_SET_V2 = Endpoint(
    "v2/subscription/status/set",
    "Subscribe or unsubscribe users to several subscription groups",
    _obj(
        {
            "subscription_groups": _req(
                _arr(
                    _obj(
                        {
                            "subscription_group_id": _req(_s(STRING)),
                            "subscription_state": _req(_s(STRING, enum=SUBSCRIPTION_STATES)),
                            "external_ids": _opt(_STRINGS_50),
                            "emails": _opt(_STRINGS_50),
                            "phones": _opt(_arr(_PHONE_E164, max_items=MAX_RECIPIENTS)),
                            "use_double_opt_in_logic": _opt(_FLAG),
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
)
EMAIL_STATUS = Endpoint(
    "email/status",
    "Set the global email subscription state of addresses",
    _obj(
        {
            "email": _req(_ONE_OR_MANY),
            "subscription_state": _req(_s(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
        }
    ),
)
