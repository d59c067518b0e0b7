"""BrazeLookupProfile against a local Braze stand-in.

What every node must do is in node_contract.py; this module gives the node's own data.
"""

from .node_contract import Lookup, NodeContract, Refusals


class TestBrazeLookupProfile(NodeContract, Refusals, Lookup):
    NODE = "BrazeLookupProfile"
    PAYLOAD = {"USER_ID": "user-123"}
    REQUEST = {
        "method": "POST",
        "path": "/users/export/ids",
        "query": "",
        "json": {
            "external_ids": ["user-123"],
            "fields_to_export": ["first_name", "custom_attributes"],
        },
    }
    ACCEPTED = (
        200,
        {
            "message": "success",
            "users": [{"external_id": "user-123", "first_name": "Jane"}],
            "invalid_user_ids": [],
        },
    )
    OUTPUTS = {"BRAZE_FIRST_NAME": "Jane", "LOYALTY_TIER": ""}
    REFUSALS = [
        (("USER_ID",), "missing USER_ID"),
    ]
    NOTHING_FOUND = (
        200,
        {"message": "success", "users": [], "invalid_user_ids": []},
        "no Braze profile matches",
    )
