"""The Braze catalogue: instances, endpoints and the shape of every body they accept.

One source of truth for validation, the JSON Schema and the templates. Facts and their sources are
in docs/braze-api.md of the team's shared notes; section numbers below refer to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# §2: REST base URL per instance.
INSTANCES: Mapping[str, str] = MappingProxyType(
    {
        **{f"US-0{n}": f"https://rest.iad-0{n}.braze.com" for n in range(1, 9)},
        "US-10": "https://rest.us-10.braze.com",
        "EU-01": "https://rest.fra-01.braze.eu",
        "EU-02": "https://rest.fra-02.braze.eu",
        "AU-01": "https://rest.au-01.braze.com",
        "ID-01": "https://rest.id-01.braze.com",
        "JP-01": "https://rest.jp-01.braze.com",
        "KR-01": "https://rest.kr-01.braze.com",
    }
)
REST_HOST_SUFFIXES = (".braze.com", ".braze.eu")

MAX_TRACK_OBJECTS = 75  # §3.1.7: 75 objects in total per /users/track request, valid in every model
MAX_STRING = 255  # §5: custom attribute values and keys, event names, property keys and values
MAX_ALIAS_BYTES = 236  # §5: alias_name and alias_label
MAX_EXTERNAL_ID_BYTES = 987  # §3.1.8: EXTERNAL_USER_ID_TOO_LARGE
MAX_PURCHASE_QUANTITY = 100  # §3.1.6
MAX_RECIPIENTS = 50  # §3.3-§3.13: identifiers, aliases and recipients per request
E164 = r"\+[1-9][0-9]{6,14}"  # §5: phone numbers for the subscription endpoints

# A value's kind as Braze reads it. "datetime" and "date" are strings in a documented format.
STRING, INTEGER, NUMBER, BOOLEAN = "string", "integer", "number", "boolean"
DATE, DATETIME, OBJECT, ARRAY, ANY = "date", "datetime", "object", "array", "any"


@dataclass(frozen=True, eq=False)
class Shape:
    """What Braze accepts at one place of a request body."""

    kinds: tuple[str, ...]
    fields: Mapping[str, Field] = field(default_factory=dict)
    custom: str | None = None  # objects only: None (closed), "attribute" or "property" keys
    custom_values: Shape | None = None  # the shape of a custom key's value, if Braze limits it
    items: Shape | None = None  # arrays only
    max_items: int | None = None
    exclusive_items: tuple[object, ...] = ()  # arrays: values that exclude each other
    enum: tuple[object, ...] = ()
    enum_is_open: bool = False  # an unknown enum value is a warning, not an error
    max_length: int | None = None  # characters
    max_bytes: int | None = None  # bytes of UTF-8
    minimum: float | None = None  # numbers only
    maximum: float | None = None
    pattern: str | None = None  # a constant string must match it (re.fullmatch)
    pattern_hint: str = ""  # what the pattern means, for messages
    identified: bool = False  # an object that names one user (§3.1.1)
    one_of: tuple[str, ...] = ()  # at least one of these keys
    exclusive: tuple[str, ...] = ()  # at most one of these keys
    # (key, key it needs): an email recipient needs its prioritization
    needs: tuple[tuple[str, str], ...] = ()
    as_type: str | None = None  # the conversion a bare "{VAR}" gets here (e.g. dob -> date)
    # Arrays: an item that cannot be sent whole makes the whole array unsendable, where leaving
    # it out would change what the request means (an event, an identify pair); otherwise such an
    # item is left out (one of several recipients, a push token).
    every: bool = False
    # Objects: message content. Every value the spec writes here must be sent as written: an
    # email without the subject the spec gives is not the email the spec describes.
    content: bool = False

    @property
    def is_object(self) -> bool:
        return self.kinds == (OBJECT,)


@dataclass(frozen=True)
class Field:
    shape: Shape
    required: bool = False  # Braze refuses the object without it
    note: str = ""
    # Braze accepts the object without it, but not with the meaning the spec gives: a segment
    # that narrows who receives a message, the user an alias is added to.
    essential: bool = False


def _s(
    *kinds: str,
    **options,
) -> Shape:
    return Shape(kinds=kinds or (STRING,), **options)


def _obj(fields: Mapping[str, Field] | None = None, **options) -> Shape:
    return Shape(kinds=(OBJECT,), fields=dict(fields or {}), **options)


def _arr(items: Shape, max_items: int | None = None, every: bool = False) -> Shape:
    return Shape(kinds=(ARRAY,), items=items, max_items=max_items, every=every)


def _req(shape: Shape, note: str = "") -> Field:
    return Field(shape, required=True, note=note)


def _opt(shape: Shape, note: str = "") -> Field:
    return Field(shape, note=note)


def _key(shape: Shape, note: str = "") -> Field:
    """Optional for Braze, essential for the meaning: when the spec gives it, it must be sent."""
    return Field(shape, note=note, essential=True)


_TEXT = _s(STRING, max_length=MAX_STRING)
_FLAG = _s(BOOLEAN)
_OPEN = _obj(custom="property")
# §3.1.4, §3.1.5: custom attribute values, nested keys included, and event and purchase
# property values: text up to 255 characters.
CUSTOM_VALUE = _s(ANY, max_length=MAX_STRING)
PROPERTY_VALUE = _s(ANY, max_length=MAX_STRING)
_PROPERTIES = _obj(custom="property", custom_values=PROPERTY_VALUE)
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


@dataclass(frozen=True)
class Endpoint:
    """One Braze REST endpoint: its path, its body and how a generated node treats it."""

    path: str
    summary: str
    body: Shape
    # A request that could act twice when repeated after an ambiguous failure (a timeout or a
    # 5xx after Braze may have accepted it): events and purchases are never de-duplicated
    # (§4.6) and a message trigger would send twice.
    repeat_safe: bool = True
    success_status: int = 201
    # Keys that name who receives a message; with none of them, the body must say broadcast: true.
    audience_keys: tuple[str, ...] = ()
    # Keys Braze accepts without but a solution should have: key -> why (a warning when absent).
    recommended: tuple[tuple[str, str], ...] = ()
    # §1: the permission the REST API key needs; by default the path with dots, no version.
    permission: str = ""
    # A lookup: the list in Braze's answer that is empty when nothing matched (routes to false).
    found: str | None = None

    def __post_init__(self) -> None:
        if not self.permission:
            permission = re.sub(r"^v[0-9]+/", "", self.path).replace("/", ".")
            object.__setattr__(self, "permission", permission)

    @property
    def params_key(self) -> str:
        """The key of this endpoint's path in app.PARAMS, e.g. braze_users_track."""
        return "braze_" + self.path.replace("/", "_")

    @property
    def slug(self) -> str:
        return self.path.replace("/", "_")


ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType(
    {
        endpoint.path: endpoint
        for endpoint in (
            Endpoint(
                "users/track",
                "Create or update user profiles, and record events and purchases",
                _obj(
                    {
                        # Each array the spec gives is something asked of Braze: none may
                        # be dropped because an answer is missing.
                        "attributes": _key(_arr(ATTRIBUTES_OBJECT, every=True)),
                        "events": _key(_arr(EVENT_OBJECT, every=True)),
                        "purchases": _key(_arr(PURCHASE_OBJECT, every=True)),
                    },
                    one_of=("attributes", "events", "purchases"),
                ),
            ),
            Endpoint(
                "users/identify",
                "Attach an external_id to an alias-only, email-only or phone-only profile",
                _obj(
                    {
                        "aliases_to_identify": _opt(
                            _arr(
                                _obj(
                                    {
                                        "external_id": _req(_s(STRING)),
                                        "user_alias": _req(USER_ALIAS),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                                every=True,
                            )
                        ),
                        "emails_to_identify": _opt(
                            _arr(
                                _obj(
                                    {
                                        "external_id": _req(_s(STRING)),
                                        "email": _req(_s(STRING, as_type="email")),
                                        "prioritization": _req(_PRIORITIZATION),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                                every=True,
                            )
                        ),
                        "phone_numbers_to_identify": _opt(
                            _arr(
                                _obj(
                                    {
                                        "external_id": _req(_s(STRING)),
                                        "phone": _req(_s(STRING, as_type="phone")),
                                        "prioritization": _req(_PRIORITIZATION),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                                every=True,
                            )
                        ),
                        "merge_behavior": _opt(_s(STRING, enum=("none", "merge"))),
                    },
                    one_of=(
                        "aliases_to_identify",
                        "emails_to_identify",
                        "phone_numbers_to_identify",
                    ),
                ),
            ),
            Endpoint(
                "users/alias/new",
                "Create an alias-only profile, or add an alias to an existing one",
                _obj(
                    {
                        "user_aliases": _req(
                            _arr(
                                _obj(
                                    {
                                        "external_id": _key(
                                            _s(STRING),
                                            note="the user the alias is added to; without it "
                                            "Braze creates a new alias-only user",
                                        ),
                                        "alias_name": _req(_s(STRING, max_bytes=MAX_ALIAS_BYTES)),
                                        "alias_label": _req(_s(STRING, max_bytes=MAX_ALIAS_BYTES)),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                                every=True,
                            )
                        )
                    }
                ),
            ),
            Endpoint(
                "users/delete",
                "Delete user profiles permanently",
                _obj(
                    {
                        "external_ids": _opt(_STRINGS_50),
                        "user_aliases": _opt(_arr(USER_ALIAS, max_items=MAX_RECIPIENTS)),
                        "braze_ids": _opt(_STRINGS_50),
                        "email_addresses": _opt(
                            _arr(
                                _obj(
                                    {
                                        "email": _req(_s(STRING, as_type="email")),
                                        "prioritization": _req(_PRIORITIZATION),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                            )
                        ),
                        "phone_numbers": _opt(
                            _arr(
                                _obj(
                                    {
                                        "phone": _req(_s(STRING, as_type="phone")),
                                        "prioritization": _req(_PRIORITIZATION),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                            )
                        ),
                    },
                    one_of=(
                        "external_ids",
                        "user_aliases",
                        "braze_ids",
                        "email_addresses",
                        "phone_numbers",
                    ),
                ),
                success_status=202,
            ),
            Endpoint(
                "users/merge",
                "Merge one user profile into another",
                _obj(
                    {
                        "merge_updates": _req(
                            _arr(
                                _obj(
                                    {
                                        "identifier_to_merge": _req(_identifier_object(True)),
                                        "identifier_to_keep": _req(_identifier_object(True)),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
                                every=True,
                            )
                        )
                    }
                ),
                success_status=202,
            ),
            Endpoint(
                "users/export/ids",
                "Read user profiles by identifier",
                _obj(
                    {
                        "external_ids": _opt(_STRINGS_50),
                        "user_aliases": _opt(_arr(USER_ALIAS, max_items=MAX_RECIPIENTS)),
                        "device_id": _opt(_s(STRING)),
                        "braze_id": _opt(_s(STRING)),
                        "email_address": _opt(_s(STRING, as_type="email")),
                        "phone": _opt(_s(STRING, as_type="phone")),
                        "fields_to_export": _opt(
                            _arr(_s(STRING, enum=EXPORT_FIELDS, enum_is_open=True)),
                            note="required for workspaces created on or after 2024-08-22",
                        ),
                    },
                    one_of=(
                        "external_ids",
                        "user_aliases",
                        "device_id",
                        "braze_id",
                        "email_address",
                        "phone",
                    ),
                    exclusive=("device_id", "email_address", "phone"),
                ),
                success_status=200,
                found="users",
                recommended=(
                    (
                        "fields_to_export",
                        "Braze requires it for workspaces created on or after 2024-08-22 and "
                        "answers faster with it; list the fields the node reads, such as "
                        "[first_name, custom_attributes]",
                    ),
                ),
            ),
            Endpoint(
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
                        "send_id": _opt(_s(STRING)),
                        "override_frequency_capping": _opt(_FLAG),
                        "recipient_subscription_state": _opt(
                            _s(STRING, enum=("opted_in", "subscribed", "all"))
                        ),
                        "messages": _req(
                            _obj(
                                {
                                    name: _opt(
                                        {"email": EMAIL_MESSAGE, "sms": SMS_MESSAGE}.get(
                                            name, _OTHER_MESSAGE
                                        )
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
            ),
            Endpoint(
                "campaigns/trigger/send",
                "Trigger an API-triggered campaign",
                _obj(
                    {
                        "campaign_id": _req(_s(STRING)),
                        "send_id": _opt(_s(STRING)),
                        "trigger_properties": _opt(_OPEN),
                        "broadcast": _opt(_FLAG),
                        "audience": _key(_OPEN, note="narrows who receives it"),
                        "recipients": _opt(
                            _arr(_recipient("trigger_properties"), max_items=MAX_RECIPIENTS)
                        ),
                        "attachments": _key(_arr(_ATTACHMENT, every=True)),
                    }
                ),
                repeat_safe=False,
                audience_keys=("recipients",),
            ),
            Endpoint(
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
            ),
            Endpoint(
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
            ),
            Endpoint(
                "v2/subscription/status/set",
                "Subscribe or unsubscribe users to several subscription groups",
                _obj(
                    {
                        "subscription_groups": _req(
                            _arr(
                                _obj(
                                    {
                                        "subscription_group_id": _req(_s(STRING)),
                                        "subscription_state": _req(
                                            _s(STRING, enum=SUBSCRIPTION_STATES)
                                        ),
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
            ),
            Endpoint(
                "email/status",
                "Set the global email subscription state of addresses",
                _obj(
                    {
                        "email": _req(_ONE_OR_MANY),
                        "subscription_state": _req(_s(STRING, enum=GLOBAL_SUBSCRIPTION_STATES)),
                    }
                ),
            ),
        )
    }
)

# Endpoints whose objects carry events or purchases are not repeat-safe when those are present.
TRACK_UNSAFE_ARRAYS = ("events", "purchases")
