"""The channels' shared state: dedupe and claims are race-free across replicas."""

import threading

from bot.channels import state
from bot.channels.text import strip_command
from bot.channels.split import split_text, utf16_length
from bot.channels.whatsapp.address import is_valid, normalise
from bot.channels.whatsapp.config import template_sid
from bot.channels.whatsapp.inbound import kind_of
from bot.store import Store


def race(function, count=8):
    """Runs `function(index)` in `count` threads released at once; returns the results."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(index):
        barrier.wait()
        results[index] = function(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_one_delivery_wins_when_replicas_race_on_an_id(store):
    stores = [Store(store.url) for _ in range(8)]  # a connection pool per "replica"
    try:
        results = race(lambda index: state.first_delivery(stores[index], "whatsapp", "SMrace"))
        assert results.count(True) == 1
        assert state.first_delivery(store, "telegram", "SMrace") is True  # ids are per channel
    finally:
        for other in stores:
            other.engine.dispose()


def test_pending_texts_are_claimed_by_one_replica(store):
    for number in range(3):
        state.keep_pending(store, "whatsapp", "whatsapp:+31611111111", "alert", f"tekst {number}", None)
    claims = race(lambda _: state.claim_pending(store, "whatsapp", "whatsapp:+31611111111"), count=4)
    texts = [text for _token, rows in claims for _id, text in rows]
    assert sorted(texts) == ["tekst 0", "tekst 1", "tekst 2"]
    token, rows = next(claim for claim in claims if claim[1])
    state.release_pending(store, [rows[0][0]], token)
    assert state.pending_count(store, "whatsapp", "whatsapp:+31611111111") == 2


def test_a_first_message_racing_on_two_replicas_records_one_contact(store):
    race(lambda index: state.note_inbound(store, "telegram", "77", f"Name {index}"), count=4)
    assert state.display_name(store, "telegram", "77").startswith("Name ")
    assert state.window_open(store, "telegram", "77")


def test_text_helpers():
    assert strip_command("/stop") == ("stop", True)
    assert strip_command("  hallo / stop") == ("hallo / stop", False)
    assert strip_command("/") == ("", True)
    assert normalise(" +31 (6) 1234-5678 ") == "whatsapp:+31612345678"
    assert normalise("0031612345678") == "whatsapp:+31612345678"
    assert is_valid(normalise("whatsapp:+31612345678")) and not is_valid(normalise("abc"))
    assert [kind_of(t) for t in ("audio/ogg", "image/png", "video/mp4", "text/vcard", "application/pdf", None)] == \
        ["voice", "image", "video", "contact", "document", "document"]
    emoji = "😀" * 3000  # 6,000 UTF-16 units
    assert [utf16_length(part) for part in split_text(emoji, 4096, utf16_length)] == [4096, 1904]


def test_template_lookup_falls_back_by_language_then_purpose(monkeypatch):
    monkeypatch.setenv("WHATSAPP_TEMPLATE_ALERT_AR", "HXar")
    monkeypatch.setenv("WHATSAPP_TEMPLATE_ALERT_NL", "HXnl")
    monkeypatch.setenv("WHATSAPP_TEMPLATE_REPLY_TI", "HXreplyti")
    assert template_sid("alert", "ar") == "HXar"
    assert template_sid("alert", "so") == "HXnl"
    assert template_sid("checkin", "ti") == "HXreplyti"
    assert template_sid("checkin", "so") is None
