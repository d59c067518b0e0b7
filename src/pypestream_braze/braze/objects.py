"""The objects Braze's endpoints share: user aliases and identifiers, profile attributes, events,
purchases, recipients, messages and the values of URL path parameters."""

from __future__ import annotations

from collections.abc import Mapping

from .shapes import (
    ANY,
    ARRAY,
    CUSTOM_VALUE,
    DATE,
    DATETIME,
    E164,
    FLAG,
    INTEGER,
    MAX_ALIAS_BYTES,
    MAX_EXTERNAL_ID_BYTES,
    MAX_PURCHASE_QUANTITY,
    MAX_RECIPIENTS,
    MAX_STRING,
    NUMBER,
    OBJECT,
    OPEN_OBJECT,
    PROPERTIES,
    STRING,
    TEXT,
    Field,
    Shape,
    array,
    essential,
    obj,
    optional,
    required,
    value,
)

SUBSCRIPTION_STATES = ("subscribed", "unsubscribed")
GLOBAL_SUBSCRIPTION_STATES = ("opted_in", "subscribed", "unsubscribed")
PRIORITIZATION = ("identified", "unidentified", "most_recently_updated", "least_recently_updated")
USER_ALIAS = obj(
    {
        "alias_name": required(value(STRING, max_bytes=MAX_ALIAS_BYTES)),
        "alias_label": required(value(STRING, max_bytes=MAX_ALIAS_BYTES)),
    }
)
# users/identify: identified and unidentified exclude each other in a prioritization list.
PRIORITIZATION_LIST = Shape(
    kinds=(ARRAY,),
    items=value(STRING, enum=PRIORITIZATION),
    exclusive_items=("identified", "unidentified"),
)
# The identifiers of a users/track object (its page). Primary ones exclude each other.
PRIMARY_IDENTIFIERS = ("external_id", "user_alias", "braze_id")
SECONDARY_IDENTIFIERS = ("email", "phone")
TRACK_IDENTIFIERS: Mapping[str, Field] = {
    "external_id": optional(value(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES)),
    "user_alias": optional(USER_ALIAS),
    "braze_id": optional(value(STRING)),
    "email": optional(value(STRING, as_type="email")),
    "phone": optional(value(STRING, as_type="phone")),
}
_SUBSCRIPTION_GROUP = obj(
    {
        "subscription_group_id": required(value(STRING)),
        "subscription_state": required(value(STRING, enum=SUBSCRIPTION_STATES)),
        "use_double_opt_in_logic": optional(FLAG),
    }
)
# The user attributes object's standard profile fields. Names are case-sensitive; a near miss
# becomes a custom attribute.
STANDARD_ATTRIBUTES: Mapping[str, Field] = {
    "first_name": optional(TEXT),
    "last_name": optional(TEXT),
    "email": optional(value(STRING, as_type="email")),
    "phone": optional(value(STRING, as_type="phone")),
    "dob": optional(value(DATE, as_type="date")),
    "home_city": optional(TEXT),
    "country": optional(value(STRING, as_type="country")),
    "language": optional(value(STRING, as_type="language")),
    "time_zone": optional(value(STRING)),
    "gender": optional(value(STRING, enum=("M", "F", "O", "N", "P"), as_type="gender")),
    "email_subscribe": optional(value(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
    "push_subscribe": optional(value(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
    "subscription_groups": optional(array(_SUBSCRIPTION_GROUP)),
    "email_open_tracking_disabled": optional(FLAG),
    "email_click_tracking_disabled": optional(FLAG),
    "current_location": optional(
        obj({"longitude": required(value(NUMBER)), "latitude": required(value(NUMBER))})
    ),
    "date_of_first_session": optional(value(DATETIME, as_type="datetime")),
    "date_of_last_session": optional(value(DATETIME, as_type="datetime")),
    "marked_email_as_spam_at": optional(value(DATETIME, as_type="datetime")),
    "push_tokens": optional(
        array(
            obj(
                {
                    "app_id": required(value(STRING)),
                    "token": required(value(STRING)),
                    "device_id": optional(value(STRING)),
                }
            )
        )
    ),
    "push_token_import": optional(FLAG),
    "facebook": optional(obj(custom="attribute")),
    "twitter": optional(obj(custom="attribute")),
    "image_url": optional(value(STRING)),
    "_update_existing_only": optional(FLAG),
}
# Keys that look like fields but are not: Braze drops them or stores them as custom attributes.
RETIRED_ATTRIBUTES = {"bio": "Braze no longer processes 'bio', not even as a custom attribute"}
ATTRIBUTES_OBJECT = obj(
    {**TRACK_IDENTIFIERS, **STANDARD_ATTRIBUTES},
    custom="attribute",
    custom_values=CUSTOM_VALUE,
    identified=True,
)
EVENT_OBJECT = obj(
    {
        **TRACK_IDENTIFIERS,
        "app_id": optional(value(STRING)),
        "name": required(
            value(
                STRING,
                max_length=MAX_STRING,
                pattern=r"[^$].*",
                pattern_hint="an event name Braze accepts: it must not start with '$'",
            )
        ),
        "time": essential(
            value(DATETIME, as_type="datetime"), note="defaults to the moment of the call"
        ),
        "properties": optional(PROPERTIES),
        "_update_existing_only": optional(FLAG),
    },
    identified=True,
)
PURCHASE_OBJECT = obj(
    {
        **TRACK_IDENTIFIERS,
        "app_id": optional(value(STRING)),
        "product_id": required(value(STRING, max_length=MAX_STRING)),
        "currency": required(
            value(
                STRING, pattern="[A-Z]{3}", pattern_hint="a three-letter ISO 4217 code such as USD"
            ),
            note="ISO 4217 code such as USD",
        ),
        "price": required(value(NUMBER, as_type="float")),
        "quantity": optional(
            value(INTEGER, as_type="integer", minimum=1, maximum=MAX_PURCHASE_QUANTITY),
            note="1 to 100",
        ),
        "time": essential(
            value(DATETIME, as_type="datetime"), note="defaults to the moment of the call"
        ),
        "properties": optional(PROPERTIES),
        "_update_existing_only": optional(FLAG),
    },
    identified=True,
)
# Objects that name a recipient of a message: exactly one of these identifiers.
RECIPIENT_IDENTIFIERS = ("external_user_id", "user_alias", "braze_id", "email")
RECIPIENT_ATTRIBUTES = obj(
    dict(STANDARD_ATTRIBUTES), custom="attribute", custom_values=CUSTOM_VALUE
)


def recipient(*properties_keys: str) -> Shape:
    """A recipients item: one identifier, and properties under one of properties_keys."""
    return obj(
        {
            "external_user_id": optional(value(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES)),
            "user_alias": optional(USER_ALIAS),
            "braze_id": optional(value(STRING)),
            "email": optional(value(STRING, as_type="email")),
            "prioritization": optional(PRIORITIZATION_LIST),
            **{key: optional(OPEN_OBJECT) for key in properties_keys},
            "send_to_existing_only": optional(FLAG),
            "attributes": optional(RECIPIENT_ATTRIBUTES),
        },
        one_of=RECIPIENT_IDENTIFIERS,
        exclusive=RECIPIENT_IDENTIFIERS,
        needs=(("email", "prioritization"),),
    )


def identifier_object(with_prioritization: bool) -> Shape:
    fields: dict[str, Field] = {
        "external_id": optional(value(STRING)),
        "user_alias": optional(USER_ALIAS),
        "email": optional(value(STRING, as_type="email")),
        "phone": optional(value(STRING, as_type="phone")),
    }
    needs: tuple[tuple[str, str], ...] = ()
    if with_prioritization:
        fields["prioritization"] = optional(PRIORITIZATION_LIST)
        needs = (("email", "prioritization"), ("phone", "prioritization"))
    keys = ("external_id", "user_alias", "email", "phone")
    return obj(fields, one_of=keys, exclusive=keys, needs=needs)


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
STRING_LIST = array(value(STRING), max_items=MAX_RECIPIENTS)
ONE_OR_MANY_STRINGS = value(STRING, ARRAY, items=value(STRING), max_items=MAX_RECIPIENTS)
_E164_HINT = "a phone number in E.164 form such as +15043277269"
PHONE_E164 = value(STRING, as_type="phone", pattern=E164, pattern_hint=_E164_HINT)
PHONES_E164 = value(
    STRING,
    ARRAY,
    items=PHONE_E164,
    max_items=MAX_RECIPIENTS,
    as_type="phone",
    pattern=E164,
    pattern_hint=_E164_HINT,
)
# Braze's messaging objects (messages/send): what a message is made of. Every value a spec writes
# in a message must be sent (content=True); other channels are open objects.
ATTACHMENT = obj({"file_name": required(value(STRING)), "url": required(value(STRING))})
EMAIL_MESSAGE = obj(
    {
        "app_id": required(value(STRING)),
        "subject": optional(value(STRING)),
        "from": required(value(STRING), note="such as Acme <claims@example.com>"),
        "reply_to": optional(value(STRING)),
        "bcc": optional(value(STRING)),
        "body": optional(value(STRING), note="HTML; or give email_template_id"),
        "plaintext_body": optional(value(STRING)),
        "preheader": optional(value(STRING)),
        "email_template_id": optional(value(STRING)),
        "message_variation_id": optional(value(STRING)),
        "extras": optional(OPEN_OBJECT),
        "headers": optional(OPEN_OBJECT),
        "should_inline_css": optional(FLAG),
        "attachments": optional(array(ATTACHMENT, every=True)),
    },
    one_of=("body", "email_template_id"),
    content=True,
)
SMS_MESSAGE = obj(
    {
        "subscription_group_id": required(value(STRING)),
        "message_variation_id": optional(value(STRING)),
        "body": required(value(STRING)),
        "app_id": required(value(STRING)),
        "media_items": optional(array(value(ANY))),
        "link_shortening_enabled": optional(FLAG),
        "user_click_tracking_enabled": optional(FLAG),
    },
    content=True,
)
OTHER_MESSAGE = Shape(kinds=(OBJECT,), custom="property", content=True)
