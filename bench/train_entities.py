"""Train the shipped PERSON/ORG/LOC CRF from the shared KLUE-NER half.

  .venv/bin/python bench/train_entities.py [--gold TSV] [--out transforms/entities/data/entities.crfsuite]

The model is derived from KLUE-NER (CC BY-SA 4.0); see transforms/entities/data/ATTRIBUTION.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pycrfsuite

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms.entities import DEFAULT_MODEL_PATH, build_kiwi  # noqa: E402
from transforms.entities.features import FeatureBuilder, spans_to_labels, split_compounds  # noqa: E402
from transforms.entities.gazetteer import load_gazetteer  # noqa: E402

SHARED = REPO.parent / "shared"
DEFAULT_GOLD = SHARED / "data" / "klue-ner-wikitree-dev-half.tsv"
# L1/L2 weights chosen by 5-fold CV on the KLUE half (see bench/eval_entities.py): c1=0.02 c2=0.1 beat
# c1=c2=0.05 by +0.016 micro-F1 and c1=0.1 c2=0.01 by +0.026.
CRF_PARAMS = {"c1": 0.02, "c2": 0.1, "max_iterations": 150, "feature.possible_transitions": True}

Doc = tuple[str, set[tuple[int, int, str]]]
Example = tuple[list[list[str]], list[str]]


def load_scorer() -> ModuleType:
    """The shared scorer module (read_gold, predict, prf)."""
    spec = importlib.util.spec_from_file_location("score_entities", SHARED / "bench" / "score_entities.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the shared scorer under {SHARED}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_docs(gold: Path) -> list[Doc]:
    return load_scorer().read_gold(str(gold))


def make_examples(docs: list[Doc]) -> list[Example]:
    """Kiwi-tokenize every document once; feature lists and gold BIO labels per document."""
    gazetteer = load_gazetteer()
    kiwi = build_kiwi(gazetteer, num_workers=2)
    builder = FeatureBuilder(gazetteer)
    examples: list[Example] = []
    for (text, spans), tokens in zip(docs, kiwi.tokenize([text for text, _ in docs]), strict=True):
        tokens = split_compounds(tokens)
        examples.append((builder.build(tokens, text), spans_to_labels(tokens, spans)))
    return examples


def train(examples: list[Example], out: Path, params: dict | None = None) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in examples:
        trainer.append(features, labels)
    trainer.set_params(params or CRF_PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args()
    started = time.perf_counter()
    examples = make_examples(load_docs(args.gold))
    train(examples, args.out)
    print(f"trained on {len(examples)} documents -> {args.out} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
