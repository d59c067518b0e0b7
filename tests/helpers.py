"""Helpers shared by the tests: write generated files to disk and import them for real."""

from __future__ import annotations

import importlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
GOLDEN = TESTS / "golden"
# The golden files keep each node's own part; the runtime, the same below every node's marker
# line, is kept once (GOLDEN_RUNTIME), so a change to it shows as one diff.
GOLDEN_RUNTIME = GOLDEN / "runtime.py"
RUNTIME_STAND_IN = "# (the RUNTIME line and the runtime: tests/golden/runtime.py)\n"
MAPPINGS = REPO / "mappings"
PARTNER_EXAMPLE = MAPPINGS / "partner_example.yaml"
# What the partner page's conversation collects, as Pypestream passes it in the payload.
PARTNER_ANSWERS = {
    "USER_ID": "conv-user-123",
    "FIRST_NAME": "Ada",
    "LAST_NAME": "Lovelace",
    "EMAIL": "ada@example.com",
    "DATE_OF_BIRTH": "04/01/1990",
    "CITY": "London",
    "OPERATING_SYSTEM": "iOS",
}


def write_files(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    return root


class Solution:
    """A generated solution on disk whose modules can be imported (fresh for every test)."""

    def __init__(self, root: Path, package: str):
        self.root = root
        self.package = package

    def module(self, dotted: str):
        return importlib.import_module(f"{self.package}.{dotted}")

    def node(self, name: str):
        module = self.module(f"actions.{name}")
        return module, getattr(module, name)()

    @property
    def app(self):
        return self.module("app")


def golden_text(path: str, text: str) -> str:
    """A generated file as the golden files keep it: a node without its runtime, which must
    be the one runtime.py holds, below a marker that matches it."""
    from pypestream_braze import node_runtime

    cut = node_runtime.split(text)
    if cut is None:
        return text
    assert node_runtime.problem(text) is None, path
    assert cut.runtime == node_runtime.text(), path
    return cut.part + RUNTIME_STAND_IN


def update_golden_runtime() -> None:
    from pypestream_braze import node_runtime

    GOLDEN_RUNTIME.write_text(node_runtime.text(), encoding="utf-8", newline="")


# A spec with every value form, whose nodes must send safe requests (tests/runtime/
# test_safe_requests.py) and whose solution's own suite must pass (tests/e2e/).
VALUE_FORMS = """\
version: 1
customer: Acme
solution: SafeExample
environments:
  sandbox: {instance: US-01, params: {segment: seg-1}}
  live: {instance: US-05, params: {segment: seg-1}}
defaults: {error_node: 99990}
nodes:
  - name: BrazeSendToUser
    endpoint: messages/send
    body:
      external_user_ids: ["{USER_ID}"]
      segment_id: {param: segment}
      messages:
        email:
          app_id: app-1
          from: Acme <hello@example.com>
          subject: "Your claim {CLAIM_ID}"
          body: Thank you.
        sms:
          subscription_group_id: sms-1
          app_id: app-1
          body: "{SMS_TEXT}"
    routing: {node: 100, success: 110, failure: 120}
  - name: BrazeTrackAlias
    endpoint: users/track
    identifier:
      user_alias: {alias_name: "{ALIAS}", alias_label: chat}
    body:
      attributes:
        - _update_existing_only: false
          first_name: "{FIRST_NAME}"
    routing: {node: 200, success: 210, failure: 220}
  - name: BrazeTrackValues
    endpoint: users/track
    identifier: {external_id: "{USER_ID}"}
    body:
      attributes:
        - dob: {var: DOB, as: date, format: "%d/%m/%Y", default: "31/12/1990"}
          gender: {var: GENDER, default: male}
          country: "{COUNTRY}"
          note: "{NOTE}"
          balance: {var: BALANCE, as: float}
      purchases:
        - product_id: policy
          currency: EUR
          price: {var: PRICE, as: float}
          quantity: {var: QUANTITY, as: integer}
    routing: {node: 300, success: 310, failure: 320}
  - name: BrazeLookup
    endpoint: users/export/ids
    body:
      external_ids: ["{USER_ID}"]
      fields_to_export: [first_name]
    routing: {node: 400, success: 410, failure: 420}
"""
