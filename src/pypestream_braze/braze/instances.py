"""Braze's instances and the REST host of each (Braze's API basics page)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# REST base URL per instance.
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
