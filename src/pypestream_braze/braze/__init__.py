"""The Braze catalogue: instances, endpoints and the shape of every request they accept.

One source of truth for validation, the JSON Schema and the templates. Facts and their sources
are in docs/braze-api.md of the team's shared notes; section numbers in the modules refer to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .catalogs import CATALOG_ITEM
from .endpoint import DEFAULT_RATE_LIMIT, Answer, Endpoint
from .instances import INSTANCES, REST_HOST_SUFFIXES
from .messaging import (
    CAMPAIGNS_TRIGGER_SEND,
    CANVAS_TRIGGER_SEND,
    LOCAL_SCHEDULE,
    LOCAL_SCHEDULE_FLAGS,
    MESSAGES_SEND,
    SCHEDULE,
    SCHEDULE_ENDPOINTS,
    SENDS_ID_CREATE,
    TRANSACTIONAL_SEND,
)
from .objects import (
    ATTRIBUTES_OBJECT,
    EMAIL_MESSAGE,
    EVENT_OBJECT,
    EXPORT_FIELDS,
    GLOBAL_SUBSCRIPTION_STATES,
    MESSAGE_TYPES,
    PATH_VALUE,
    PRIMARY_IDENTIFIERS,
    PRIORITIZATION,
    PURCHASE_OBJECT,
    RECIPIENT_IDENTIFIERS,
    RETIRED_ATTRIBUTES,
    SECONDARY_IDENTIFIERS,
    SMS_MESSAGE,
    STANDARD_ATTRIBUTES,
    TRACK_IDENTIFIERS,
    USER_ALIAS,
)
from .shapes import (
    ANY,
    ARRAY,
    BOOLEAN,
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
    MAX_TRACK_OBJECTS,
    NUMBER,
    OBJECT,
    PROPERTY_VALUE,
    STRING,
    Field,
    Shape,
    _obj,
)
from .subscriptions import (
    EMAIL_STATUS,
    SUBSCRIPTION_STATES,
    SUBSCRIPTION_STATUS_GET,
    SUBSCRIPTION_STATUS_SET,
    SUBSCRIPTION_STATUS_SET_V2,
    SUBSCRIPTION_USER_STATUS,
)
from .users import (
    USERS_ALIAS_NEW,
    USERS_ALIAS_UPDATE,
    USERS_DELETE,
    USERS_EXPORT_IDS,
    USERS_EXTERNAL_IDS_RENAME,
    USERS_IDENTIFY,
    USERS_MERGE,
    USERS_TRACK,
    USERS_TRACK_SYNC,
)

ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType(
    {
        endpoint.path: endpoint
        for endpoint in (
            USERS_TRACK,
            USERS_TRACK_SYNC,
            USERS_IDENTIFY,
            USERS_ALIAS_NEW,
            USERS_ALIAS_UPDATE,
            USERS_DELETE,
            USERS_MERGE,
            USERS_EXTERNAL_IDS_RENAME,
            USERS_EXPORT_IDS,
            MESSAGES_SEND,
            CAMPAIGNS_TRIGGER_SEND,
            CANVAS_TRIGGER_SEND,
            *SCHEDULE_ENDPOINTS,
            SENDS_ID_CREATE,
            TRANSACTIONAL_SEND,
            SUBSCRIPTION_STATUS_SET,
            SUBSCRIPTION_STATUS_SET_V2,
            SUBSCRIPTION_STATUS_GET,
            SUBSCRIPTION_USER_STATUS,
            EMAIL_STATUS,
            CATALOG_ITEM,
        )
    }
)

# Endpoints whose objects carry events or purchases are not repeat-safe when those are present.
TRACK_UNSAFE_ARRAYS = ("events", "purchases")

__all__ = [
    "ANY",
    "ARRAY",
    "ATTRIBUTES_OBJECT",
    "BOOLEAN",
    "CAMPAIGNS_TRIGGER_SEND",
    "CANVAS_TRIGGER_SEND",
    "CATALOG_ITEM",
    "CUSTOM_VALUE",
    "DATE",
    "DATETIME",
    "DEFAULT_RATE_LIMIT",
    "E164",
    "EMAIL_MESSAGE",
    "EMAIL_STATUS",
    "ENDPOINTS",
    "EVENT_OBJECT",
    "EXPORT_FIELDS",
    "GLOBAL_SUBSCRIPTION_STATES",
    "INSTANCES",
    "INTEGER",
    "LOCAL_SCHEDULE",
    "LOCAL_SCHEDULE_FLAGS",
    "MAX_ALIAS_BYTES",
    "MAX_EXTERNAL_ID_BYTES",
    "MAX_PURCHASE_QUANTITY",
    "MAX_RECIPIENTS",
    "MAX_STRING",
    "MAX_TRACK_OBJECTS",
    "MESSAGES_SEND",
    "MESSAGE_TYPES",
    "NUMBER",
    "OBJECT",
    "PATH_VALUE",
    "PRIMARY_IDENTIFIERS",
    "PRIORITIZATION",
    "PROPERTY_VALUE",
    "PURCHASE_OBJECT",
    "RECIPIENT_IDENTIFIERS",
    "REST_HOST_SUFFIXES",
    "RETIRED_ATTRIBUTES",
    "SCHEDULE",
    "SCHEDULE_ENDPOINTS",
    "SECONDARY_IDENTIFIERS",
    "SENDS_ID_CREATE",
    "SMS_MESSAGE",
    "STANDARD_ATTRIBUTES",
    "STRING",
    "SUBSCRIPTION_STATES",
    "SUBSCRIPTION_STATUS_GET",
    "SUBSCRIPTION_STATUS_SET",
    "SUBSCRIPTION_STATUS_SET_V2",
    "SUBSCRIPTION_USER_STATUS",
    "TRACK_IDENTIFIERS",
    "TRACK_UNSAFE_ARRAYS",
    "TRANSACTIONAL_SEND",
    "USERS_ALIAS_NEW",
    "USERS_ALIAS_UPDATE",
    "USERS_DELETE",
    "USERS_EXPORT_IDS",
    "USERS_EXTERNAL_IDS_RENAME",
    "USERS_IDENTIFY",
    "USERS_MERGE",
    "USERS_TRACK",
    "USERS_TRACK_SYNC",
    "USER_ALIAS",
    "Answer",
    "Endpoint",
    "Field",
    "Shape",
    "_obj",
]
