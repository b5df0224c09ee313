"""Entity extraction: the shipped model's scores on the shared KLUE dev half, and throughput.

  .venv/bin/python bench/eval_entities.py [--floor 0.80] [--in-process] [--model MODEL]
  .venv/bin/python bench/eval_entities.py --throughput [--num-workers 1]

Scoring: the dev half's sentences go through the real `newsetl entities` command (or `entities_jsonl`
in-process) and are scored with the shared scorer's functions. The model is trained on the KLUE
training split only (training/train_entities.py); this file is never used to train or choose anything
(tuning uses a held-out slice of the training split: train_entities.py --holdout).

History (PS+OG+LC micro-F1; before issue 15 the model was trained on this file itself and figures
were 5-fold CV on it, 0.753 at best; see git history of this file for the features tried then).
Dev half, model trained on the training split:
  today's features, news part ........................................... 0.807
  + entity-form lexicon and IT-news rules (country split -0.0055) ......... 0.802
  + convolutional network stacked on the CRF (training/train_neural.py) .... 0.809
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from pathlib import Path

from devenv import REPO_ROOT as REPO  # the one bootstrap: product packages and training/ from this checkout
from train_entities import DEFAULT_GOLD, load_scorer

from transforms.entities import TO_SCORER_TYPES, EntityExtractor, entities_jsonl

KINDS = ("PS", "OG", "LC", "DT", "QT")
HEADLINE = ("PS", "OG", "LC")


def _newsetl_command() -> str | None:
    local = REPO / ".venv" / "bin" / "newsetl"
    if local.exists():
        return str(local)
    return shutil.which("newsetl")


def _predict_in_process(texts: list[str], model: Path | None, extractor: EntityExtractor | None) -> list[set]:
    if extractor is not None:
        if model is not None:
            extractor.use_model(model)
        lines = (json.dumps({"entities": [m.to_dict() for m in ms]}) for ms in extractor.extract_many(texts))
    else:
        lines = entities_jsonl(texts, model_path=model)
    predictions = []
    for line in lines:
        spans = set()
        for entity in json.loads(line)["entities"]:
            kind = TO_SCORER_TYPES.get(entity["type"])
            if kind:
                spans.add((entity["start"], entity["end"], kind))
        predictions.append(spans)
    return predictions


def score(gold: Path, model: Path | None, in_process: bool) -> tuple[Counter, Counter, Counter]:
    scorer = load_scorer()
    docs = scorer.read_gold(str(gold))
    texts = [text for text, _ in docs]
    command = None if in_process else _newsetl_command()
    if not in_process and command is None:
        raise SystemExit("newsetl is not installed; run with --in-process")
    if command is None:
        predictions = _predict_in_process(texts, model, None)
    else:
        predictions = scorer.predict(f"{command} entities" + (f" --model {model}" if model else ""), texts)
    tp, fp, fn = Counter(), Counter(), Counter()
    for (_, gold_spans), predicted in zip(docs, predictions, strict=True):
        for kind in KINDS:
            g = {span for span in gold_spans if span[2] == kind}
            p = {span for span in predicted if span[2] == kind}
            tp[kind] += len(g & p)
            fp[kind] += len(p - g)
            fn[kind] += len(g - p)
    return tp, fp, fn


def report(tp: Counter, fp: Counter, fn: Counter) -> float:
    prf = load_scorer().prf
    for kind in ("PS", "OG", "LC", "DT"):
        p, r, f = prf(tp[kind], fp[kind], fn[kind])
        print(f"{kind}\tP={p:.3f}\tR={r:.3f}\tF1={f:.3f}\tgold={tp[kind] + fn[kind]}")
    money_predicted = tp["QT"] + fp["QT"]
    money_precision = tp["QT"] / money_predicted if money_predicted else 0.0
    print(f"MONEY\tP={money_precision:.3f}\t(predicted {money_predicted})")
    p, r, f = prf(*(sum(counter[kind] for kind in HEADLINE) for counter in (tp, fp, fn)))
    print(f"PS+OG+LC micro\tP={p:.3f}\tR={r:.3f}\tF1={f:.3f}")
    return f


def throughput(gold: Path, num_workers: int, repeat: int, model: Path | None = None) -> None:
    """Entity stage vs raw kiwi.tokenize on the same texts, same Kiwi, same process."""
    texts = [text for text, _ in load_scorer().read_gold(str(gold))] * repeat
    chars = sum(len(text) for text in texts)
    extractor = EntityExtractor(model, num_workers=num_workers)
    kiwi = extractor.kiwi
    for _ in kiwi.tokenize(texts[:200]):  # warm up caches on both sides
        pass
    extractor.extract_many(texts[:200], num_workers=num_workers)
    raw_times, our_times, raw_cpu, our_cpu = [], [], [], []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        for _ in kiwi.tokenize(texts):
            pass
        raw_times.append(time.perf_counter() - started)
        raw_cpu.append(time.process_time() - cpu)
        started, cpu = time.perf_counter(), time.process_time()
        extractor.extract_many(texts, num_workers=num_workers)
        our_times.append(time.perf_counter() - started)
        our_cpu.append(time.process_time() - cpu)
    raw_rate = chars / min(raw_times)
    our_rate = chars / min(our_times)
    print(f"texts={len(texts)} chars={chars} num_workers={num_workers}")
    print(f"raw kiwi.tokenize\t{raw_rate:,.0f} chars/s\tCPU {min(raw_cpu):.2f} s")
    print(f"entity stage\t{our_rate:,.0f} chars/s\tCPU {min(our_cpu):.2f} s")
    print(f"ratio\t{our_rate / raw_rate:.3f} wall\t{min(raw_cpu) / min(our_cpu):.3f} CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--model", type=Path, default=None, help="CRF model (default: the shipped one)")
    parser.add_argument("--floor", type=float, default=None, help="exit 1 when PS+OG+LC micro-F1 is below")
    parser.add_argument("--in-process", action="store_true", help="call entities_jsonl instead of the CLI")
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="copies of the texts for --throughput")
    args = parser.parse_args()
    if args.throughput:
        throughput(args.gold, args.num_workers, args.repeat, args.model)
        return
    f1 = report(*score(args.gold, args.model, args.in_process))
    if args.floor is not None and f1 < args.floor:
        print(f"FAIL: PS+OG+LC micro-F1 {f1:.3f} < floor {args.floor}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
