"""Sample answers that can fail: a generated test built on them tells a right conversion from a
wrong one (day and month swapped, a 12-hour clock read as 24) and looks like a real answer."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from helpers import MAPPINGS

from pypestream_braze.mapping.load import load_spec
from pypestream_braze.model import Var
from pypestream_braze.render.samples import sample_payload

SPEC = """\
version: 1
customer: AcmeInsurance
solution: AcmeClaims
environments:
  sandbox: {{instance: US-01}}
  live: {{instance: US-05}}
nodes:
  - name: BrazeTrackClaim
    endpoint: users/track
    identifier: {{external_id: "{{USER_ID}}"}}
    body:
      attributes:
        - {attributes}
    routing: {{node: 100, success: 110, failure: 120, error: 130}}
"""


def payload(tmp_path, attributes: str) -> dict[str, str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(attributes=attributes), encoding="utf-8")
    (node,) = load_spec(spec).solution.nodes
    return sample_payload(node)


SWAPS = {"%d": "%m", "%m": "%d", "%H": "%I", "%I": "%H"}


def swapped(pattern: str) -> str:
    return re.sub(r"%[dmHI]", lambda found: SWAPS[found.group()], pattern)


@pytest.mark.parametrize(
    "pattern",
    ["%d/%m/%Y", "%m/%d/%Y", "%d.%m.%y", "%Y-%d-%m", "%m/%d/%Y %H:%M", "%d/%m/%Y %I:%M %p"],
)
def test_a_date_read_the_wrong_way_round_is_refused(tmp_path, pattern):
    # A datetime format without %z needs the zone its answers are in.
    kind = "datetime, zone: UTC" if "%M" in pattern else "date"
    sample = payload(
        tmp_path,
        f'incident_date: {{var: INCIDENT_DATE, as: {kind}, format: "{pattern}"}}',
    )["INCIDENT_DATE"]
    datetime.strptime(sample, pattern)  # the node's own format reads it
    with pytest.raises(ValueError):
        datetime.strptime(sample, swapped(pattern))


def test_answers_look_like_answers_of_their_kind(tmp_path):
    sampled = payload(
        tmp_path,
        'policy_number: "{POLICY_NUMBER}"\n'
        '          claim_id: "{CLAIM_ID}"\n'
        "          email: {var: EMAIL, as: email}\n"
        "          phone: {var: MOBILE, as: phone}\n"
        '          dob: {var: DATE_OF_BIRTH, as: date, format: "%d/%m/%Y"}\n'
        '          favourite_colour: "{FAVOURITE_COLOUR}"',
    )
    assert sampled == {
        "USER_ID": "user-123",
        "POLICY_NUMBER": "POL-48213-7",
        "CLAIM_ID": "CLM-2024-00917",
        "EMAIL": "ada@example.com",
        "MOBILE": "+14155552671",
        "DATE_OF_BIRTH": "17/04/1990",
        "FAVOURITE_COLOUR": "Favourite Colour",
    }


@pytest.mark.parametrize("mapping", sorted(MAPPINGS.glob("*.yaml")), ids=lambda p: p.stem)
def test_no_example_samples_a_date_that_reads_both_ways(mapping):
    for node in load_spec(mapping).solution.nodes:
        sampled = sample_payload(node)
        for leaf in node.sent_values:
            if isinstance(leaf, Var) and leaf.format and re.search("%[dm]", leaf.format):
                with pytest.raises(ValueError):
                    datetime.strptime(sampled[leaf.name], swapped(leaf.format))
