"""Webhook benchmark (`make bench-webhooks`): how fast our Telegram and WhatsApp webhooks
answer the platforms while 20 senders write at once.

Twilio and Telegram retry a webhook that does not answer quickly, and both would then
deliver the message twice, so the webhook must answer at once and leave the reply to the
background. Starts the real assistant (`python -m bot serve`, embedded defaults) with local
fakes of the Telegram Bot API and Twilio, then 20 senders hold a conversation at the same
time (half Telegram updates with the secret token, half Twilio form posts signed with
twilio's RequestValidator), each writing again a moment after the bot's reply arrives, as
people do. Prints p50/p95/max of the HTTP answer time per webhook and of the time until
the reply reached the fake platform, and, as the last line, one JSON object.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import start_assistant, stop_assistant  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI  # noqa: E402

SECRET = "bench-secret"
PUBLIC = "https://bot.example.org"
BOT_NUMBER = "whatsapp:+3197010203040"
MESSAGES = ["hallo", "1", "1", "Ik ben Amina uit Syrië", "Ik wil elektricien worden",
            "Ik kan goed met mijn handen werken", "mijn fiets is gestolen"]


def post(url: str, body: bytes, headers: dict) -> float:
    request = urllib.request.Request(url, body, headers, method="POST")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200, response.status
    return (time.perf_counter() - started) * 1000


THINK_SECONDS = 2.0  # a quick typist's pause after reading the reply (--think)


_think = [THINK_SECONDS]


def args_think() -> float:
    return _think[0]


def wait_for_reply(count, before: int, timeout: float = 30) -> float:
    started = time.perf_counter()
    while count() <= before and time.perf_counter() - started < timeout:
        time.sleep(0.01)
    return (time.perf_counter() - started) * 1000


def telegram_sender(base: str, fake: FakeTelegramAPI, chat_id: int, first_update: int, times: list,
                    replies: list) -> None:
    for offset, text in enumerate(MESSAGES):
        update = {"update_id": first_update + offset, "message": {
            "message_id": offset + 1, "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private"}, "from": {"id": chat_id, "is_bot": False, "first_name": "B"}}}
        before = len(fake.sent(chat_id))
        answered = post(base + "/webhooks/telegram/webhook", json.dumps(update).encode(),
                        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
        times.append(answered)
        replies.append(answered + wait_for_reply(lambda: len(fake.sent(chat_id)), before))
        time.sleep(args_think())


def whatsapp_sender(base: str, twilio: FakeTwilioAPI, number: str, index: int, times: list, replies: list) -> None:
    path = "/webhooks/whatsapp/webhook"
    for offset, text in enumerate(MESSAGES):
        fields = {"MessageSid": f"SMbench{index:03d}{offset:03d}", "AccountSid": ACCOUNT_SID, "From": number,
                  "To": BOT_NUMBER, "Body": text, "NumMedia": "0", "ProfileName": "B"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": twilio.sign(PUBLIC + path, fields)}
        before = len(twilio.messages(number))
        answered = post(base + path, urllib.parse.urlencode(fields).encode(), headers)
        times.append(answered)
        replies.append(answered + wait_for_reply(lambda: len(twilio.messages(number)), before))
        time.sleep(args_think())


def summary(times: list) -> dict:
    quantiles = statistics.quantiles(times, n=100)
    return {"requests": len(times), "p50_ms": round(quantiles[49], 1), "p95_ms": round(quantiles[94], 1),
            "max_ms": round(max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--think", type=float, default=THINK_SECONDS,
                        help="seconds a sender waits after the reply before writing again")
    args = parser.parse_args()
    _think[0] = args.think
    telegram, twilio = FakeTelegramAPI(), FakeTwilioAPI()
    with tempfile.TemporaryDirectory() as folder:
        process, base, _env = start_assistant(
            Path(folder), TRANSLATOR="none", TELEGRAM_BOT_TOKEN="123:bench", TELEGRAM_API_URL=telegram.url,
            TELEGRAM_SECRET_TOKEN=SECRET, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_WHATSAPP_FROM=BOT_NUMBER, TWILIO_API_URL=twilio.url, PUBLIC_BASE_URL=PUBLIC)
        try:
            times = {"telegram": [], "whatsapp": []}
            replies = {"telegram": [], "whatsapp": []}
            threads = []
            for index in range(args.senders):
                if index % 2:
                    target = (telegram_sender, (base, telegram, 500000 + index, 10_000 * (index + 1),
                                                times["telegram"], replies["telegram"]))
                else:
                    target = (whatsapp_sender, (base, twilio, f"whatsapp:+3161{index:07d}", index,
                                                times["whatsapp"], replies["whatsapp"]))
                threads.append(threading.Thread(target=target[0], args=target[1]))
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            # Every sender got its replies: the background did the work the webhook left to it.
            sent = len(telegram.calls("sendMessage")) + len(twilio.messages())
        finally:
            stop_assistant(process)
            telegram.close()
            twilio.close()
    result = {"senders": args.senders, "think_s": args.think, "telegram": summary(times["telegram"]),
              "whatsapp": summary(times["whatsapp"]), "reply_telegram": summary(replies["telegram"]),
              "reply_whatsapp": summary(replies["whatsapp"]), "replies_sent": sent, "seconds": round(elapsed, 1)}
    result["p95_ms"] = max(result["telegram"]["p95_ms"], result["whatsapp"]["p95_ms"])
    for channel in ("telegram", "whatsapp"):
        figures = result[channel]
        print(f"{channel}: {figures['requests']} webhook calls, p50 {figures['p50_ms']} ms, "
              f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms")
    for channel in ("telegram", "whatsapp"):
        figures = result[f"reply_{channel}"]
        print(f"{channel}: message to reply at the platform: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    print(f"{sent} replies sent through the fake APIs in {result['seconds']} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
