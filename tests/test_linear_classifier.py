"""The linear classifier, trained and run on features from Rasa's own featurizer."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_classifier import LinearClassifier
from bot.nlu.tokenizer import NormalisingTokenizer

EXAMPLES = {
    "inform": ["ik ga met de fiets", "ik woon in utrecht", "ik werk graag met mijn handen",
               "ik heb twee kinderen", "ik fiets elke dag naar school", "ik heb een diploma"],
    "greet": ["hallo", "hoi", "goedemorgen", "hey daar", "hallo coach", "goedemiddag"],
}
REPORTS = {
    "transport": ["mijn fiets is gestolen", "fiets kapot vandaag", "geen geld voor de bus",
                  "de trein rijdt niet, ik kom te laat"],
    "health": ["ik ben ziek", "ik heb koorts en hoofdpijn", "ik moet naar de dokter",
               "ziek vandaag, veel pijn"],
}


def _context():
    return ExecutionContext(graph_schema=GraphSchema({}), model_id="test")


def _message(text, intent, problem_type=None):
    data = {"text": text, "intent": intent}
    if problem_type:
        data["entities"] = [{"entity": "problem_type", "value": problem_type, "start": 0, "end": len(text)}]
    return Message(data=data)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """A trained tokenizer, featurizer and classifier, the classifier loaded back from disk."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    tokenizer = NormalisingTokenizer.create(WhitespaceTokenizer.get_default_config(), storage,
                                            Resource("tokens"), _context())
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5},
        storage, Resource("counts"), _context())
    messages = [_message(text, intent) for intent, texts in EXAMPLES.items() for text in texts]
    messages += [_message(text, "report_problem", kind) for kind, texts in REPORTS.items() for text in texts]
    data = TrainingData(training_examples=messages)
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    resource = Resource("linear")
    LinearClassifier.create({}, storage, resource, _context()).train(data)
    return tokenizer, featurizer, storage, resource


def parse(pipeline, text, diet=None, **config):
    tokenizer, featurizer, storage, resource = pipeline
    classifier = LinearClassifier.load(config, storage, resource, _context())  # as a served model does
    message = Message(data={"text": text})
    if diet:  # DIET's ranking, as DIET leaves it on the message
        message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in diet.items()])
    tokenizer.process([message])
    featurizer.process([message])
    classifier.process([message])
    types = [e["value"] for e in message.get("entities", []) if e["entity"] == "problem_type"]
    return message.get("intent"), message.get("intent_ranking"), types


def test_alone_it_tells_reports_from_answers_and_names_the_type(pipeline):
    intent, _, types = parse(pipeline, "mijn fiets is kapot")
    assert (intent["name"], types) == ("report_problem", ["transport"])
    intent, _, types = parse(pipeline, "ik woon met mijn kinderen in utrecht")
    assert (intent["name"], types) == ("inform", [])


def test_its_ranking_is_a_probability_distribution(pipeline):
    intent, ranking, _ = parse(pipeline, "hallo coach")
    assert intent["name"] == "greet"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert intent["confidence"] == ranking[0]["confidence"]


def test_diet_keeps_its_share_of_the_vote(pipeline):
    alone, _, _ = parse(pipeline, "ik ben ziek")
    outvoted, _, _ = parse(pipeline, "ik ben ziek", diet={"inform": 1.0})
    assert alone["name"] == "report_problem"
    # DIET's share goes to inform: the report keeps only the linear classifier's share.
    weight = LinearClassifier.get_default_config()["weight"]
    assert 0 < weight < 1
    assert outvoted["confidence"] == pytest.approx(weight * alone["confidence"])


def test_an_unsure_type_guess_is_left_to_the_other_components(pipeline):
    intent, _, types = parse(pipeline, "mijn fiets is kapot", sure_of_type=1.01)
    assert (intent["name"], types) == ("report_problem", [])


def test_untrained_it_leaves_the_parse_alone(tmp_path):
    storage = LocalModelStorage(tmp_path)
    classifier = LinearClassifier.load({}, storage, Resource("never_trained"), _context())
    message = Message(data={"text": "hallo", "intent": {"name": "greet", "confidence": 0.9}})
    classifier.process([message])
    assert message.get("intent") == {"name": "greet", "confidence": 0.9}
