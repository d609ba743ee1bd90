"""What a candidate's message signals, in and out of the intake."""

from bot.alerts.signals import signal_of
from bot.intake import questions
from bot.intake.replies import Message


def report(text, confidence=1.0, problem_type=None):
    return Message(text=text, intent="report_problem", confidence=confidence, problem_type=problem_type)


def test_outside_the_intake_the_model_decides():
    assert signal_of(report("ik kan morgen niet komen, mijn zoon is ziek")).problem_type == "childcare"
    assert signal_of(report("something odd", confidence=0.5)) is None
    assert signal_of(Message("ik wil iemand spreken", intent="request_human", confidence=0.9)).kind == "human"


def test_files_and_parking():
    assert signal_of(Message("", media=True)).kind == "media"
    assert signal_of(Message("ik wil even stoppen met werken", intent="inform", confidence=0.9)).kind == "park"


def test_mid_intake_a_report_needs_the_word_lists_too():
    motivation = questions.BY_SLOT["motivation"]
    assert signal_of(report("by doing it, in a team"), motivation) is None  # the model alone: an answer
    assert signal_of(report("ik kan morgen niet komen, mijn zoon is ziek"), motivation).problem_type == "childcare"
    # A trouble word counts without a subject word too ("urgent").
    assert signal_of(report("het is dringend, ik moet iets vertellen"), motivation) is not None


def test_mid_intake_the_questions_own_subject_is_an_answer():
    bicycle_help = questions.BY_SLOT["pre_bicycle_help"]
    assert signal_of(report("I walk; a second-hand bike would help"), bicycle_help) is None
    home = questions.BY_SLOT["home_situation"]
    assert signal_of(report("I have three small children"), home) is None
    # ...but safety always counts, and another subject too.
    assert signal_of(report("mijn man heeft me geslagen"), home).problem_type == "safety"
    assert signal_of(report("my bike was stolen today"), home).problem_type == "transport"


def test_a_what_would_help_answer_is_never_a_report_unless_safety():
    childcare_help = questions.BY_SLOT["pre_childcare_help"]
    assert signal_of(report("my mother could help if she lived closer"), childcare_help) is None
    assert signal_of(report("mijn man heeft me geslagen"), childcare_help).problem_type == "safety"


def test_mid_intake_a_trouble_that_is_over_is_an_answer_even_with_safety_words():
    work = questions.BY_SLOT["work_experience"]
    assert signal_of(report("I fell from a scaffold in 2019, it healed long ago"), work) is None
    assert signal_of(report("I fell from a scaffold today"), work).problem_type == "safety"
    # After the intake the model's report stands: the candidate may be telling a new story.
    assert signal_of(report("I fell from a scaffold in 2019, it healed long ago")).problem_type == "safety"
