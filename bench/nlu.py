"""NLU benchmark: how well Korte Lijnen understands each language (`make bench-nlu`).

Trains the project's NLU pipeline (config.yml) and reports, per language:
- intent accuracy, cross-validated over the training data (k folds, stratified by
  language and intent) and on the held-out sets in tests/nlu/heldout/ (never trained on);
- recall and precision of `report_problem` (missing a problem is the worst error);
- macro-F1 over the other intents;
- `problem_type` accuracy on the problem reports.
Prints a table per evaluation and, as its last line, one JSON object with every figure.
Targets (issue #3): recall >= 0.95, precision >= 0.90, macro-F1 >= 0.90, type >= 0.85.
"""

import argparse
import asyncio
import json
import logging
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.core.agent import Agent  # noqa: E402
from rasa.model_training import train_nlu  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402

PROBLEM = "report_problem"
TARGETS = {"report_problem_recall": 0.95, "report_problem_precision": 0.90,
           "other_intents_macro_f1": 0.90, "problem_type_accuracy": 0.85}

Example = Tuple[str, str, str, str]  # language, text, intent, problem type (or "")


def load_examples(folder: Path) -> List[Example]:
    examples = []
    for path in sorted(folder.glob("*.yml")):
        for message in load_data(str(path)).intent_examples:
            types = [e["value"] for e in message.get("entities", []) if e["entity"] == "problem_type"]
            examples.append((path.stem, message.get("text"), message.get("intent"), types[0] if types else ""))
    return examples


def write_training_data(examples: List[Example], folder: Path) -> str:
    """The fold's training examples as one NLU file (annotations kept from the sources)."""
    wanted = {(text, intent) for _, text, intent, _ in examples}
    messages = [m for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
                for m in load_data(str(path)).intent_examples
                if (m.get("text"), m.get("intent")) in wanted]
    path = folder / "nlu.yml"
    path.write_text(TrainingData(training_examples=messages).nlu_as_yaml(), encoding="utf-8")
    return str(path)


def train(examples: List[Example], workdir: Path, config: str) -> str:
    data = write_training_data(examples, workdir)
    return train_nlu(config, data, str(workdir), fixed_model_name="nlu")


async def predict(model: str, examples: List[Example]) -> List[Tuple[str, str]]:
    agent = Agent.load(model)
    predictions = []
    for _, text, _, _ in examples:
        parsed = await agent.parse_message(text)
        types = [e["value"] for e in parsed.get("entities", []) if e["entity"] == "problem_type"]
        predictions.append((parsed["intent"]["name"], types[0] if types else ""))
    return predictions


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(examples: List[Example], predictions: List[Tuple[str, str]]) -> Dict[str, dict]:
    by_language: Dict[str, List[Tuple[Example, Tuple[str, str]]]] = defaultdict(list)
    for example, prediction in zip(examples, predictions):
        by_language[example[0]].append((example, prediction))
        by_language["all"].append((example, prediction))
    figures = {}
    for language, pairs in sorted(by_language.items()):
        gold = [example[2] for example, _ in pairs]
        predicted = [prediction[0] if prediction[0] != "nlu_fallback" else "" for _, prediction in pairs]
        tp = sum(g == PROBLEM and p == PROBLEM for g, p in zip(gold, predicted))
        fn = sum(g == PROBLEM and p != PROBLEM for g, p in zip(gold, predicted))
        fp = sum(g != PROBLEM and p == PROBLEM for g, p in zip(gold, predicted))
        others = sorted(set(gold) - {PROBLEM})
        f1s = [_f1(sum(g == i and p == i for g, p in zip(gold, predicted)),
                   sum(g != i and p == i for g, p in zip(gold, predicted)),
                   sum(g == i and p != i for g, p in zip(gold, predicted))) for i in others]
        reports = [(example, prediction) for example, prediction in pairs if example[2] == PROBLEM]
        figures[language] = {
            "examples": len(pairs),
            "intent_accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / len(pairs), 3),
            "report_problem_recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "report_problem_precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "other_intents_macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else None,
            "problem_type_accuracy": round(sum(e[3] == p[1] for e, p in reports) / len(reports), 3)
            if reports else None,
        }
    return figures


def folds(examples: List[Example], k: int, seed: int = 42) -> List[List[int]]:
    """k folds, stratified by language and intent."""
    groups: Dict[Tuple[str, str], List[int]] = defaultdict(list)
    for index, (language, _, intent, _) in enumerate(examples):
        groups[(language, intent)].append(index)
    result: List[List[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for indexes in groups.values():
        rng.shuffle(indexes)
        for position, index in enumerate(indexes):
            result[position % k].append(index)
    return result


def print_errors(examples: List[Example], predictions: List[Tuple[str, str]]) -> None:
    print("\nHeld-out examples understood wrongly (language, gold -> predicted, text):")
    for (language, text, intent, problem_type), (predicted, predicted_type) in zip(examples, predictions):
        if intent != predicted or problem_type != predicted_type:
            gold = f"{intent}/{problem_type}" if problem_type else intent
            got = f"{predicted}/{predicted_type}" if predicted_type else predicted
            print(f"  {language}  {gold} -> {got}  {text}")


def print_table(title: str, figures: Dict[str, dict]) -> None:
    columns = ["examples", "intent_accuracy", "report_problem_recall", "report_problem_precision",
               "other_intents_macro_f1", "problem_type_accuracy"]
    print(f"\n{title}")
    print(f"{'lang':6}" + "".join(f"{c.replace('report_problem_', 'problem_'):>26}" for c in columns))
    for language, row in figures.items():
        cells = []
        for column in columns:
            value = row[column]
            mark = ""
            if column in TARGETS and value is not None and value < TARGETS[column]:
                mark = " *"
            cells.append(f"{'-' if value is None else value:>24}{mark:2}")
        print(f"{language:6}" + "".join(cells))
    print("(* below target: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()) + ")")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds (0 = skip)")
    parser.add_argument("--errors", action="store_true", help="list the held-out examples it got wrong")
    parser.add_argument("--config", default=str(ROOT / "config.yml"), help="pipeline to measure")
    parser.add_argument("--model", help="measure this trained model on the held-out sets, without training or "
                        "cross-validation (the problem-word lists are read at run time: their changes show)")
    parser.add_argument("--heldout", default=str(ROOT / "tests" / "nlu" / "heldout"),
                        help="folder of held-out sets, one <lang>.yml each")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa's debug log would print every test message
    started = time.monotonic()
    training = load_examples(ROOT / "data" / "nlu")
    heldout = load_examples(Path(args.heldout))
    result = {"training_examples": len(training), "heldout_examples": len(heldout)}
    with tempfile.TemporaryDirectory() as tmp:
        if args.folds > 1 and not args.model:
            predictions: List = [None] * len(training)
            for number, fold in enumerate(folds(training, args.folds)):
                test_indexes = set(fold)
                workdir = Path(tmp) / f"fold{number}"
                workdir.mkdir()
                model = train([e for i, e in enumerate(training) if i not in test_indexes], workdir, args.config)
                tested = [training[i] for i in fold]
                for index, prediction in zip(fold, asyncio.run(predict(model, tested))):
                    predictions[index] = prediction
            result["cross_validation"] = score(training, predictions)
            print_table(f"Cross-validation ({args.folds} folds over the training data)",
                        result["cross_validation"])
        model = args.model
        if not model:
            workdir = Path(tmp) / "full"
            workdir.mkdir()
            model = train(training, workdir, args.config)
        predictions = asyncio.run(predict(model, heldout))
        result["heldout"] = score(heldout, predictions)
        if args.errors:
            print_errors(heldout, predictions)
        print_table(f"Held-out test sets ({args.heldout}, never trained on)", result["heldout"])
    result["seconds"] = round(time.monotonic() - started)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
