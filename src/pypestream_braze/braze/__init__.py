"""The Braze catalogue: instances, endpoints and the shape of every request they accept.

One source of truth for validation, the JSON Schema, the templates and the README's tables.
Each section of Braze's REST API is a module that lists its endpoints in ENDPOINTS (users.py,
messaging.py, subscriptions.py, catalogs.py); endpoint.py says what one endpoint's record
holds, checks.py the rules a record may declare of a whole request, shapes.py and objects.py
what the sections share, instances.py the REST host of each Braze instance.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from . import catalogs, messaging, subscriptions, users
from .endpoint import Endpoint

# The API's sections, in the order the catalogue lists their endpoints.
SECTIONS = (users, messaging, subscriptions, catalogs)
ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType(
    {endpoint.path: endpoint for section in SECTIONS for endpoint in section.ENDPOINTS}
)
