"""The custom NLU components on real Rasa Messages."""

from rasa.nlu.tokenizers.tokenizer import Token  # noqa: F401 (Rasa must import cleanly)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.problem_type import ProblemTypeExtractor
from bot.nlu.tokenizer import NormalisingTokenizer


def parse(text, intent, confidence=0.99, entities=()):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "entities": list(entities)})
    ProblemTypeExtractor().process([message])
    types = [e["value"] for e in message.get("entities") if e["entity"] == "problem_type"]
    return message.get("intent")["name"], types


def test_every_report_gets_a_type():
    assert parse("mijn fiets is gestolen", "report_problem") == ("report_problem", ["transport"])
    assert parse("er is iets", "report_problem") == ("report_problem", ["other"])


def test_the_model_type_is_kept_and_safety_wins():
    model = {"entity": "problem_type", "value": "money", "start": 0, "end": 5}
    assert parse("geld", "report_problem", entities=[model]) == ("report_problem", ["money"])
    health = {"entity": "problem_type", "value": "health", "start": 0, "end": 5}
    assert parse("ik ben gevallen van de steiger", "report_problem", entities=[health])[1] == ["safety"]


def test_answers_carry_no_problem_type():
    tagged = {"entity": "problem_type", "value": "transport", "start": 12, "end": 17}
    assert parse("ik ga met de trein", "inform", entities=[tagged]) == ("inform", [])


def test_safety_words_always_make_a_report():
    assert parse("ik wil dood", "nlu_fallback", 0.3) == ("report_problem", ["safety"])
    assert parse("i want to die", "request_human", 0.6) == ("report_problem", ["safety"])
    # The model is near 1.0 sure of "answers" like this one; a jobcoach reads it anyway.
    assert parse("mijn man slaat mij, ik ben bang", "inform", 1.0) == ("report_problem", ["safety"])


def test_tokens_are_normalised_but_keep_their_place():
    tokenizer = NormalisingTokenizer(NormalisingTokenizer.get_default_config())
    message = Message(data={"text": "إبني مـريـض"})
    tokens = tokenizer.tokenize(message, "text")
    assert [t.text for t in tokens] == ["ابنی", "مریض"]
    assert [(t.start, t.end) for t in tokens] == [(0, 4), (5, 11)]


def test_a_sentence_naming_a_problem_is_not_lost_to_a_short_intent():
    assert parse("mijn fiets is gestolen vandaag", "nlu_fallback", 0.4) == ("report_problem", ["transport"])
    assert parse("ja dat is prima", "affirm", 0.7) == ("affirm", [])
    assert parse("mijn zoon is ziek vandaag", "inform", 0.4)[0] == "report_problem"
    # An answer the model is only fairly sure of, naming a kind of problem, is a report too;
    # a confident answer, or a short word, stays what the model said.
    assert parse("ik heb geen fiets meer", "inform", 0.7) == ("report_problem", ["transport"])
    assert parse("ik ga met de fiets", "inform", 0.95) == ("inform", [])
    assert parse("ik ga met de fiets", "inform", 0.8) == ("inform", [])
    assert parse("fiets", "nlu_fallback", 0.3) == ("nlu_fallback", [])


def test_trouble_words_make_a_report_of_a_fairly_sure_answer_or_small_talk():
    # The model is fairly sure of answers like these; the trouble word decides.
    assert parse("mijn moeder is gisteren overleden", "inform", 0.95) == ("report_problem", ["family"])
    assert parse("hallo, ik ben ziek vandaag", "greet") == ("report_problem", ["health"])
    assert parse("weet niet, de bus kwam niet", "dont_know") == ("report_problem", ["transport"])
    for intent in ("dont_know", "goodbye", "change_language", "nlu_fallback"):
        assert parse("ana mareed w rasi byewja3ni", intent)[0] == "report_problem", intent
    # Two words can say it all in Turkish or Tigrinya ("my brother died").
    assert parse("kardeşim öldü", "inform", 0.9) == ("report_problem", ["family"])
    # A stop keeps its own way to the jobcoach; a single word is too short to tell.
    assert parse("ik stop ermee, ik ben ziek", "stop")[0] == "stop"
    assert parse("ziek", "dont_know")[0] == "dont_know"


def test_an_answer_the_model_is_all_but_certain_of_stays_an_answer():
    told = "mijn vader is overleden in de oorlog, het was zwaar maar ik ben sterk"
    assert parse(told, "inform", 0.98) == ("inform", [])
    assert parse(told, "inform", 0.9)[0] == "report_problem"
    assert parse("mijn man slaat mij, ik ben bang", "inform", 0.99)[0] == "report_problem"  # safety


def test_subject_words_alone_turn_only_an_unsure_parse_into_a_report():
    assert parse("ik heb drie kleine kinderen", "inform")[0] == "inform"  # a confident answer
    assert parse("ik moet het aan mijn vrouw vragen", "dont_know")[0] == "dont_know"
    assert parse("hallo mijn zus, hoe gaat het", "greet")[0] == "greet"  # politeness, not a report
    assert parse("mijn fiets en mijn kinderen", "nlu_fallback", 0.3)[0] == "report_problem"


def test_a_change_to_the_normalisation_retrains_the_model(tmp_path, monkeypatch):
    from bot.i18n import normalise
    config = NormalisingTokenizer.get_default_config()
    before = NormalisingTokenizer.fingerprint_addon(config)
    changed = tmp_path / "normalise.py"
    changed.write_text(open(normalise.__file__, encoding="utf-8").read() + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(normalise, "__file__", str(changed))
    assert NormalisingTokenizer.fingerprint_addon(config) != before


def test_a_trouble_that_is_over_is_an_answer_about_the_candidates_history():
    # DIET reads such answers as reports; the resolved words (healed, paid off) decide.
    assert parse("vroeger had ik schulden maar die zijn nu allemaal betaald", "report_problem") == ("inform", [])
    assert parse("babam biz küçükken vefat etti", "report_problem") == ("inform", [])
    # Trouble words do not override the model then, and safety keeps the model's report
    # (the conversation decides, bot/alerts/signals.py).
    assert parse("i was in hospital last year for my appendix, all good now", "inform")[0] == "inform"
    assert parse("2 jaar geleden ongeluk op mijn werk, nu weer helemaal goed", "inform")[0] == "inform"
    assert parse("2 jaar geleden ongeluk op mijn werk, nu weer helemaal goed", "report_problem") == ("report_problem", ["safety"])
    # Without them a report stays a report.
    assert parse("ik heb schulden en kan de huur niet betalen", "report_problem")[0] == "report_problem"
