"""Configuration of the AcmeClaims solution, read by its action nodes.

PARAMS holds one dict per Pypestream environment: "sandbox" and "live" ("prod" is the same dict
as "live"). Braze API keys are read from environment variables and never written here.
"""

import os

NAME = "Acme Insurance"
BOTS = []
CSV_BOTS = ["AcmeClaims"]
PATH = os.path.dirname(__file__)

PARAMS = {
    "sandbox": {
        "braze_url": "https://rest.iad-01.braze.com",  # Braze instance US-01
        "braze_api_key": os.environ.get("BRAZE_API_KEY_SANDBOX", "").strip(),
        "braze_users_track": "users/track",
        "braze_canvas_trigger_send": "canvas/trigger/send",
        "braze_users_export_ids": "users/export/ids",
        "welcome_canvas_id": "0f0e2a9c-0000-4000-8000-000000000001",
    },
    "live": {
        "braze_url": "https://rest.iad-05.braze.com",  # Braze instance US-05
        "braze_api_key": os.environ.get("BRAZE_API_KEY_LIVE", "").strip(),
        "braze_users_track": "users/track",
        "braze_canvas_trigger_send": "canvas/trigger/send",
        "braze_users_export_ids": "users/export/ids",
        "welcome_canvas_id": "0f0e2a9c-0000-4000-8000-000000000002",
    },
}
PARAMS["prod"] = PARAMS["live"]
