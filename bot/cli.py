"""`python -m bot`: the command line of Korte Lijnen. Every command has --help.

Each command is a small function taking the parsed arguments and a Store; `COMMANDS`
lists them with their arguments, so a new command is one function and one entry.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TYPE_CHECKING, Callable, List, Optional

from bot.vocabulary import ALERT_STATUSES, CHANNELS, INTAKE_TOPICS, NOTIFY_MODES, PRECONDITIONS, ROLES

if TYPE_CHECKING:
    from bot.store import Store


class UserError(Exception):
    """A mistake in what was asked: printed as one line, never as a traceback."""


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# Store commands ------------------------------------------------------------------------

def db_upgrade(args, store: Store) -> None:
    store.upgrade()
    print("database schema is up to date")


def candidate_list(args, store: Store) -> None:
    rows = store.list_candidates()
    if args.json:
        return _print_json(rows)
    if not rows:
        print("no candidates yet")
    for row in rows:
        consent = {True: "consent", False: "no consent", None: "consent not asked"}[row["consent"]]
        state = "intake complete" if row["intake_complete"] else f"{row['answered']}/10 answered"
        print(f"{row['sender_id']}  [{row['channel']}, {row['language'] or '-'}]  {consent}, {state}")


def candidate_show(args, store: Store) -> None:
    view = store.candidate_view(args.id)
    if args.json:
        return _print_json(view)
    print(f"Candidate {view['sender_id']} ({view['channel']}), language {view['language'] or '-'}")
    print(f"Consent: {view['consent']} ({view['consent_version'] or '-'}, {view['consent_at'] or '-'})")
    print(f"Stopped: {view['stopped']}  Intake complete: {view['intake_complete']}")
    for topic in INTAKE_TOPICS:
        status = view["answer_status"][topic] or "not asked"
        print(f"  {topic:16} {view['answers'][topic] or '(' + status + ')'}")
    for key in PRECONDITIONS:
        row = view["preconditions"][key]
        note = f" - {row['note']}" if row["note"] else ""
        print(f"  {key:16} {row['status']}{note}")
    for partner in view["partners"]:
        print(f"  linked: {partner['role']} {partner['name']} (#{partner['id']})")


def partner_add(args, store: Store) -> None:
    partner_id = store.add_partner(args.role, args.name, args.channel, args.address)
    print(f"added {args.role} {args.name}")
    print(partner_id)


def link(args, store: Store) -> None:
    store.link(args.candidate, args.partner)
    print(f"linked candidate {args.candidate} to partner {args.partner}")


def translate_pending(args, store: Store) -> None:
    from bot import translate

    translator = translate.from_env()
    done = translate.translate_pending(store, translator)
    left = len(store.untranslated())
    print(f"translated {done} answers with '{translator.name}'; {left} still wait")


# Alerts --------------------------------------------------------------------------------

def _alert_line(alert: dict) -> str:
    who = alert["assigned_to"]["name"] if alert["assigned_to"] else "UNASSIGNED"
    urgent = " URGENT" if alert["urgent"] else ""
    return (f"#{alert['id']:<5} {alert['created_at'][:16]}  {alert['status']:<12} {alert['kind']}/"
            f"{alert['problem_type']}{urgent}  candidate {alert['sender_id']}  -> {who}")


def alerts_list(args, store: Store) -> None:
    from bot import alerts

    rows = alerts.list_alerts(store, status=args.status)
    if args.json:
        return _print_json(rows)
    if not rows:
        print("no alerts" + (f" with status {args.status}" if args.status else ""))
    for row in rows:
        print(_alert_line(row))


def alerts_show(args, store: Store) -> None:
    from bot import alerts

    alert = alerts.show_alert(store, args.id)
    if alert is None:
        raise UserError(f"no alert {args.id}")
    _print_json(alert)


def alerts_ack(args, store: Store) -> None:
    from bot import alerts

    try:
        changed = alerts.acknowledge(store, args.id, args.by)
    except alerts.NotAllowed:
        raise UserError(f"partner {args.by} cannot acknowledge alert {args.id} (unknown, or not their candidate)")
    print(f"alert {args.id} acknowledged by partner {args.by}" if changed
          else f"alert {args.id} was already acknowledged or closed")


def alerts_close(args, store: Store) -> None:
    from bot import alerts

    try:
        alerts.close(store, args.id)
    except alerts.UnknownAlert:
        raise UserError(f"no alert {args.id}")
    print(f"alert {args.id} closed")


def partner_notify(args, store: Store) -> None:
    store.set_notify(args.id, args.mode)
    print(f"partner {args.id} now hears of alerts: {args.mode}")


def worker(args, store: Optional[Store]) -> int:
    from bot.worker.__main__ import main as run_worker

    return run_worker(once=args.once)


def telegram_set_webhook(args, store: Optional[Store]) -> None:
    from bot.channels.telegram import webhook

    print(webhook.set_webhook(new_secret=args.new_secret))


# Service commands (no store) -----------------------------------------------------------

def serve(args, store: Optional[Store]) -> int:
    from bot import services

    return services.serve()


def run(args, store: Optional[Store]) -> int:
    from bot import services

    return services.run(sender=args.sender)


def chat(args, store: Optional[Store]) -> int:
    from bot import chat as terminal_chat

    return terminal_chat.main(args.chat_args)


# (words, help, arguments, handler, needs the store)
COMMANDS: List[tuple] = [
    (("db", "upgrade"), "apply the database migrations", [], db_upgrade, True),
    (("candidate", "list"), "list the candidates", [("--json", dict(action="store_true"))],
     candidate_list, True),
    (("candidate", "show"), "everything stored on one candidate",
     [("id", dict(metavar="ID", help="the candidate's sender id")),
      ("--json", dict(action="store_true"))], candidate_show, True),
    (("partner", "add"), "register a partner (prints the new id on the last line)",
     [("--role", dict(required=True, choices=ROLES)), ("--name", dict(required=True)),
      ("--channel", dict(required=True, choices=CHANNELS)),
      ("--address", dict(required=True, help="Telegram chat id, whatsapp:+31..., or the local sender id"))],
     partner_add, True),
    (("link",), "link a candidate to a partner",
     [("candidate", dict(help="the candidate's sender id")), ("partner", dict(type=int, help="the partner's id"))],
     link, True),
    (("partner", "notify"), "how a regisseur hears of non-urgent alerts: at once or in a daily digest",
     [("id", dict(type=int, help="the partner's id")), ("mode", dict(choices=NOTIFY_MODES))],
     partner_notify, True),
    (("alerts",), "list alerts, newest first (see also: alerts ack/show/close)",
     [("--status", dict(choices=ALERT_STATUSES + ("unassigned",))), ("--json", dict(action="store_true"))],
     alerts_list, True),
    (("alerts", "show"), "one alert with its deliveries, as JSON",
     [("id", dict(type=int, metavar="ID"))], alerts_show, True),
    (("alerts", "ack"), "acknowledge an alert on behalf of a partner",
     [("id", dict(type=int, metavar="ID")), ("--by", dict(type=int, required=True, metavar="PARTNER",
                                                          help="the partner's id"))], alerts_ack, True),
    (("alerts", "close"), "close an alert that needs nothing more", [("id", dict(type=int, metavar="ID"))],
     alerts_close, True),
    (("worker",), "deliver alerts, escalate and send digests until stopped",
     [("--once", dict(action="store_true", help="deliver what is due now, then stop"))], worker, False),
    (("translate", "pending"), "translate answers still waiting for Dutch (TRANSLATOR=...)", [],
     translate_pending, True),
    (("telegram", "set-webhook"), "register the Telegram webhook at PUBLIC_BASE_URL with a secret token",
     [("--new-secret", dict(action="store_true", help="generate a new secret even if TELEGRAM_SECRET_TOKEN is set"))],
     telegram_set_webhook, False),
    (("serve",), "run Rasa and the action server in the foreground", [], serve, False),
    (("run",), "run the services and a terminal chat",
     [("--sender", dict(help="chat as this sender id (e.g. a registered partner's local address)"))], run, False),
    (("chat",), "a terminal chat with a running assistant (see --help of the chat)",
     [("chat_args", dict(nargs=argparse.REMAINDER))], chat, False),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Korte Lijnen command line")
    groups, singles = {}, {}
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for words, help_text, arguments, handler, needs_store in COMMANDS:
        if len(words) == 1:
            command = singles[words[0]] = top.add_parser(words[0], help=help_text, description=help_text)
        else:
            if words[0] not in groups:
                # "alerts" is a command of its own and a group ("alerts ack"): then the
                # subcommand is optional.
                group = singles.get(words[0]) or top.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = group.add_subparsers(
                    dest="subcommand", required=words[0] not in singles, metavar="SUBCOMMAND")
            command = groups[words[0]].add_parser(words[1], help=help_text, description=help_text)
        for name, options in arguments:
            command.add_argument(name, **options)
        command.set_defaults(handler=handler, needs_store=needs_store)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    # SQLAlchemy and Alembic load only now, so --help and usage errors answer at once.
    from sqlalchemy import exc as db_errors

    from bot.store import Store, UnknownCandidate, UnknownPartner

    handler: Callable = args.handler
    try:
        store = None
        if args.needs_store:
            store = Store.from_env()
            store.upgrade()
        return handler(args, store) or 0
    except UnknownCandidate as error:
        print(f"error: no candidate with sender id '{error.args[0]}'", file=sys.stderr)
    except UnknownPartner as error:
        print(f"error: no partner with id {error.args[0]}", file=sys.stderr)
    except (UserError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
    except db_errors.ArgumentError:
        # Not the URL itself: it may hold a password.
        print("error: DATABASE_URL is not a database URL SQLAlchemy can open", file=sys.stderr)
    except db_errors.DBAPIError as error:
        # The driver's message only: SQLAlchemy's own adds the statement and its parameters,
        # which can be a candidate's answers.
        print(f"error: database: {str(error.orig).strip()}", file=sys.stderr)
    return 1
