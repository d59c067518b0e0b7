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


# §4.4: how often Braze takes each endpoint, as its pages say.
DEFAULT_RATE_LIMIT = "250,000 requests per hour, shared by most endpoints"
_SHARED_USERS_LIMIT = (
    "20,000 requests per minute, shared with users/identify, users/alias/new, "
    "users/alias/update, users/delete and users/merge"
)
_SEND_LIMIT = (
    "250 requests per minute when sent to a segment or audience; otherwise 250,000 per hour, "
    "shared with the other send endpoints"
)
_PATH_PARAMETER = re.compile(r"\{([a-z_]+)\}")
# A path parameter's value: one segment of the URL, encoded whole when the node runs. "." and
# ".." are refused: HTTP clients resolve them, which would call another URL.
PATH_VALUE = _s(
    STRING,
    INTEGER,
    pattern=r"(?!\.\.?$).+",
    pattern_hint="a URL path segment Braze can be called with: not empty, '.' or '..'",
)


@dataclass(frozen=True, eq=False)
class Answer:
    """What Braze answers when it does what was asked, and how a lookup says it found nothing."""

    # Braze's documented answer; the solution's tests reply with it.
    example: Mapping[str, object] = field(default_factory=lambda: {"message": "success"})
    # The top-level keys of the answer that outputs may read; () where Braze documents none.
    fields: tuple[str, ...] = ()
    # A lookup: the keys (a list or an object) that are empty when nothing matched. Nothing was
    # found when one of them is in the answer and none of them holds anything.
    found: tuple[str, ...] = ()
    # The "id" of an error in a 404 answer that means the thing looked up does not exist (a
    # catalog item), as opposed to a wrong URL.
    missing: tuple[str, ...] = ()
    nothing: str = ""  # BRAZE_ERROR when nothing was found
    # A list of per-item refusals: when it holds anything, Braze did not do what was asked.
    refused: str | None = None
    # Braze's messages (lower case, as they begin) for a request refused because of how the
    # integration is set up, not because of its data: a paused or missing campaign.
    broken: tuple[str, ...] = ()

    @property
    def is_lookup(self) -> bool:
        return bool(self.found or self.missing)

    @property
    def description(self) -> str:
        """When Braze says it found nothing: "its items is empty, or a 404 names ..."."""
        parts = []
        if self.found:
            keys = " and ".join(self.found)
            parts.append(f"its {keys} {'is' if len(self.found) == 1 else 'are'} empty")
        if self.missing:
            parts.append(f"a 404 names the error {' or '.join(map(repr, self.missing))}")
        return ", or ".join(parts)

    def nothing_found(self) -> tuple[int, dict]:
        """An answer that says nothing was found (status, JSON), for tests."""
        if self.missing:
            error = {"id": self.missing[0], "message": self.nothing}
            return 404, {"errors": [error], "message": "Invalid Request"}
        emptied = {k: ({} if isinstance(self.example.get(k), dict) else []) for k in self.found}
        return 200, {**self.example, **emptied}


@dataclass(frozen=True)
class Endpoint:
    """One Braze REST endpoint: its method and path, what it takes, what it answers, and how a
    generated node treats it."""

    path: str  # with its {parameters}, as Braze documents it
    summary: str
    body: Shape | None  # the JSON body of a POST; None for a GET
    method: str = "POST"
    query: Shape | None = None  # a GET's query parameters
    # A request that could act twice when repeated after an ambiguous failure (a timeout or a
    # 5xx after Braze may have accepted it): events and purchases are never de-duplicated
    # (§4.6) and a message trigger would send twice.
    repeat_safe: bool = True
    unsafe: str = "a message would go out twice"  # why, when repeat_safe is False
    # A body key Braze de-duplicates requests on: a request that carries it is safe to repeat.
    dedupe_key: str | None = None
    success_status: int = 201
    # Keys that name who receives a message; with none of them, the body must say broadcast: true.
    audience_keys: tuple[str, ...] = ()
    # Keys Braze accepts without but a solution should have: key -> why (a warning when absent).
    recommended: tuple[tuple[str, str], ...] = ()
    # §1: the permission the REST API key needs; by default the path with dots, no version.
    permission: str = ""
    rate_limit: str = DEFAULT_RATE_LIMIT
    answer: Answer = field(default_factory=Answer)
    # users/track and users/track/sync: a node's `identifier` goes into every object, and the
    # arrays hold at most this many objects together.
    max_objects: int | None = None

    def __post_init__(self) -> None:
        if not self.permission:
            permission = re.sub(r"^v[0-9]+/", "", self.path).replace("/", ".")
            object.__setattr__(self, "permission", permission)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The path's parameters, in order: ("catalog_name", "item_id")."""
        return tuple(_PATH_PARAMETER.findall(self.path))

    @property
    def takes(self) -> str:
        """The part of the request a spec describes: "body" for a POST, "query" for a GET."""
        return "query" if self.method == "GET" else "body"

    @property
    def shape(self) -> Shape:
        """The shape of that part."""
        shape = self.query if self.method == "GET" else self.body
        return shape if shape is not None else _obj()

    @property
    def tracks(self) -> bool:
        """users/track and users/track/sync: a node's identifier is spread into every object."""
        return self.max_objects is not None

    @property
    def display(self) -> str:
        return f"{self.method} /{self.path}"

    @property
    def params_key(self) -> str:
        """The key of this endpoint's path in app.PARAMS, e.g. braze_users_track."""
        return "braze_" + self.slug

    @property
    def slug(self) -> str:
        """The path without its parameters, as a name: catalogs_items."""
        return "_".join(part for part in self.path.split("/") if not part.startswith("{"))


_SUBSCRIPTION_SET_LIMIT = (
    "5,000 requests per minute, shared by subscription/status/set and v2/subscription/status/set"
)
_DISPATCHED = Answer(
    example={"dispatch_id": "dispatch-1", "message": "success"}, fields=("dispatch_id", "message")
)
_EMAILS = _s(
    STRING, ARRAY, items=_s(STRING, as_type="email"), max_items=MAX_RECIPIENTS, as_type="email"
)

# Track users (synchronous): one attributes, event or purchase object per request, and Braze
# answers with the profile as it is after the update.
USERS_TRACK_SYNC = Endpoint(
    "users/track/sync",
    "Update one user profile, or record one event or purchase, and read the profile back",
    _obj(
        {
            key: _key(_arr(item, max_items=1, every=True))
            for key, item in (
                ("attributes", ATTRIBUTES_OBJECT),
                ("events", EVENT_OBJECT),
                ("purchases", PURCHASE_OBJECT),
            )
        },
        one_of=("attributes", "events", "purchases"),
        exclusive=("attributes", "events", "purchases"),
    ),
    rate_limit="500 requests per minute",
    answer=Answer(
        example={
            "users": [
                {
                    "external_id": "xyz123",
                    "custom_attributes": {
                        "string_attribute": "fruit",
                        "boolean_attribute_1": True,
                        "integer_attribute": 25,
                        "array_attribute": ["banana", "apple"],
                    },
                }
            ],
            "message": "success",
        },
        fields=("users", "message", "errors"),
        found=("users",),
        nothing="Braze updated no profile: no user matches (with _update_existing_only)",
    ),
    max_objects=1,
)
_ALIAS_PART = _s(STRING, max_bytes=MAX_ALIAS_BYTES)
USERS_ALIAS_UPDATE = Endpoint(
    "users/alias/update",
    "Rename a user alias: the alias name under a label",
    _obj(
        {
            "alias_updates": _req(
                _arr(
                    _obj(
                        {
                            "alias_label": _req(_ALIAS_PART),
                            "old_alias_name": _req(_ALIAS_PART),
                            "new_alias_name": _req(_ALIAS_PART),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                    every=True,
                )
            )
        }
    ),
    rate_limit=_SHARED_USERS_LIMIT,
)
USERS_EXTERNAL_IDS_RENAME = Endpoint(
    "users/external_ids/rename",
    "Give a user a new external_id; the old one keeps working until it is removed",
    _obj(
        {
            "external_id_renames": _req(
                _arr(
                    _obj(
                        {
                            "current_external_id": _req(
                                _s(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES),
                                note="the user's primary external_id",
                            ),
                            "new_external_id": _req(
                                _s(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES),
                                note="not yet in use",
                            ),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                    every=True,
                )
            )
        }
    ),
    repeat_safe=False,
    unsafe="a repeat would find the old external_id renamed and report the rename as refused",
    rate_limit="1,000 requests per minute",
    answer=Answer(
        example={"message": "success", "external_ids": ["new_external_id"], "rename_errors": []},
        fields=("message", "external_ids", "rename_errors"),
        refused="rename_errors",
    ),
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


def _schedule_create(kind: str, id_key: str, properties_key: str) -> Endpoint:
    return Endpoint(
        f"{kind}/trigger/schedule/create",
        f"Schedule an API-triggered {'campaign' if kind == 'campaigns' else 'Canvas'}",
        _obj(
            {
                id_key: _req(_s(STRING)),
                **({"send_id": _opt(_s(STRING))} if kind == "campaigns" else {}),
                "recipients": _opt(_arr(_recipient(properties_key), max_items=MAX_RECIPIENTS)),
                "audience": _key(_OPEN, note="narrows who receives it"),
                "broadcast": _opt(_FLAG),
                properties_key: _opt(_OPEN),
                "schedule": _req(SCHEDULE),
            }
        ),
        repeat_safe=False,
        unsafe=_TWICE,
        audience_keys=("recipients",),
        rate_limit=_SEND_LIMIT,
        answer=_SCHEDULED,
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
    _schedule_create("campaigns", "campaign_id", "trigger_properties"),
    _schedule_delete("campaigns", "campaign_id"),
    _schedule_create("canvas", "canvas_id", "canvas_entry_properties"),
    _schedule_delete("canvas", "canvas_id"),
)
SENDS_ID_CREATE = Endpoint(
    "sends/id/create",
    "Create a send identifier to track a campaign's sends by",
    _obj({"campaign_id": _req(_s(STRING)), "send_id": _opt(_s(STRING))}),
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
                _s(
                    STRING,
                    pattern=r"[a-zA-Z0-9\-_+/=]+",
                    pattern_hint="a Base64-compatible id: letters, digits and - _ + / =",
                ),
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
CATALOG_ITEM = Endpoint(
    "catalogs/{catalog_name}/items/{item_id}",
    "Read one catalog item: a product, its price",
    None,
    method="GET",
    permission="catalogs.get_item",
    success_status=200,
    rate_limit="50 requests per minute, shared by the synchronous catalog item endpoints",
    answer=Answer(
        example={
            "items": [
                {"id": "restaurant1", "Name": "Restaurant1", "City": "New York", "Rating": 5}
            ],
            "message": "success",
        },
        fields=("items", "message"),
        found=("items",),
        # A 404 naming "catalog-not-found" is a wrong catalog name: the integration is broken.
        missing=("item-not-found",),
        nothing="the catalog has no such item",
    ),
)


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
                rate_limit="contract-dependent; with data points, 3,000 requests per 3 seconds",
                answer=Answer(
                    example={"message": "success", "attributes_processed": 1},
                    fields=(
                        "message",
                        "attributes_processed",
                        "events_processed",
                        "purchases_processed",
                        "errors",
                    ),
                ),
                max_objects=MAX_TRACK_OBJECTS,
            ),
            USERS_TRACK_SYNC,
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
                rate_limit=_SHARED_USERS_LIMIT,
                answer=Answer(
                    example={"aliases_processed": 1, "message": "success"},
                    fields=("aliases_processed", "message"),
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
                rate_limit=_SHARED_USERS_LIMIT,
                answer=Answer(
                    example={"aliases_processed": 1, "message": "success"},
                    fields=("aliases_processed", "message"),
                ),
            ),
            USERS_ALIAS_UPDATE,
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
                rate_limit=_SHARED_USERS_LIMIT,
                answer=Answer(example={"deleted": 1}, fields=("deleted", "message")),
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
                rate_limit=_SHARED_USERS_LIMIT,
            ),
            USERS_EXTERNAL_IDS_RENAME,
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
                rate_limit="250 requests per minute (2,500 for workspaces onboarded before "
                "2024-08-22; up to 40 per second with fields_to_export)",
                answer=Answer(
                    example={
                        "message": "success",
                        "users": [{"external_id": "user-123", "first_name": "Jane"}],
                        "invalid_user_ids": [],
                    },
                    fields=("message", "users", "invalid_user_ids"),
                    found=("users",),
                    nothing="no Braze profile matches",
                ),
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
                rate_limit=_SEND_LIMIT,
                answer=_DISPATCHED,
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
                rate_limit=_SEND_LIMIT,
                answer=_DISPATCHED,
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
                rate_limit=_SEND_LIMIT,
                answer=_DISPATCHED,
            ),
            *SCHEDULE_ENDPOINTS,
            SENDS_ID_CREATE,
            TRANSACTIONAL_SEND,
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
                rate_limit=_SUBSCRIPTION_SET_LIMIT,
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
                rate_limit=_SUBSCRIPTION_SET_LIMIT,
            ),
            SUBSCRIPTION_STATUS_GET,
            SUBSCRIPTION_USER_STATUS,
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
            CATALOG_ITEM,
        )
    }
)

# Endpoints whose objects carry events or purchases are not repeat-safe when those are present.
TRACK_UNSAFE_ARRAYS = ("events", "purchases")
