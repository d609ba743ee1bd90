"""The NLU data itself: held-out sets stay held out, every language has every intent."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
INTENTS = {"greet", "goodbye", "affirm", "deny", "dont_know", "request_human", "stop",
           "change_language", "report_problem", "inform"}
ANNOTATION = re.compile(r"\[([^\]]*)\]\{[^}]*\}")


def examples(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["nlu"]:
        for line in item["examples"].splitlines():
            if line.startswith("- "):
                yield item["intent"], line[2:].strip()


def plain(text):
    return " ".join(ANNOTATION.sub(r"\1", text).casefold().split())


TRAINING = sorted((ROOT / "data" / "nlu").glob("*.yml"))


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_every_intent_in_every_language(path):
    assert {intent for intent, _ in examples(path)} == INTENTS


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_every_problem_report_is_annotated_with_a_type(path):
    for intent, text in examples(path):
        if intent == "report_problem":
            assert '"entity": "problem_type"' in text, text


@pytest.mark.parametrize("path", TRAINING, ids=lambda p: p.stem)
def test_held_out_examples_are_not_in_training(path):
    heldout = ROOT / "tests" / "nlu" / "heldout" / path.name
    assert heldout.exists(), f"no held-out set for {path.stem}"
    trained = {plain(text) for _, text in examples(path)}
    overlap = [text for _, text in examples(heldout) if plain(text) in trained]
    assert overlap == []
