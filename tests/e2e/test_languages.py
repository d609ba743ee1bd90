"""The whole intake in each curated language over REST, with a fake translator for partners.

Each question must arrive as that language's catalog text, and each answer must be stored
in the candidate's words with a Dutch translation beside it (Dutch needs none).
"""

import json
import uuid

import pytest

from bot.i18n import problems
from bot.i18n.bidi import FSI, PDI, RLM
from bot.i18n.render import render
from bot.intake import questions
from bot.vocabulary import LANGUAGES
from tests.e2e.conftest import ROOT
from tests.test_nlu_data import examples

pytestmark = pytest.mark.e2e


def sample_answers(language):
    """Intake answers in the language that name no problem: the training data's own.

    This test is about the conversation in each language; how well unseen sentences are
    understood is bench/nlu.py's job (an answer taken for a report rightly starts the
    problem questions instead of the next intake question).
    """
    path = ROOT / "data" / "nlu" / f"{language}.yml"
    return [text for intent, text in examples(path)
            if intent == "inform" and not problems.matches(text) and not problems.mentions_trouble(text)]


def plain(text):
    """Without the bidi marks, which only steer how right-to-left text is shown."""
    for mark in (FSI, PDI, RLM):
        text = text.replace(mark, "")
    return text


def expected_question(slot, language):
    variables = {"question_number": questions.step_of(slot), "question_count": questions.TOTAL}
    return plain(render(f"utter_ask_{slot}", language, "collector", variables)["text"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_whole_intake_in_every_language(assistant, language):
    sender = f"lang-{language}-{uuid.uuid4().hex[:6]}"
    assistant.say(sender, "hi")
    assistant.say(sender, str(LANGUAGES.index(language) + 1))
    reply = plain(assistant.texts(sender, "1"))
    answers = iter(sample_answers(language) * 2)
    given = {}
    for slot in [q.slot for q in questions.QUESTIONS if q.follow_up_of is None]:
        assert expected_question(slot, language) in reply, (language, slot, reply)
        question = questions.BY_SLOT[slot]
        text = "1" if question.is_closed else next(answers)
        given[slot] = text
        reply = plain(assistant.texts(sender, text))
    assert reply  # the summary, in the language
    assert plain(render("utter_intake_summary", language, "collector", {"summary": "X"})["text"]).split("X")[0] in reply

    result = assistant.cli("candidate", "show", sender, "--json")
    candidate = json.loads(result.stdout)
    assert candidate["language"] == language and candidate["intake_complete"] is True
    for topic in questions.INTAKE_TOPICS:
        assert candidate["answers"][topic] == given[topic]
        expected_nl = given[topic] if language == "nl" else f"[nl] {given[topic]}"
        assert candidate["answers_nl"][topic] == expected_nl
    assert candidate["preconditions"]["other"]["note"] == given["pre_other"]
