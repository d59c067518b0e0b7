"""Run one action node from a terminal, as Pypestream would.

    python -m acme_claims.run BrazeNodeName --env sandbox --payload '{"USER_ID": "u-1"}'

--dry-run prints the request without sending it; --url sends it to another server (a local
stand-in, say) instead of the environment's Braze instance.
"""

import argparse
import importlib
import json
import sys

from . import app

NODES = [
    "BrazeTrackProfile",
    "BrazeStartWelcomeCanvas",
    "BrazeLookupProfile",
]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m acme_claims.run")
    parser.add_argument("node", choices=NODES)
    parser.add_argument("--env", default="sandbox", choices=sorted(app.PARAMS))
    parser.add_argument("--payload", default="{}", help="the Parameter Input, as JSON")
    parser.add_argument("--context", default="{}", help="extra context, as JSON")
    parser.add_argument(
        "--url", help="send to this base URL instead of the environment's"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the request, send nothing"
    )
    args = parser.parse_args(argv)
    try:
        payload = json.loads(args.payload)
        context = {
            "env": args.env,
            "chat_id": "local-run",
            "user_data": {},
            "events": [],
        }
        context.update(json.loads(args.context))
    except json.JSONDecodeError as err:
        parser.error(f"--payload and --context take JSON: {err}")
    if not isinstance(payload, dict):
        parser.error('--payload takes a JSON object, such as {"USER_ID": "u-1"}')
    module = importlib.import_module(f"{__package__}.actions.{args.node}")
    node = getattr(module, args.node)()
    params = dict(app.PARAMS[args.env])
    if args.url:
        params["braze_url"] = args.url
        app.PARAMS[args.env] = params
    if args.dry_run:
        request, why = node.prepare(payload, context, params, _stderr)
        if request is None:
            print("not calling Braze: " + why)
            return 1
        shown = {
            "method": request["method"],
            "url": request["url"],
            "headers": {"Authorization": "Bearer ***", "Accept": "application/json"},
        }
        if request["json"] is not None:
            shown["headers"]["Content-Type"] = "application/json"
            shown["json"] = request["json"]
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return 0
    answer = node.execute(_stderr, payload, context)
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0 if answer.get("success") == "true" else 1


def _stderr(line):
    print(line, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
