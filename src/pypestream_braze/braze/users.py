"""The user-data endpoints: track, identify, aliases, delete, merge, export, rename."""

from __future__ import annotations

from .checks import Distinct
from .endpoint import Answer, Endpoint
from .objects import (
    ATTRIBUTES_OBJECT,
    EVENT_OBJECT,
    EXPORT_FIELDS,
    PRIORITIZATION_LIST,
    PURCHASE_OBJECT,
    STRING_LIST,
    USER_ALIAS,
    identifier_object,
)
from .shapes import (
    MAX_ALIAS_BYTES,
    MAX_EXTERNAL_ID_BYTES,
    MAX_RECIPIENTS,
    MAX_TRACK_OBJECTS,
    STRING,
    array,
    essential,
    obj,
    optional,
    required,
    value,
)

# Braze never de-duplicates events and purchases: a track request that holds any is not repeated.
_NEVER_DEDUPLICATED = ("events", "purchases")
_SHARED_USERS_LIMIT = (
    "20,000 requests per minute, shared with users/identify, users/alias/new, "
    "users/alias/update, users/delete and users/merge"
)

# Track users (synchronous): one attributes, event or purchase object per request, and Braze
# answers with the profile as it is after the update.
USERS_TRACK_SYNC = Endpoint(
    "users/track/sync",
    "Update one user profile, or record one event or purchase, and read the profile back",
    obj(
        {
            key: essential(array(item, max_items=1, every=True))
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
    unsafe_keys=_NEVER_DEDUPLICATED,
    max_objects=1,
)
_ALIAS_PART = value(STRING, max_bytes=MAX_ALIAS_BYTES)
USERS_ALIAS_UPDATE = Endpoint(
    "users/alias/update",
    "Rename a user alias: the alias name under a label",
    obj(
        {
            "alias_updates": required(
                array(
                    obj(
                        {
                            "alias_label": required(_ALIAS_PART),
                            "old_alias_name": required(_ALIAS_PART),
                            "new_alias_name": required(_ALIAS_PART),
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
    obj(
        {
            "external_id_renames": required(
                array(
                    obj(
                        {
                            "current_external_id": required(
                                value(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES),
                                note="the user's primary external_id",
                            ),
                            "new_external_id": required(
                                value(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES),
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
    checks=(
        Distinct(
            "external_id_renames",
            "current_external_id",
            "new_external_id",
            why="Braze refuses a rename to the same id",
        ),
    ),
    rate_limit="1,000 requests per minute",
    answer=Answer(
        example={"message": "success", "external_ids": ["new_external_id"], "rename_errors": []},
        fields=("message", "external_ids", "rename_errors"),
        refused="rename_errors",
    ),
)
USERS_EXTERNAL_IDS_REMOVE = Endpoint(
    "users/external_ids/remove",
    "Remove a user's deprecated external_ids, those a rename left behind; cannot be undone",
    obj(
        {
            "external_ids": required(
                array(value(STRING, max_bytes=MAX_EXTERNAL_ID_BYTES), max_items=MAX_RECIPIENTS),
                note="deprecated ids only; Braze refuses a primary one",
            )
        }
    ),
    repeat_safe=False,
    unsafe="a repeat would find the id removed and report the removal as refused",
    rate_limit="1,000 requests per minute",
    answer=Answer(
        example={"message": "success", "removed_ids": ["old_external_id"], "removal_errors": []},
        fields=("message", "removed_ids", "removal_errors"),
        refused="removal_errors",
    ),
)
USERS_TRACK = Endpoint(
    "users/track",
    "Create or update user profiles, and record events and purchases",
    obj(
        {
            # Each array the spec gives is something asked of Braze: none may
            # be dropped because an answer is missing.
            "attributes": essential(array(ATTRIBUTES_OBJECT, every=True)),
            "events": essential(array(EVENT_OBJECT, every=True)),
            "purchases": essential(array(PURCHASE_OBJECT, every=True)),
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
    unsafe_keys=_NEVER_DEDUPLICATED,
    max_objects=MAX_TRACK_OBJECTS,
)
USERS_IDENTIFY = Endpoint(
    "users/identify",
    "Attach an external_id to an alias-only, email-only or phone-only profile",
    obj(
        {
            "aliases_to_identify": optional(
                array(
                    obj(
                        {
                            "external_id": required(value(STRING)),
                            "user_alias": required(USER_ALIAS),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                    every=True,
                )
            ),
            "emails_to_identify": optional(
                array(
                    obj(
                        {
                            "external_id": required(value(STRING)),
                            "email": required(value(STRING, as_type="email")),
                            "prioritization": required(PRIORITIZATION_LIST),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                    every=True,
                )
            ),
            "phone_numbers_to_identify": optional(
                array(
                    obj(
                        {
                            "external_id": required(value(STRING)),
                            "phone": required(value(STRING, as_type="phone")),
                            "prioritization": required(PRIORITIZATION_LIST),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                    every=True,
                )
            ),
            "merge_behavior": optional(value(STRING, enum=("none", "merge"))),
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
)
USERS_ALIAS_NEW = Endpoint(
    "users/alias/new",
    "Create an alias-only profile, or add an alias to an existing one",
    obj(
        {
            "user_aliases": required(
                array(
                    obj(
                        {
                            "external_id": essential(
                                value(STRING),
                                note="the user the alias is added to; without it "
                                "Braze creates a new alias-only user",
                            ),
                            "alias_name": required(value(STRING, max_bytes=MAX_ALIAS_BYTES)),
                            "alias_label": required(value(STRING, max_bytes=MAX_ALIAS_BYTES)),
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
)
_DELETE_KINDS = ("external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers")
USERS_DELETE = Endpoint(
    "users/delete",
    "Delete user profiles permanently",
    obj(
        {
            "external_ids": optional(STRING_LIST),
            "user_aliases": optional(array(USER_ALIAS, max_items=MAX_RECIPIENTS)),
            "braze_ids": optional(STRING_LIST),
            "email_addresses": optional(
                array(
                    obj(
                        {
                            "email": required(value(STRING, as_type="email")),
                            "prioritization": required(PRIORITIZATION_LIST),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                )
            ),
            "phone_numbers": optional(
                array(
                    obj(
                        {
                            "phone": required(value(STRING, as_type="phone")),
                            "prioritization": required(PRIORITIZATION_LIST),
                        }
                    ),
                    max_items=MAX_RECIPIENTS,
                )
            ),
        },
        # The delete page: "only one identifier type is allowed per request"; its example
        # mixes them, but the rule is what Braze enforces.
        one_of=_DELETE_KINDS,
        exclusive=_DELETE_KINDS,
    ),
    success_status=202,
    rate_limit=_SHARED_USERS_LIMIT,
    answer=Answer(example={"deleted": 1}, fields=("deleted", "message")),
)
USERS_MERGE = Endpoint(
    "users/merge",
    "Merge one user profile into another",
    obj(
        {
            "merge_updates": required(
                array(
                    obj(
                        {
                            "identifier_to_merge": required(identifier_object(True)),
                            "identifier_to_keep": required(identifier_object(True)),
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
)
USERS_EXPORT_IDS = Endpoint(
    "users/export/ids",
    "Read user profiles by identifier",
    obj(
        {
            "external_ids": optional(STRING_LIST),
            "user_aliases": optional(array(USER_ALIAS, max_items=MAX_RECIPIENTS)),
            "device_id": optional(value(STRING)),
            "braze_id": optional(value(STRING)),
            "email_address": optional(value(STRING, as_type="email")),
            "phone": optional(value(STRING, as_type="phone")),
            "fields_to_export": optional(
                array(value(STRING, enum=EXPORT_FIELDS, enum_is_open=True)),
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
)

ENDPOINTS = (
    USERS_TRACK,
    USERS_TRACK_SYNC,
    USERS_IDENTIFY,
    USERS_ALIAS_NEW,
    USERS_ALIAS_UPDATE,
    USERS_DELETE,
    USERS_MERGE,
    USERS_EXTERNAL_IDS_RENAME,
    USERS_EXTERNAL_IDS_REMOVE,
    USERS_EXPORT_IDS,
)
