"""The intake's questions, their order and their numbering.

Each question is a slot of Rasa's `intake_form`. Open questions take the candidate's own
words; closed ones (preconditions) take a choice, and some have a follow-up question
that is only asked when the answer shows a hindrance ("no childcare" -> what would help?).
"""

from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

from bot.vocabulary import INTAKE_TOPICS, PRECONDITIONS

# Markers kept in a slot when the candidate did not answer in words.
SKIPPED = "__skipped__"
DONT_KNOW = "__dont_know__"

# What each button of a closed question means, in button order (see domain.yml).
YES_NO_UNKNOWN = ("met", "not_met", "unknown")
CHILDCARE_CHOICES = ("met", "not_met", "not_needed", "unknown")


@dataclass(frozen=True)
class Question:
    slot: str
    topic: Optional[str] = None  # intake topic stored by this question
    precondition: Optional[str] = None  # precondition stored by this question
    choices: Tuple[str, ...] = ()  # closed question: meaning of each numbered choice
    follow_up_of: Optional[str] = None  # slot of the closed question this follows up

    @property
    def is_closed(self) -> bool:
        return bool(self.choices)


def _precondition(key: str, follow_up: bool) -> List[Question]:
    if key == "other":  # an open question: what else is needed?
        return [Question(f"pre_{key}", precondition=key)]
    choices = CHILDCARE_CHOICES if key == "childcare" else YES_NO_UNKNOWN
    closed = Question(f"pre_{key}", precondition=key, choices=choices)
    if not follow_up:
        return [closed]
    return [closed, Question(f"pre_{key}_help", precondition=key, follow_up_of=closed.slot)]


# Preconditions whose "no" gets a follow-up question. A missing driving licence is a
# fact the jobcoach can weigh per job; the others ask what would help.
_WITH_FOLLOW_UP = {"bicycle", "transport", "childcare", "digital_skills"}

QUESTIONS: Tuple[Question, ...] = tuple(
    [Question(topic, topic=topic) for topic in INTAKE_TOPICS]
    + [q for key in PRECONDITIONS for q in _precondition(key, key in _WITH_FOLLOW_UP)]
)
BY_SLOT: Dict[str, Question] = {q.slot: q for q in QUESTIONS}
NUMBERED = [q for q in QUESTIONS if q.follow_up_of is None]
TOTAL = len(NUMBERED)  # follow-ups share the number of their question

# The open precondition question "anything else needed?"; a plain "no" means nothing is.
NOTHING_ELSE_NEEDED_SLOT = "pre_other"

# Slots asked before the first question; not counted in the progress.
LANGUAGE_SLOT = "language"
CONSENT_SLOT = "consent"


def step_of(slot: str) -> int:
    """The 1-based number shown as "question N of TOTAL"."""
    question = BY_SLOT[slot]
    numbered = BY_SLOT[question.follow_up_of] if question.follow_up_of else question
    return NUMBERED.index(numbered) + 1


def applies(question: Question, slots: Mapping[str, object]) -> bool:
    """A follow-up applies only when its closed question was answered 'not met'."""
    return question.follow_up_of is None or slots.get(question.follow_up_of) == "not_met"


def question_slots(slots: Mapping[str, object]) -> List[str]:
    """The intake questions that apply, in order, given the answers so far."""
    return [q.slot for q in QUESTIONS if applies(q, slots)]


def required_slots(slots: Mapping[str, object]) -> List[str]:
    """Everything the form must fill: language, consent, then the questions.

    Without consent the form asks nothing more: it ends and nothing is stored.
    """
    if slots.get(CONSENT_SLOT) == "no":
        return [LANGUAGE_SLOT, CONSENT_SLOT]
    return [LANGUAGE_SLOT, CONSENT_SLOT] + question_slots(slots)


def next_slot(slots: Mapping[str, object]) -> Optional[str]:
    return next((slot for slot in required_slots(slots) if slots.get(slot) is None), None)


def previous_answered(slots: Mapping[str, object], current: str) -> Optional[str]:
    """The question answered just before `current` (for "go back"), or None at the start."""
    order = question_slots(slots)
    if current not in order:
        return None
    earlier = [slot for slot in order[: order.index(current)] if slots.get(slot) is not None]
    return earlier[-1] if earlier else None
