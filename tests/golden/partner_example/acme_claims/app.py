"""Configuration of the AcmeClaims solution, read by its action nodes.

NAME is the customer and CSV_BOTS the solution: Pypestream knows the solution as
AcmeInsurance.AcmeClaims. PARAMS holds one dict per Pypestream environment: "sandbox" and
"live" ("prod" is the same dict as "live"). Braze API keys are read from the environment
variable each environment names and never written here; `pypestream-braze bundle --embed-key`
writes one into the copy of this file that is uploaded, if Pypestream has no such variables.
"""

import os

NAME = "AcmeInsurance"
BOTS = []
CSV_BOTS = ["AcmeClaims"]
PATH = os.path.dirname(__file__)

PARAMS = {
    "sandbox": {
        "braze_url": "https://rest.iad-01.braze.com",  # Braze instance US-01
        "braze_api_key": os.environ.get("BRAZE_API_KEY_SANDBOX", "").strip(),
        "braze_api_key_env": "BRAZE_API_KEY_SANDBOX",
        "braze_users_track": "users/track",
        "braze_canvas_trigger_send": "canvas/trigger/send",
        "braze_users_export_ids": "users/export/ids",
        "welcome_canvas_id": "0f0e2a9c-0000-4000-8000-000000000001",
    },
    "live": {
        "braze_url": "https://rest.iad-05.braze.com",  # Braze instance US-05
        "braze_api_key": os.environ.get("BRAZE_API_KEY_LIVE", "").strip(),
        "braze_api_key_env": "BRAZE_API_KEY_LIVE",
        "braze_users_track": "users/track",
        "braze_canvas_trigger_send": "canvas/trigger/send",
        "braze_users_export_ids": "users/export/ids",
        "welcome_canvas_id": "0f0e2a9c-0000-4000-8000-000000000002",
    },
}
PARAMS["prod"] = PARAMS["live"]
