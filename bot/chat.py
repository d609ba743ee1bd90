"""A terminal chat over Rasa's REST channel: you are a candidate (or a registered partner).

Buttons are shown as a numbered list; typing the number sends that choice, as on WhatsApp.
"""

import argparse
import json
import sys
import urllib.request
import uuid
from typing import List, Optional

from bot import settings

QUIT = {"/quit", "/exit"}


def send(url: str, sender: str, text: str) -> List[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"[]")


def show(messages: List[dict]) -> None:
    for message in messages:
        if message.get("text"):
            print(f"\n🤖 {message['text']}")
        for number, button in enumerate(message.get("buttons") or [], start=1):
            print(f"   {number}. {button.get('title')}")
    print()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot chat", description=__doc__)
    parser.add_argument("--sender", default=None,
                        help="who you are: a new candidate id by default, or a partner's local address")
    parser.add_argument("--url", default=f"{settings.rasa_url()}/webhooks/rest/webhook")
    args = parser.parse_args(argv)
    sender = args.sender or f"local-{uuid.uuid4().hex[:8]}"
    print(f"You are '{sender}'. Say hello (in any language) to begin; /quit ends the chat.\n")
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.strip() in QUIT:
            return 0
        try:
            show(send(args.url, sender, text))
        except OSError as error:
            print(f"(the assistant did not answer: {error})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
