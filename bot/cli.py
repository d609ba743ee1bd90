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

from bot.vocabulary import (ALERT_STATUSES, CHANNELS, INTAKE_TOPICS, NOTIFY_MODES, PHASES, PRECONDITIONS, ROLES,
                            STATES)

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
    from bot.registry import partners

    partner_id = partners.add(store, args.role, args.name, args.channel, args.address, args.trajectory)
    print(f"added {args.role} {args.name}")
    print(partner_id)


def link(args, store: Store) -> None:
    store.link(args.candidate, args.partner)
    print(f"linked candidate {args.candidate} to partner {args.partner}")


def unlink(args, store: Store) -> None:
    from bot.registry import partners

    removed = partners.unlink(store, args.candidate, args.partner)
    print(f"unlinked candidate {args.candidate} from partner {args.partner}" if removed
          else f"candidate {args.candidate} was not linked to partner {args.partner}")


def partner_list(args, store: Store) -> None:
    from bot.registry import partners

    rows = partners.list_all(store)
    if args.json:
        return _print_json(rows)
    if not rows:
        print("no partners yet")
    for row in rows:
        trajectory = f", oversees {row['trajectory']}" if row["trajectory"] else ""
        print(f"#{row['id']:<4} {row['role']:<17} {row['name']}  [{row['channel']} {row['address']}]"
              f"  {row['candidates']} candidate(s){trajectory}")


def partner_remove(args, store: Store) -> None:
    from bot.registry import partners

    removed = partners.remove(store, args.id)
    print(f"removed partner {args.id} and {removed['links']} link(s)")
    if removed["open_alerts"]:
        print(f"{removed['open_alerts']} open alert(s) of theirs are unassigned now; the worker routes them again")


def trajectory_add(args, store: Store) -> None:
    from bot.registry import trajectories

    trajectory_id = trajectories.add(store, args.name)
    print(f"added trajectory {args.name}")
    print(trajectory_id)


def trajectory_list(args, store: Store) -> None:
    from bot.registry import trajectories

    rows = trajectories.list_all(store)
    if args.json:
        return _print_json(rows)
    if not rows:
        print("no trajectories yet")
    for row in rows:
        print(f"#{row['id']:<4} {row['name']}  {row['candidates']} candidate(s), {row['partners']} partner(s)")


def candidate_trajectory(args, store: Store) -> None:
    from bot.registry import trajectories

    created = trajectories.put_candidate(store, args.candidate, args.name)
    print(("created trajectory; " if created else "") + f"candidate {args.candidate} is in {args.name}")


def import_csv(args, store: Store) -> int:
    from bot.registry import csv_import

    try:
        report = csv_import.import_file(store, args.file, args.kind)
    except csv_import.ImportFailed as failure:
        print(f"error: {args.file}: {failure}", file=sys.stderr)
        for error in failure.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(f"{args.file}: {report.kind}: {report.created} created, {report.updated} updated, "
          f"{report.unchanged} unchanged; {report.links_added} link(s) added, "
          f"{report.phase_changes} phase change(s), {report.trajectories_created} new trajectory(ies)")
    return 0


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


def alerts_media(args, store: Store) -> None:
    from pathlib import Path

    from bot import alerts
    from bot.notify.media import save_attachments

    try:
        saved = save_attachments(store, args.id, Path(args.out))
    except alerts.UnknownAlert:
        raise UserError(f"no alert {args.id}")
    print("\n".join(str(path) for path in saved) if saved else f"alert {args.id} has no files")


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


# The partner side ----------------------------------------------------------------------

def candidate_profile(args, store: Store) -> None:
    from bot.partners import records

    print(records.profile_markdown(store, args.id), end="")


def candidate_phase(args, store: Store) -> None:
    from bot.partners import records

    records.set_phase(store, args.id, args.phase, by=args.by)
    print(f"candidate {args.id} is now in {args.phase}")


def candidate_history(args, store: Store) -> None:
    from bot.partners import records

    rows = records.phase_history(store, args.id)
    if args.json:
        return _print_json(rows)
    for row in rows:
        print(f"{row['started_at'][:10]}  {row['phase']:<20} by {row['by'] or '-'}")


def contact_plan(args, store: Store) -> None:
    from datetime import datetime

    from bot.partners import records
    from bot.worker.digest import zone

    try:
        at = datetime.fromisoformat(args.at)
    except ValueError:
        raise UserError(f"--at '{args.at}' is not a date and time like 2026-12-03T10:00")
    at = at if at.tzinfo else at.replace(tzinfo=zone())
    contact_id = records.plan_contact(store, args.id, at, args.partner, args.purpose)
    print(f"contact {contact_id} planned for candidate {args.id} at {at.isoformat()}")


def audit_list(args, store: Store) -> None:
    from bot.partners import records

    rows = records.audit_log(store, partner_id=args.partner, ident=args.candidate, limit=args.limit)
    if args.json:
        return _print_json(rows)
    if not rows:
        print("the audit log is empty")
    for row in rows:
        print(f"{row['at'][:19]}  {row['actor']:<40} {row['action']:<10} {row['candidate'] or '-':<20} {row['outcome']}")


def worker(args, store: Optional[Store]) -> int:
    from bot.worker.__main__ import main as run_worker

    return run_worker(once=args.once)


def doctor(args, store: Optional[Store]) -> int:
    from bot import doctor as checks

    return checks.main(services=args.services, as_json=args.json)


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
      ("--address", dict(required=True, help="Telegram chat id, whatsapp:+31..., or the local sender id")),
      ("--trajectory", dict(metavar="NAME", help="the trajectory this partner oversees (created if new)"))],
     partner_add, True),
    (("partner", "list"), "list the partners with their number of linked candidates",
     [("--json", dict(action="store_true"))], partner_list, True),
    (("partner", "remove"), "remove a partner and their links (alerts and the audit log keep their rows)",
     [("id", dict(type=int, metavar="ID", help="the partner's id"))], partner_remove, True),
    (("link",), "link a candidate to a partner",
     [("candidate", dict(help="the candidate's sender id")), ("partner", dict(type=int, help="the partner's id"))],
     link, True),
    (("unlink",), "remove the link between a candidate and a partner",
     [("candidate", dict(help="the candidate's sender id")), ("partner", dict(type=int, help="the partner's id"))],
     unlink, True),
    (("trajectory", "add"), "add a trajectory (prints the new id on the last line)",
     [("name", dict(metavar="NAME"))], trajectory_add, True),
    (("trajectory", "list"), "list the trajectories", [("--json", dict(action="store_true"))],
     trajectory_list, True),
    (("candidate", "trajectory"), "put a candidate in a trajectory (created if new)",
     [("candidate", dict(help="the candidate's sender id")), ("name", dict(metavar="NAME"))],
     candidate_trajectory, True),
    (("import",), "import partners or candidates from a CSV file: all rows or none (see README)",
     [("file", dict(metavar="FILE.csv")),
      ("--kind", dict(choices=("partners", "candidates"), help="default: told by the header"))],
     import_csv, True),
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
    (("alerts", "media"), "save the files a candidate sent with an alert (fetched with the channel's credentials)",
     [("id", dict(type=int, metavar="ID")), ("--out", dict(default=".", help="folder (default: here)"))],
     alerts_media, True),
    (("alerts", "close"), "close an alert that needs nothing more", [("id", dict(type=int, metavar="ID"))],
     alerts_close, True),
    (("candidate", "profile"), "the intake profile in Dutch Markdown (huidige en gewenste situatie, ...)",
     [("id", dict(metavar="ID", help="the candidate's sender id or number"))], candidate_profile, True),
    (("candidate", "phase"), "move a candidate to a phase (kept as history)",
     [("id", dict(metavar="ID")), ("phase", dict(choices=PHASES + STATES)),
      ("--by", dict(type=int, metavar="PARTNER", help="the partner who decided (default: the command line)"))],
     candidate_phase, True),
    (("candidate", "history"), "a candidate's phases with their start dates",
     [("id", dict(metavar="ID")), ("--json", dict(action="store_true"))], candidate_history, True),
    (("contact", "plan"), "plan a contact with a candidate (shown in the status)",
     [("id", dict(metavar="ID")), ("--at", dict(required=True, help="e.g. 2026-12-03T10:00 (Dutch time)")),
      ("--partner", dict(type=int)), ("--purpose", dict())], contact_plan, True),
    (("audit",), "who read or changed which candidate's data, and every refusal (newest first)",
     [("--partner", dict(type=int)), ("--candidate", dict(metavar="ID")), ("--limit", dict(type=int, default=200)),
      ("--json", dict(action="store_true"))], audit_list, True),
    (("worker",), "deliver alerts, escalate and send digests until stopped",
     [("--once", dict(action="store_true", help="deliver what is due now, then stop"))], worker, False),
    (("translate", "pending"), "translate answers still waiting for Dutch (TRANSLATOR=...)", [],
     translate_pending, True),
    (("doctor",), "check configuration, database migrations, model and reachability (exit 1 if any fails)",
     [("--services", dict(action="store_true", help="also ask the running Rasa, action server and worker")),
      ("--json", dict(action="store_true"))], doctor, False),
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
    from bot import logging_config

    logging_config.configure("cli", level=logging.WARNING)
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
