from bot.intake import questions
from bot.vocabulary import INTAKE_TOPICS, PRECONDITIONS


def test_every_topic_and_precondition_is_asked_once_and_counted():
    numbered = questions.NUMBERED
    assert [q.topic for q in numbered[:10]] == list(INTAKE_TOPICS)
    assert [q.precondition for q in numbered[10:]] == list(PRECONDITIONS)
    assert questions.TOTAL == 16


def test_order_starts_with_language_and_consent():
    assert questions.next_slot({}) == "language"
    assert questions.next_slot({"language": "nl"}) == "consent"
    assert questions.next_slot({"language": "nl", "consent": "yes"}) == "identity"


def test_no_consent_asks_nothing_more():
    assert questions.next_slot({"language": "nl", "consent": "no"}) is None


def test_follow_up_only_after_a_no():
    answered = {slot: "x" for slot in questions.question_slots({})}
    answered.update(language="nl", consent="yes", pre_childcare="met")
    assert "pre_childcare_help" not in questions.question_slots(answered)
    answered["pre_childcare"] = "not_met"
    answered.pop("pre_childcare_help", None)
    assert questions.next_slot(answered) == "pre_childcare_help"


def test_follow_up_shares_the_number_of_its_question():
    assert questions.step_of("identity") == 1
    assert questions.step_of("pre_childcare") == questions.step_of("pre_childcare_help") == 14
    assert questions.step_of("pre_other") == 16


def test_previous_answered_skips_questions_that_do_not_apply():
    slots = {"identity": "a", "motivation": "b"}
    assert questions.previous_answered(slots, "capabilities") == "motivation"
    assert questions.previous_answered(slots, "identity") is None
    slots = {"pre_bicycle": "met"}
    assert questions.previous_answered(slots, "pre_transport") == "pre_bicycle"
