"""Braze's Liquid in message content passes through untouched; {VAR} placeholders around it fill."""

from __future__ import annotations

SPEC = """\
version: 1
customer: Acme
solution: AcmeMail
environments:
  sandbox: {instance: US-01}
  live: {instance: US-05}
nodes:
  - name: BrazeSendWelcome
    endpoint: messages/send
    body:
      external_user_ids: ["{USER_ID}"]
      messages:
        email:
          app_id: app-1
          from: Acme <hello@example.com>
          subject: "Welcome {FIRST_NAME}"
          body: "LIQUID"
    routing: {node: 10, success: 20, failure: 30, error: 40}
"""
LIQUID = "Hi {{${first_name} | default: 'there'}}{% if ${city} %} from {{${city}}}{% endif %}"


def test_liquid_is_sent_as_written(generate, httpserver, monkeypatch):
    solution = generate(SPEC.replace("LIQUID", LIQUID))
    params = solution.app.PARAMS["sandbox"]
    monkeypatch.setitem(params, "braze_url", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setitem(params, "braze_api_key", "bz-test-key-0123")
    httpserver.expect_request("/messages/send").respond_with_json({"message": "success"}, 201)
    _, node = solution.node("BrazeSendWelcome")

    answer = node.execute(print, {"USER_ID": "u-1", "FIRST_NAME": "Ada"}, {"env": "sandbox"})

    assert answer["success"] == "true"
    email = httpserver.log[0][0].get_json()["messages"]["email"]
    assert email["subject"] == "Welcome Ada"
    assert email["body"] == LIQUID
