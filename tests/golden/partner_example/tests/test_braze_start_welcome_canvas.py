"""BrazeStartWelcomeCanvas against a local Braze stand-in.

What every node must do is in node_contract.py; this module gives the node's own data.
"""

from .node_contract import NodeContract, Refusals


class TestBrazeStartWelcomeCanvas(NodeContract, Refusals):
    NODE = "BrazeStartWelcomeCanvas"
    PAYLOAD = {"USER_ID": "user-123", "FIRST_NAME": "Ada"}
    REQUEST = {
        "method": "POST",
        "path": "/canvas/trigger/send",
        "query": "",
        "json": {
            "canvas_id": "0f0e2a9c-0000-4000-8000-000000000001",
            "recipients": [
                {"external_user_id": "user-123", "context": {"first_name": "Ada"}}
            ],
        },
    }
    ACCEPTED = (201, {"dispatch_id": "dispatch-1", "message": "success"})
    OUTPUTS = {"BRAZE_DISPATCH_ID": "dispatch-1"}
    REFUSALS = [
        (("USER_ID",), "missing USER_ID"),
    ]
