"""The catalog endpoints: one item of a catalog, read by its id."""

from __future__ import annotations

from .endpoint import Answer, Endpoint

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
