"""Entity extraction: k-fold cross-validated scores on the shared KLUE half, and throughput.

  .venv/bin/python bench/eval_entities.py [--folds 5] [--floor 0.75] [--in-process]
  .venv/bin/python bench/eval_entities.py --throughput [--num-workers 1]

Scoring: for each fold, a CRF is trained on the other folds and the held-out documents are run
through the real `newsetl entities --model FOLD_MODEL` command (or `entities_jsonl` in-process),
then scored with the shared scorer's functions; tp/fp/fn are pooled over folds. Never a
training-set figure.

Measured (5-fold CV, PS+OG+LC micro-F1; deltas against the previous step):
  baseline token CRF c1=c2=0.05 .................................. 0.679
  + CV-chosen c1=0.02 c2=0.1 ..................................... +0.019
  + bigger gazetteers, 한미/북측/박씨 splitting ..................... 0.703 (with c1=c2=0.05)
  + shape / surname / previous-gazetteer features, c1=0.02 c2=0.1 .. 0.713
  + Kiwi CoNg morpheme clusters (bench/build_clusters.py) ........... 0.722
  + mecab-ko-dic typed name lexicon: token kinds (+0.014), the -1/+1
    neighbour's kind, B/I marks where 2-4 noun tokens spell a name ... 0.745
  + person/organisation split only for Korean-looking names ........ 0.748
  + Kiwi's own out-of-vocabulary flag on the token .................. 0.753 (shipped)
  tried on top, not kept (CRF-only CV): dense 16-64-d landmark vectors -0.003; clusters at
  -1/+1 on two levels 0.747, at -2/+2 -0.009; 512-anchor clusters -0.003; 3-char affixes
  -0.001; lexicon prefix/suffix matches -0.002; O-marginal relabelling (threshold 0.5-0.9)
  -0.000 to -0.035; averaged perceptron -0.017; AROW -0.069; c1/c2 re-sweep (0.05/0.1,
  0.01/0.1, 0.02/0.05, 0.02/0.2) -0.001 to -0.003; kinds of the embedding's 20 nearest
  morphemes in the gazetteers -0.002; the eojeol stem and its organisation suffix -0.001;
  mecab-ko-dic compounds as a fourth kind -0.002; Kiwi frequency bands beside the OOV flag 0.000;
  the neighbours' OOV flags -0.000.
  tried earlier, not kept: char-level CRF alone 0.722 (+0.008, but ~2x the Python work per text);
  char+token span voting 0.717-0.720; next/previous eojeol heads 0.713; regions as Kiwi user
  words 0.710; c1=0 c2=0.3 0.710; c1=0.01 c2=0.25 0.709; 300 iterations 0.712;
  feature.minfreq=2 0.701; possible_states 0.713.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from train_entities import DEFAULT_GOLD, load_scorer, make_examples, train  # noqa: E402

from transforms.entities import TO_SCORER_TYPES, EntityExtractor, entities_jsonl  # noqa: E402

KINDS = ("PS", "OG", "LC", "DT", "QT")
HEADLINE = ("PS", "OG", "LC")


def _newsetl_command() -> str | None:
    local = REPO / ".venv" / "bin" / "newsetl"
    if local.exists():
        return str(local)
    return shutil.which("newsetl")


def _predict_in_process(texts: list[str], model: Path, extractor: EntityExtractor | None) -> list[set]:
    if extractor is not None:
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


def cross_validate(gold: Path, folds: int, in_process: bool) -> tuple[Counter, Counter, Counter]:
    scorer = load_scorer()
    docs = scorer.read_gold(str(gold))
    examples = make_examples(docs)
    command = None if in_process else _newsetl_command()
    if not in_process and command is None:
        raise SystemExit("newsetl is not installed; run with --in-process")
    extractor = EntityExtractor() if command is None else None
    tp, fp, fn = Counter(), Counter(), Counter()
    with tempfile.TemporaryDirectory() as workdir:
        for fold in range(folds):
            held_out = [i for i in range(len(docs)) if i % folds == fold]
            held_set = set(held_out)
            model = Path(workdir) / f"fold{fold}.crfsuite"
            train([examples[i] for i in range(len(docs)) if i not in held_set], model)
            texts = [docs[i][0] for i in held_out]
            if command is None:
                predictions = _predict_in_process(texts, model, extractor)
            else:
                predictions = scorer.predict(f"{command} entities --model {model}", texts)
            for index, predicted in zip(held_out, predictions, strict=True):
                gold_spans = docs[index][1]
                for kind in KINDS:
                    g = {span for span in gold_spans if span[2] == kind}
                    p = {span for span in predicted if span[2] == kind}
                    tp[kind] += len(g & p)
                    fp[kind] += len(p - g)
                    fn[kind] += len(g - p)
            print(f"fold {fold + 1}/{folds} done", file=sys.stderr)
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


def throughput(gold: Path, num_workers: int, repeat: int) -> None:
    """Entity stage vs raw kiwi.tokenize on the same texts, same Kiwi, same process."""
    texts = [text for text, _ in load_scorer().read_gold(str(gold))] * repeat
    chars = sum(len(text) for text in texts)
    extractor = EntityExtractor(num_workers=num_workers)
    kiwi = extractor.kiwi
    for _ in kiwi.tokenize(texts[:200]):  # warm up caches on both sides
        pass
    extractor.extract_many(texts[:200], num_workers=num_workers)
    raw_times, our_times = [], []
    for _ in range(3):
        started = time.perf_counter()
        for _ in kiwi.tokenize(texts):
            pass
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        extractor.extract_many(texts, num_workers=num_workers)
        our_times.append(time.perf_counter() - started)
    raw_rate = chars / min(raw_times)
    our_rate = chars / min(our_times)
    print(f"texts={len(texts)} chars={chars} num_workers={num_workers}")
    print(f"raw kiwi.tokenize\t{raw_rate:,.0f} chars/s")
    print(f"entity stage\t{our_rate:,.0f} chars/s")
    print(f"ratio\t{our_rate / raw_rate:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--floor", type=float, default=None, help="exit 1 when PS+OG+LC micro-F1 is below")
    parser.add_argument("--in-process", action="store_true", help="call entities_jsonl instead of the CLI")
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="copies of the texts for --throughput")
    args = parser.parse_args()
    if args.throughput:
        throughput(args.gold, args.num_workers, args.repeat)
        return
    f1 = report(*cross_validate(args.gold, args.folds, args.in_process))
    if args.floor is not None and f1 < args.floor:
        print(f"FAIL: PS+OG+LC micro-F1 {f1:.3f} < floor {args.floor}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
