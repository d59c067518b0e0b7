"""The objects Braze's endpoints share: user aliases and identifiers, profile attributes, events,
purchases (§3.1), recipients, messages (§3.8) and the values of URL path parameters."""

from __future__ import annotations

from collections.abc import Mapping

from .shapes import (
    _FLAG,
    _OPEN,
    _PROPERTIES,
    _TEXT,
    ANY,
    ARRAY,
    CUSTOM_VALUE,
    DATE,
    DATETIME,
    E164,
    INTEGER,
    MAX_ALIAS_BYTES,
    MAX_EXTERNAL_ID_BYTES,
    MAX_PURCHASE_QUANTITY,
    MAX_RECIPIENTS,
    MAX_STRING,
    NUMBER,
    OBJECT,
    STRING,
    Field,
    Shape,
    _arr,
    _key,
    _obj,
    _opt,
    _req,
    _s,
)

SUBSCRIPTION_STATES = ("subscribed", "unsubscribed")
GLOBAL_SUBSCRIPTION_STATES = ("opted_in", "subscribed", "unsubscribed")
PRIORITIZATION = ("identified", "unidentified", "most_recently_updated", "least_recently_updated")
USER_ALIAS = _obj(
    {
        "alias_name": _req(_s(STRING, max_bytes=MAX_ALIAS_BYTES)),
        "alias_label": _req(_s(STRING, max_bytes=MAX_ALIAS_BYTES)),
    }
)
# §3.3: identified and unidentified exclude each other in a prioritization list.
_PRIORITIZATION = Shape(
    kinds=(ARRAY,),
    items=_s(STRING, enum=PRIORITIZATION),
    exclusive_items=("identified", "unidentified"),
)
# §3.1.1: the identifiers of a users/track object. Primary ones exclude each other.
PRIMARY_IDENTIFIERS = ("external_id", "user_alias", "braze_id")
SECONDARY_IDENTIFIERS = ("email", "phone")
TRACK_IDENTIFIERS: Mapping[str, Field] = {
    "external_id": _opt(_s(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES)),
    "user_alias": _opt(USER_ALIAS),
    "braze_id": _opt(_s(STRING)),
    "email": _opt(_s(STRING, as_type="email")),
    "phone": _opt(_s(STRING, as_type="phone")),
}
_SUBSCRIPTION_GROUP = _obj(
    {
        "subscription_group_id": _req(_s(STRING)),
        "subscription_state": _req(_s(STRING, enum=SUBSCRIPTION_STATES)),
        "use_double_opt_in_logic": _opt(_FLAG),
    }
)
# §3.1.3: standard profile fields. Names are case-sensitive; a near miss becomes a custom attribute.
STANDARD_ATTRIBUTES: Mapping[str, Field] = {
    "first_name": _opt(_TEXT),
    "last_name": _opt(_TEXT),
    "email": _opt(_s(STRING, as_type="email")),
    "phone": _opt(_s(STRING, as_type="phone")),
    "dob": _opt(_s(DATE, as_type="date")),
    "home_city": _opt(_TEXT),
    "country": _opt(_s(STRING, as_type="country")),
    "language": _opt(_s(STRING, as_type="language")),
    "time_zone": _opt(_s(STRING)),
    "gender": _opt(_s(STRING, enum=("M", "F", "O", "N", "P"), as_type="gender")),
    "email_subscribe": _opt(_s(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
    "push_subscribe": _opt(_s(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
    "subscription_groups": _opt(_arr(_SUBSCRIPTION_GROUP)),
    "email_open_tracking_disabled": _opt(_FLAG),
    "email_click_tracking_disabled": _opt(_FLAG),
    "current_location": _opt(_obj({"longitude": _req(_s(NUMBER)), "latitude": _req(_s(NUMBER))})),
    "date_of_first_session": _opt(_s(DATETIME, as_type="datetime")),
    "date_of_last_session": _opt(_s(DATETIME, as_type="datetime")),
    "marked_email_as_spam_at": _opt(_s(DATETIME, as_type="datetime")),
    "push_tokens": _opt(
        _arr(
            _obj(
                {
                    "app_id": _req(_s(STRING)),
                    "token": _req(_s(STRING)),
                    "device_id": _opt(_s(STRING)),
                }
            )
        )
    ),
    "push_token_import": _opt(_FLAG),
    "facebook": _opt(_obj(custom="attribute")),
    "twitter": _opt(_obj(custom="attribute")),
    "image_url": _opt(_s(STRING)),
    "_update_existing_only": _opt(_FLAG),
}
# Keys that look like fields but are not: Braze drops them or stores them as custom attributes.
RETIRED_ATTRIBUTES = {"bio": "Braze no longer processes 'bio', not even as a custom attribute"}
ATTRIBUTES_OBJECT = _obj(
    {**TRACK_IDENTIFIERS, **STANDARD_ATTRIBUTES},
    custom="attribute",
    custom_values=CUSTOM_VALUE,
    identified=True,
)
EVENT_OBJECT = _obj(
    {
        **TRACK_IDENTIFIERS,
        "app_id": _opt(_s(STRING)),
        "name": _req(
            _s(
                STRING,
                max_length=MAX_STRING,
                pattern=r"[^$].*",
                pattern_hint="an event name Braze accepts: it must not start with '$'",
            )
        ),
        "time": _key(_s(DATETIME, as_type="datetime"), note="defaults to the moment of the call"),
        "properties": _opt(_PROPERTIES),
        "_update_existing_only": _opt(_FLAG),
    },
    identified=True,
)
PURCHASE_OBJECT = _obj(
    {
        **TRACK_IDENTIFIERS,
        "app_id": _opt(_s(STRING)),
        "product_id": _req(_s(STRING, max_length=MAX_STRING)),
        "currency": _req(
            _s(STRING, pattern="[A-Z]{3}", pattern_hint="a three-letter ISO 4217 code such as USD"),
            note="ISO 4217 code such as USD",
        ),
        "price": _req(_s(NUMBER, as_type="float")),
        "quantity": _opt(
            _s(INTEGER, as_type="integer", minimum=1, maximum=MAX_PURCHASE_QUANTITY),
            note="1 to 100",
        ),
        "time": _key(_s(DATETIME, as_type="datetime"), note="defaults to the moment of the call"),
        "properties": _opt(_PROPERTIES),
        "_update_existing_only": _opt(_FLAG),
    },
    identified=True,
)
# Objects that name a recipient of a message: exactly one of these identifiers.
RECIPIENT_IDENTIFIERS = ("external_user_id", "user_alias", "braze_id", "email")
_RECIPIENT_ATTRIBUTES = _obj(
    dict(STANDARD_ATTRIBUTES), custom="attribute", custom_values=CUSTOM_VALUE
)


def _recipient(*properties_keys: str) -> Shape:
    """A recipients item: one identifier, and properties under one of properties_keys."""
    return _obj(
        {
            "external_user_id": _opt(_s(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES)),
            "user_alias": _opt(USER_ALIAS),
            "braze_id": _opt(_s(STRING)),
            "email": _opt(_s(STRING, as_type="email")),
            "prioritization": _opt(_PRIORITIZATION),
            **{key: _opt(_OPEN) for key in properties_keys},
            "send_to_existing_only": _opt(_FLAG),
            "attributes": _opt(_RECIPIENT_ATTRIBUTES),
        },
        one_of=RECIPIENT_IDENTIFIERS,
        exclusive=RECIPIENT_IDENTIFIERS,
        needs=(("email", "prioritization"),),
    )


def _identifier_object(with_prioritization: bool) -> Shape:
    fields: dict[str, Field] = {
        "external_id": _opt(_s(STRING)),
        "user_alias": _opt(USER_ALIAS),
        "email": _opt(_s(STRING, as_type="email")),
        "phone": _opt(_s(STRING, as_type="phone")),
    }
    needs: tuple[tuple[str, str], ...] = ()
    if with_prioritization:
        fields["prioritization"] = _opt(_PRIORITIZATION)
        needs = (("email", "prioritization"), ("phone", "prioritization"))
    keys = ("external_id", "user_alias", "email", "phone")
    return _obj(fields, one_of=keys, exclusive=keys, needs=needs)


EXPORT_FIELDS = (
    "apps", "attributed_campaign", "attributed_source", "attributed_adgroup", "attributed_ad",
    "braze_id", "campaigns_received", "canvases_received", "cards_clicked", "country",
    "created_at", "custom_attributes", "custom_events", "devices", "dob", "email",
    "email_subscribe", "external_id", "first_name", "gender", "home_city", "language",
    "last_coordinates", "last_name", "phone", "purchases", "push_subscribe", "push_tokens",
    "random_bucket", "time_zone", "total_revenue", "uninstalled_at", "user_aliases",
)  # fmt: skip
MESSAGE_TYPES = (
    "apple_push", "android_push", "content_card", "email", "kindle_push", "web_push",
    "webhook", "whats_app", "sms",
)  # fmt: skip
_STRINGS_50 = _arr(_s(STRING), max_items=MAX_RECIPIENTS)
_ONE_OR_MANY = _s(STRING, ARRAY, items=_s(STRING), max_items=MAX_RECIPIENTS)
_E164_HINT = "a phone number in E.164 form such as +15043277269"
_PHONE_E164 = _s(STRING, as_type="phone", pattern=E164, pattern_hint=_E164_HINT)
_PHONES_E164 = _s(
    STRING,
    ARRAY,
    items=_PHONE_E164,
    max_items=MAX_RECIPIENTS,
    as_type="phone",
    pattern=E164,
    pattern_hint=_E164_HINT,
)
# §3.8 and Braze's messaging objects: what a message is made of. Every value a spec writes
# in a message must be sent (content=True); other channels are open objects.
_ATTACHMENT = _obj({"file_name": _req(_s(STRING)), "url": _req(_s(STRING))})
EMAIL_MESSAGE = _obj(
    {
        "app_id": _req(_s(STRING)),
        "subject": _opt(_s(STRING)),
        "from": _req(_s(STRING), note="such as Acme <claims@example.com>"),
        "reply_to": _opt(_s(STRING)),
        "bcc": _opt(_s(STRING)),
        "body": _opt(_s(STRING), note="HTML; or give email_template_id"),
        "plaintext_body": _opt(_s(STRING)),
        "preheader": _opt(_s(STRING)),
        "email_template_id": _opt(_s(STRING)),
        "message_variation_id": _opt(_s(STRING)),
        "extras": _opt(_OPEN),
        "headers": _opt(_OPEN),
        "should_inline_css": _opt(_FLAG),
        "attachments": _opt(_arr(_ATTACHMENT, every=True)),
    },
    one_of=("body", "email_template_id"),
    content=True,
)
SMS_MESSAGE = _obj(
    {
        "subscription_group_id": _req(_s(STRING)),
        "message_variation_id": _opt(_s(STRING)),
        "body": _req(_s(STRING)),
        "app_id": _req(_s(STRING)),
        "media_items": _opt(_arr(_s(ANY))),
        "link_shortening_enabled": _opt(_FLAG),
        "user_click_tracking_enabled": _opt(_FLAG),
    },
    content=True,
)
_OTHER_MESSAGE = Shape(kinds=(OBJECT,), custom="property", content=True)
