"""Writes tests/flows/export.csv: a Design Studio export shaped like real ones, for the flow tests.

    python tests/flows/make_export.py        rewrites export.csv (the same bytes every time)

Shaped after a public production export of Design Studio: the 26 columns, CRLF line
endings, a global error handler at 99990 (an action node, SlackLogger) with its message at
99991, the conventional start nodes (1 ShowMetadata, 10 UserPlatformRouting, 104 SetEnv), 666
end chat, 999 agent, 1800 out of scope, node -585 written "'-585", and a hundred question
blocks of four nodes each (ask, validate, confirm, store), numbered sparsely up to 156,103.
Cells hold what real ones hold: line breaks (in messages, descriptions, Parameter Input JSON
and between What Next? pairs), double quotes, commas, emoji, `{VARIABLES}`, a description in
the spreadsheet's apostrophe convention ("'- Validates ...") and one that a spreadsheet would
run as a formula.

The facts the tests rely on are the constants below; nothing here reads the code under test.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent
EXPORT = HERE / "export.csv"
HEADER = (
    "Node Number",
    "Node Type",
    "Node Name",
    "Intent",
    "Entity Type",
    "Entity",
    "NLU Disabled?",
    "Next Nodes",
    "Message",
    "Rich Asset Type",
    "Rich Asset Content",
    "Answer Required?",
    "Behaviors",
    "Command",
    "Description",
    "Output",
    "Node Input",
    "Parameter Input",
    "Decision Variable",
    "What Next?",
    "Node Tags",
    "Skill Tag",
    "Variable",
    "Platform Flag",
    "Flows",
    "CSS Classname",
)

# What the conversation collects, one question block each (then again with a suffix).
ANSWERS = (
    ("FIRSTNAME", "first name"),
    ("LASTNAME", "last name"),
    ("EMAIL", "email address"),
    ("PHONE_NUMBER", "phone number"),
    ("POLICY_NUMBER", "policy number"),
    ("CLAIM_NUMBER", "claim number"),
    ("DOL", "date of loss (MM/DD/YYYY)"),
    ("LOSS_SUMMARY", "summary of what happened"),
    ("POLICYADDR1", "street address"),
    ("POLICYADDRCITY", "city"),
    ("POLICYADDRSTATE", "state"),
    ("POLICYADDRPOSTAL", "ZIP code"),
    ("POLICE_DEPARTMENT", "police department"),
    ("CASE_NUMBER", "police case number"),
    ("PROPERTY_OWNER", "property owner"),
    ("BUSINESS_PURPOSE", "business purpose, if any"),
    ("STOLEN_ITEM", "stolen item"),
    ("QUANTITY", "quantity"),
    ("COST", "cost, in dollars"),
    ("CONDITION", "item's condition"),
)
VALIDATORS = ("VarCheck", "ValidateEmail", "FormatPhone", "SearchTextForRegEx")
BLOCKS = 100
# Block k's four nodes are base, base + 1, base + 2, base + 3; the last block is far off.
BASES = (*(2000 + 100 * k for k in range(BLOCKS - 1)), 156100)

# Facts for the tests.
ERROR_NODE = 99990  # SlackLogger, an action node
ERROR_MESSAGE_NODE = 99991
NEGATIVE_NODE = -585
TAKEN_NODE = 5850  # GenerateVeriskToken, an action node
TAKEN_COMMAND = "GenerateVeriskToken"
END_NODE = 5856  # a decision node that ends the chat
FREE_NODES = tuple(range(7050, 7100, 10))  # numbers no node of the export uses
FORMULA = '=HYPERLINK("https://example.com/runbook","runbook")'


def rows() -> list[dict[str, str]]:
    result = [
        {
            "Node Number": str(ERROR_NODE),
            "Node Type": "A",
            "Node Name": "SlackLogger",
            "Message": "Live App ID\n\nf635a328-d734-4a89-8b39-3b37e2057da2",
            "Command": "SlackLogger",
            "Description": "Action node that sends error notifications to a Slack channel\n\n"
            "* Includes direct button links to Grafana as well as the CHATID",
            "Output": "success",
            "Decision Variable": "success",
            "What Next?": f"true~{ERROR_MESSAGE_NODE}|error~{ERROR_MESSAGE_NODE}",
            "Variable": "CHATID,LASTURL,ACTION_NODE_ERROR,SESSION_ID",
        },
        {
            "Node Number": str(ERROR_MESSAGE_NODE),
            "Node Type": "D",
            "Node Name": "Error message",
            "Message": "Sorry, something went wrong on our side.\n\nLet's start over.",
            "Rich Asset Type": "button",
            "Rich Asset Content": "Start over~1",
            "Answer Required?": "1",
        },
        _action(
            1, "ShowMetadata - Retrieves Chat ID", "ShowMetadata", "true~10|false~10", "CHATID"
        ),
        _action(
            10,
            "UserPlatformRouting - Capture device type",
            "UserPlatformRouting",
            "ios~104|android~104|desktop~104",
            "USER_PLATFORM",
        ),
        {
            **_action(104, "SetEnv", "SetEnv", "true~100|false~100", "ENVIRONMENT"),
            "Parameter Input": '{"set_env_as":"ENVIRONMENT"}',
            "Description": "Sets ENVIRONMENT, normally to either 'sandbox' or 'live'",
        },
        {
            "Node Number": "100",
            "Node Type": "D",
            "Node Name": "Welcome ✓",
            "Message": "Hi! I'm the **Acme** assistant 👋\nHow can I help you today?",
            "Rich Asset Type": "button",
            "Rich Asset Content": f"File a claim~{BASES[0]}|Talk to an agent~999|Goodbye~666",
            "Answer Required?": "1",
            "Behaviors": "disable_input",
        },
        {"Node Number": "666", "Node Type": "D", "Node Name": "End chat", "Message": "Bye!"},
        {
            "Node Number": "999",
            "Node Type": "D",
            "Node Name": "Agent",
            "Message": "Connecting you with an agent, one moment…",
            "Behaviors": "xfer_to_agent",
        },
        {
            "Node Number": "1800",
            "Node Type": "D",
            "Node Name": "Out of scope",
            "Intent": "out_of_scope",
            "Message": 'Sorry, I didn\'t get that. Try "file a claim", or "agent".',
            "NLU Disabled?": "1",
            "Next Nodes": "100",
        },
        {
            "Node Number": f"'{NEGATIVE_NODE}",  # as Design Studio writes a negative number
            "Node Type": "A",
            "Node Name": "BotToPlatform (requesting transcript from Platform)",
            "Message": "ECH BEGIN - requesting transcript",
            "Command": "BotToPlatform",
            "Output": "success",
            "Parameter Input": '{"schema" : "please_reply_with", "requesting": "chatlog"}',
            "Decision Variable": "success",
            "What Next?": f"true~{TAKEN_NODE}|false~{TAKEN_NODE}|error~{TAKEN_NODE}",
        },
        {
            **_action(
                TAKEN_NODE,
                TAKEN_COMMAND,
                TAKEN_COMMAND,
                f"true~{END_NODE}|false~{END_NODE}",
                "VERISK_ACCESS_TOKEN",
                error=END_NODE,
            ),
            "Description": "Generates an access token, for the link",
        },
        {"Node Number": str(END_NODE), "Node Type": "D", "Node Name": "ECH - End Chat"},
    ]
    for k, base in enumerate(BASES):
        result.extend(_block(k, base, BASES[k + 1] if k + 1 < BLOCKS else 666))
    return result


def _block(k: int, base: int, after: int) -> list[dict[str, str]]:
    variable, label = ANSWERS[k % len(ANSWERS)]
    if k >= len(ANSWERS):
        variable += f"_{k // len(ANSWERS) + 1}"
    validator = VALIDATORS[k % len(VALIDATORS)]
    what_next = f"true~{base + 2}|false~{base}|error~{ERROR_NODE}"
    if k % 3 == 0:  # Design Studio tolerates line breaks between the pairs
        what_next = what_next.replace("|", "|\n")
    description = ""
    if k % 10 == 4:  # in the spreadsheet's apostrophe convention, as real exports have it
        description = "'- Validates the answer's format\n- Returns valid"
    elif k == 7:
        description = FORMULA
    parameters = f'{{"global_var_name":"{variable}"}}'
    if k % 4 == 1:
        parameters = f'{{\n        "global_var_name": "{variable}",\n        "strict": true\n}}'
    return [
        {
            "Node Number": str(base),
            "Node Type": "D",
            "Node Name": f"Ask {label}",
            "NLU Disabled?": "1",
            "Next Nodes": str(base + 1),
            "Message": f"What is your {label}?" + ("\n(You can type it, or paste it.)" * (k % 2)),
            "Answer Required?": "1",
            "Variable": variable,
        },
        {
            "Node Number": str(base + 1),
            "Node Type": "A",
            "Node Name": f"{validator} - {variable}" + ("\n\n✓" if k % 5 == 2 else ""),
            "Command": validator,
            "Description": description,
            "Output": "valid",
            "Parameter Input": parameters,
            "Decision Variable": "valid",
            "What Next?": what_next,
            "Variable": variable,
        },
        {
            "Node Number": str(base + 2),
            "Node Type": "D",
            "Node Name": f"Confirm {label}",
            "Message": f'You said "{{{variable}}}", is that right?',
            "Rich Asset Type": "button",
            "Rich Asset Content": f"Yes~{base + 3}|No, change it~{base}",
            "Answer Required?": "1",
        },
        {
            "Node Number": str(base + 3),
            "Node Type": "A",
            "Node Name": f"AssignVariable → {variable}_CONFIRMED",
            "Command": "AssignVariable",
            "Output": "success",
            "Parameter Input": (
                f'{{\n    "set": {{\n        "{variable}_CONFIRMED": "true"\n    }}\n}}'
            ),
            "Decision Variable": "success",
            "What Next?": f"true~{after}|false~{after}|error~{ERROR_NODE}",
            "Variable": f"{variable}_CONFIRMED",
        },
    ]


def _action(number, name, command, routes, variable, error=ERROR_NODE) -> dict[str, str]:
    return {
        "Node Number": str(number),
        "Node Type": "A",
        "Node Name": name,
        "Command": command,
        "Output": "success",
        "Decision Variable": "success",
        "What Next?": f"{routes}|error~{error}",
        "Variable": variable,
    }


def text() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows():
        writer.writerow([row.get(column, "") for column in HEADER])
    return buffer.getvalue()


if __name__ == "__main__":
    EXPORT.write_bytes(text().encode("utf-8"))
