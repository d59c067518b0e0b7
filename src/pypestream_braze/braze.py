"""The Braze catalogue: instances, endpoints and the shape of every body they accept.

One source of truth for validation, the JSON Schema and the templates. Facts and their sources are
in docs/braze-api.md of the team's shared notes; section numbers below refer to it.
"""

from __future__ import annotations

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
    items: Shape | None = None  # arrays only
    max_items: int | None = None
    enum: tuple[object, ...] = ()
    enum_is_open: bool = False  # an unknown enum value is a warning, not an error
    max_length: int | None = None
    minimum: float | None = None  # numbers only
    maximum: float | None = None
    pattern: str | None = None  # a constant string must match it (re.fullmatch)
    pattern_hint: str = ""  # what the pattern means, for messages
    identified: bool = False  # an object that names one user (§3.1.1)
    one_of: tuple[str, ...] = ()  # at least one of these keys
    exclusive: tuple[str, ...] = ()  # at most one of these keys
    as_type: str | None = None  # the conversion a bare "{VAR}" gets here (e.g. dob -> date)

    @property
    def is_object(self) -> bool:
        return self.kinds == (OBJECT,)


@dataclass(frozen=True)
class Field:
    shape: Shape
    required: bool = False
    note: str = ""


def _s(
    *kinds: str,
    **options,
) -> Shape:
    return Shape(kinds=kinds or (STRING,), **options)


def _obj(fields: Mapping[str, Field] | None = None, **options) -> Shape:
    return Shape(kinds=(OBJECT,), fields=dict(fields or {}), **options)


def _arr(items: Shape, max_items: int | None = None) -> Shape:
    return Shape(kinds=(ARRAY,), items=items, max_items=max_items)


def _req(shape: Shape, note: str = "") -> Field:
    return Field(shape, required=True, note=note)


def _opt(shape: Shape, note: str = "") -> Field:
    return Field(shape, note=note)


_TEXT = _s(STRING, max_length=MAX_STRING)
_FLAG = _s(BOOLEAN)
_OPEN = _obj(custom="property")
SUBSCRIPTION_STATES = ("subscribed", "unsubscribed")
GLOBAL_SUBSCRIPTION_STATES = ("opted_in", "subscribed", "unsubscribed")
PRIORITIZATION = ("identified", "unidentified", "most_recently_updated", "least_recently_updated")

USER_ALIAS = _obj(
    {
        "alias_name": _req(_s(STRING, max_length=MAX_ALIAS_BYTES)),
        "alias_label": _req(_s(STRING, max_length=MAX_ALIAS_BYTES)),
    }
)
_PRIORITIZATION = _arr(_s(STRING, enum=PRIORITIZATION))

# §3.1.1: the identifiers of a users/track object. Primary ones exclude each other.
PRIMARY_IDENTIFIERS = ("external_id", "user_alias", "braze_id")
SECONDARY_IDENTIFIERS = ("email", "phone")
TRACK_IDENTIFIERS: Mapping[str, Field] = {
    "external_id": _opt(_s(STRING, max_length=MAX_EXTERNAL_ID_BYTES)),
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
    identified=True,
)
EVENT_OBJECT = _obj(
    {
        **TRACK_IDENTIFIERS,
        "app_id": _opt(_s(STRING)),
        "name": _req(_s(STRING, max_length=MAX_STRING)),
        "time": _opt(_s(DATETIME, as_type="datetime"), note="defaults to the moment of the call"),
        "properties": _opt(_OPEN),
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
        "time": _opt(_s(DATETIME, as_type="datetime"), note="defaults to the moment of the call"),
        "properties": _opt(_OPEN),
        "_update_existing_only": _opt(_FLAG),
    },
    identified=True,
)

# Objects that name a recipient of a message: exactly one of these identifiers.
RECIPIENT_IDENTIFIERS = ("external_user_id", "user_alias", "email")
_RECIPIENT_ATTRIBUTES = _obj(dict(STANDARD_ATTRIBUTES), custom="attribute")


def _recipient(properties_key: str) -> Shape:
    return _obj(
        {
            "external_user_id": _opt(_s(STRING, max_length=MAX_EXTERNAL_ID_BYTES)),
            "user_alias": _opt(USER_ALIAS),
            "email": _opt(_s(STRING, as_type="email")),
            "prioritization": _opt(_PRIORITIZATION),
            properties_key: _opt(_OPEN),
            "send_to_existing_only": _opt(_FLAG),
            "attributes": _opt(_RECIPIENT_ATTRIBUTES),
        },
        one_of=RECIPIENT_IDENTIFIERS,
        exclusive=RECIPIENT_IDENTIFIERS,
    )


def _identifier_object(with_prioritization: bool) -> Shape:
    fields: dict[str, Field] = {
        "external_id": _opt(_s(STRING)),
        "user_alias": _opt(USER_ALIAS),
        "email": _opt(_s(STRING, as_type="email")),
        "phone": _opt(_s(STRING, as_type="phone")),
    }
    if with_prioritization:
        fields["prioritization"] = _opt(_PRIORITIZATION)
    keys = ("external_id", "user_alias", "email", "phone")
    return _obj(fields, one_of=keys, exclusive=keys)


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
                        "attributes": _opt(_arr(ATTRIBUTES_OBJECT)),
                        "events": _opt(_arr(EVENT_OBJECT)),
                        "purchases": _opt(_arr(PURCHASE_OBJECT)),
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
                                        "external_id": _opt(_s(STRING)),
                                        "alias_name": _req(_s(STRING, max_length=MAX_ALIAS_BYTES)),
                                        "alias_label": _req(_s(STRING, max_length=MAX_ALIAS_BYTES)),
                                    }
                                ),
                                max_items=MAX_RECIPIENTS,
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
                        "segment_id": _opt(_s(STRING)),
                        "audience": _opt(_OPEN),
                        "campaign_id": _opt(_s(STRING)),
                        "send_id": _opt(_s(STRING)),
                        "override_frequency_capping": _opt(_FLAG),
                        "recipient_subscription_state": _opt(
                            _s(STRING, enum=("opted_in", "subscribed", "all"))
                        ),
                        "messages": _req(_obj({name: _opt(_OPEN) for name in MESSAGE_TYPES})),
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
                        "audience": _opt(_OPEN),
                        "recipients": _opt(
                            _arr(_recipient("trigger_properties"), max_items=MAX_RECIPIENTS)
                        ),
                        "attachments": _opt(
                            _arr(
                                _obj(
                                    {
                                        "file_name": _req(_s(STRING)),
                                        "url": _req(_s(STRING)),
                                    }
                                )
                            )
                        ),
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
                        "broadcast": _opt(_FLAG),
                        "audience": _opt(_OPEN),
                        "recipients": _opt(_arr(_recipient("context"), max_items=MAX_RECIPIENTS)),
                    }
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
                                )
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
