"""BrazeTrackProfile against a local Braze stand-in.

What every node must do is in node_contract.py; this module gives the node's own data.
"""

from .node_contract import NodeContract, Refusals


class TestBrazeTrackProfile(NodeContract, Refusals):
    NODE = "BrazeTrackProfile"
    PAYLOAD = {
        "USER_ID": "user-123",
        "FIRST_NAME": "Ada",
        "LAST_NAME": "Lovelace",
        "EMAIL": "ada@example.com",
        "DATE_OF_BIRTH": "04/17/1990",
        "CITY": "London",
        "OPERATING_SYSTEM": "iOS",
    }
    REQUEST = {
        "method": "POST",
        "path": "/users/track",
        "query": "",
        "json": {
            "attributes": [
                {
                    "external_id": "user-123",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "email": "ada@example.com",
                    "dob": "1990-04-17",
                    "home_city": "London",
                    "os": "iOS",
                }
            ],
            "events": [
                {
                    "external_id": "user-123",
                    "name": "pypestream_profile_captured",
                    "properties": {"solution": "AcmeClaims", "chat_id": "chat-1"},
                    "time": "2024-05-01T10:30:00Z",
                }
            ],
        },
    }
    ACCEPTED = (201, {"message": "success", "attributes_processed": 1})
    OUTPUTS = {}
    REFUSALS = [
        (("USER_ID",), "missing USER_ID"),
    ]
