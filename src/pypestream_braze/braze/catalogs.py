"""The catalog endpoints: one item of a catalog, read by its id, and a catalog's items."""

from __future__ import annotations

from dataclasses import replace

from .endpoint import PATH_VALUE, Answer, Endpoint
from .shapes import STRING, obj, optional, value

_ITEM_LIMIT = "50 requests per minute, shared by the synchronous catalog item endpoints"
# The create catalog page: a name holds letters, digits, - and _ only (invalid-catalog-name).
_CATALOG_NAME = {"catalog_name": replace(PATH_VALUE, identifier="catalog_name")}
_RESTAURANT = {"id": "restaurant1", "Name": "Restaurant1", "City": "New York", "Rating": 5}
CATALOG_ITEM = Endpoint(
    "catalogs/{catalog_name}/items/{item_id}",
    "Read one catalog item: a product, its price",
    None,
    method="GET",
    permission="catalogs.get_item",
    success_status=200,
    rate_limit=_ITEM_LIMIT,
    answer=Answer(
        example={"items": [_RESTAURANT], "message": "success"},
        fields=("items", "message"),
        found=("items",),
        # A 404 naming "catalog-not-found" is a wrong catalog name: the integration is broken.
        missing=("item-not-found",),
        nothing="the catalog has no such item",
    ),
    path_values=_CATALOG_NAME,
)
# Fifty items a page; the next page's cursor is in the Link header, which outputs do not read,
# so a node reads the first page (or the page a cursor names).
CATALOG_ITEMS = Endpoint(
    "catalogs/{catalog_name}/items",
    "List a catalog's items, fifty a page",
    None,
    method="GET",
    query=obj({"cursor": optional(value(STRING), note="the page to read, from a Link header")}),
    permission="catalogs.get_items",
    success_status=200,
    rate_limit=_ITEM_LIMIT,
    answer=Answer(
        example={
            "items": [
                {
                    "id": f"restaurant{n}",
                    "Name": f"Restaurant{n}",
                    "City": "New York",
                    "Cuisine": "American",
                    "Rating": rating,
                    "Loyalty_Program": n != 3,
                    "Open_Time": "2022-11-02T09:03:19.967Z",
                }
                for n, rating in ((1, 5), (2, 10), (3, 5))
            ],
            "message": "success",
        },
        fields=("items", "message"),
        found=("items",),
        nothing="the catalog has no items",
    ),
    path_values=_CATALOG_NAME,
    slug="catalogs_items_list",
)

ENDPOINTS = (CATALOG_ITEM, CATALOG_ITEMS)
