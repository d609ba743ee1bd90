"""What in a candidate's message needs a person: a problem, a request to be parked or to
talk to someone, or a file the bot cannot read."""

from dataclasses import dataclass
from typing import Optional

from bot.i18n import problems
from bot.intake.questions import Question
from bot.intake.replies import Message
from bot.vocabulary import PROBLEM_TYPES

# The model must be this sure before a message becomes a report instead of an answer:
# "I have three small children" answers a question; the problem net in the NLU pipeline
# already turns messages naming an accident or violence into sure reports.
REPORT_CONFIDENCE = 0.6
HUMAN_CONFIDENCE = 0.8
# Problems where the one follow-up question ("today, a few days, or longer?") helps the
# jobcoach plan; a safety problem gets emergency numbers instead of questions.
ASK_HOW_LONG = frozenset({"childcare", "transport", "health", "family"})
# While a question is open, a message about the question's own subject is an answer:
# "I walk; a second-hand bike would help" answers the bicycle question.
ANSWER_SUBJECTS = {
    "home_situation": {"childcare", "family", "housing"},
    "income": {"money"},
    "work_experience": {"workplace"},
    "social_network": {"family"},
    "driving_licence": {"transport"},
    "bicycle": {"transport"},
    "transport": {"transport", "money"},
    "childcare": {"childcare", "family"},
    "other": set(PROBLEM_TYPES) - {"safety"},
}


@dataclass(frozen=True)
class Signal:
    kind: str  # problem, park, human, media (bot.vocabulary.ALERT_KINDS)
    problem_type: str = "other"

    @property
    def asks_how_long(self) -> bool:
        return self.kind == "problem" and self.problem_type in ASK_HOW_LONG


def signal_of(message: Message, answering: Optional[Question] = None) -> Optional[Signal]:
    """What the message signals; `answering` is the intake question it may be answering."""
    if message.media:
        return Signal("media")
    if problems.asks_to_park(message.text):
        return Signal("park")
    if message.intent == "report_problem" and message.confidence >= REPORT_CONFIDENCE:
        signal = Signal("problem", problems.classify(message.text, message.problem_type))
        return signal if answering is None or _reports_while_answering(message, signal, answering) else None
    if message.intent == "request_human" and message.confidence >= HUMAN_CONFIDENCE:
        return Signal("human")
    return None


def _reports_while_answering(message: Message, signal: Signal, question: Question) -> bool:
    """Mid-intake a report needs more than the model: the word lists must name a problem
    too, and not the very subject the question asks about, and the message must not say
    the trouble is over ("an accident in 2019, healed now" answers a question about one's
    health or work). Otherwise safety always counts."""
    if problems.sounds_resolved(message.text):
        return False
    if signal.problem_type == "safety":
        return True
    if not (problems.matches(message.text) or problems.mentions_trouble(message.text)):
        return False
    if question.follow_up_of:  # "what would help?" invites talk of hindrances
        return False
    subject = question.topic or question.precondition
    return signal.problem_type not in ANSWER_SUBJECTS.get(subject, set())
