"""Makes sure every parse of a problem report carries a `problem_type` entity.

Runs after DIET and the fallback classifier. First the word lists correct the intent both
ways: a message naming a problem the model missed becomes a report (`_safety_net`), one
telling a trouble that is over becomes an answer (`_history_is_an_answer`). Then a report
keeps the model's type, `safety` overrides it when the lexicon sees safety words, and one
is added (from the lexicon, else `other`) where the model found none. Other messages lose
any `problem_type` the model tagged: only a report has a type.
"""

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import problems

ENTITY = "problem_type"
REPORT = "report_problem"
ANSWER = "inform"


# Below this confidence an "answer" naming a kind of problem (a sick child, a stolen bike)
# is treated as a report too. 0.75 rather than 0.6: on the held-out sets recall 0.948 ->
# 0.959 and precision 0.885 -> 0.873; a missed problem costs more than a false alarm.
UNSURE_ANSWER = 0.75
# An answer the model is at least this sure of stays an answer, even when it names a
# trouble ("my father died in 2016, it was hard, now I am ok"): with the linear second
# opinion the confidence means something. Safety words still always make a report.
SURE_ANSWER = 0.97
# Parses that only the model's doubt lets a subject word turn into a report: "I have to
# ask my wife" stays dont_know, "God be with you, brother" stays goodbye.
UNSURE = {"nlu_fallback"}
# Stop has its own words and its own way to a person; only safety words override it.
STOP = "stop"
# A single word ("ziek", "schulden?") is too short to tell. Two can be a whole report in
# Turkish, Tigrinya or Somali ("kardeşim öldü": my brother died); a subject word needs more.
MIN_WORDS_TROUBLE = 2
MIN_WORDS_SUBJECT = 3


def type_entity(text: str, problem_type: str, extractor: str) -> Dict[str, Any]:
    """A `problem_type` entity over the whole message: the type is the message's, not a span's."""
    return {"entity": ENTITY, "start": 0, "end": len(text), "value": problem_type, "extractor": extractor}


def _history_is_an_answer(message: Message) -> bool:
    """A message saying its trouble is over or long past ("broke my arm in 2019, healed
    now", "had debts, paid off with schuldhulp") tells the candidate's history: the intake
    asks about health, money and work, and false alarms wear out the people who must answer
    the real ones. DIET reads many such answers as reports; they become answers, except
    where safety words occur (the conversation's context decides those, bot/alerts/signals.py).
    None of the held-out reports (2,949 sentences) says its trouble is over."""
    text = message.get(TEXT) or ""
    if not problems.sounds_resolved(text):
        return False
    intent = message.get(INTENT) or {}
    if intent.get("name") == REPORT and not problems.mentions_safety(text):
        message.set(INTENT, {"name": ANSWER, "confidence": intent.get("confidence", 0.0)}, add_to_output=True)
    return True


def _safety_net(message: Message) -> None:
    """The word lists turn a parse that missed a problem into a report.

    Missing a problem is the worst error this assistant can make, and the model files some
    reports ("my mother passed away") as answers. The word lists catch them:
    - safety words (an accident, violence, self-harm) always make a report: a false alarm
      costs a phone call, a missed one can cost a life;
    - trouble words ("died", "fever", "not paid", "shouts at me") make a report of any
      message of two words or more that is not a stop, unless the model is all but
      certain it is an answer (SURE_ANSWER);
    - subject words alone ("bus", "my wife") only where the model is unsure, because
      answers and small talk name them too.
    A message that says its trouble is over or long past is left to the model (see
    `_history_is_an_answer`).
    """
    intent = message.get(INTENT) or {}
    name, confidence = intent.get("name"), intent.get("confidence", 0.0)
    text = message.get(TEXT) or ""
    if name == REPORT:
        return
    if problems.mentions_safety(text):
        missed = True
    elif name == STOP:
        missed = False
    else:
        words = len(text.split())
        unsure = name in UNSURE or (name == ANSWER and confidence < UNSURE_ANSWER)
        sure_answer = name == ANSWER and confidence >= SURE_ANSWER
        names_trouble = words >= MIN_WORDS_TROUBLE and not sure_answer and problems.mentions_trouble(text)
        missed = names_trouble or (unsure and words >= MIN_WORDS_SUBJECT and bool(problems.specific_types(text)))
    if missed:
        message.set(INTENT, {"name": REPORT, "confidence": 1.0}, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProblemTypeExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ProblemTypeExtractor":
        problems.prepare()  # at model load, not on the first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process(message)
        return messages

    @staticmethod
    def _process(message: Message) -> None:
        if not _history_is_an_answer(message):
            _safety_net(message)
        intent = (message.get(INTENT) or {}).get("name")
        entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
        found = [e for e in message.get(ENTITIES, []) if e.get("entity") == ENTITY]
        if intent != REPORT:  # "I go by train" answers a question; it reports nothing
            if found:
                message.set(ENTITIES, entities, add_to_output=True)
            return
        text = message.get(TEXT) or ""
        guess: Optional[str] = found[0].get("value") if found else None
        problem_type = problems.classify(text, guess)
        if found and problem_type == guess:
            entity = found[0]
        else:
            entity = type_entity(text, problem_type, ProblemTypeExtractor.__name__)
        message.set(ENTITIES, entities + [entity], add_to_output=True)
