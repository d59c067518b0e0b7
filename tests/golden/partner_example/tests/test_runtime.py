"""The runtime below each node's RUNTIME line is the same in every node: one node shows what
it does whatever the node."""

import time

from .node_contract import node, runner
from .test_braze_track_profile import TestBrazeTrackProfile as First


def test_an_answer_trickling_in_is_cut_at_the_budget(braze, monkeypatch):
    module, _ = node(First.NODE)
    monkeypatch.setattr(module, "TIME_BUDGET", 0.5)
    for _ in range(module.MAX_ATTEMPTS):
        braze.reply(201, {"message": "success", "padding": "x" * 40}, trickle=0.05)
    started = time.monotonic()
    _, answer, _ = runner(First.NODE, monkeypatch)(First.PAYLOAD)
    assert answer["success"] == "error"
    assert time.monotonic() - started < 1.0
