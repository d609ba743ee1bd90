"""What in a candidate's message needs a person: a problem, a request to be parked or to
talk to someone, or a file the bot cannot read."""

from dataclasses import dataclass
from typing import Optional

from bot.i18n import problems
from bot.intake.replies import Message

# The model must be this sure before a message becomes a report instead of an answer:
# "I have three small children" answers a question; the problem net in the NLU pipeline
# already turns messages naming an accident or violence into sure reports.
REPORT_CONFIDENCE = 0.6
HUMAN_CONFIDENCE = 0.8
# Problems where the one follow-up question ("today, a few days, or longer?") helps the
# jobcoach plan; a safety problem gets emergency numbers instead of questions.
ASK_HOW_LONG = frozenset({"childcare", "transport", "health", "family"})


@dataclass(frozen=True)
class Signal:
    kind: str  # problem, park, human, media (bot.vocabulary.ALERT_KINDS)
    problem_type: str = "other"

    @property
    def asks_how_long(self) -> bool:
        return self.kind == "problem" and self.problem_type in ASK_HOW_LONG


def signal_of(message: Message) -> Optional[Signal]:
    if message.media:
        return Signal("media")
    if problems.asks_to_park(message.text):
        return Signal("park")
    if message.intent == "report_problem" and message.confidence >= REPORT_CONFIDENCE:
        return Signal("problem", problems.classify(message.text, message.problem_type))
    if message.intent == "request_human" and message.confidence >= HUMAN_CONFIDENCE:
        return Signal("human")
    return None
