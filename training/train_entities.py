"""Train the shipped PERSON/ORG/LOC CRF on the KLUE-NER v1.1 training split.

  .venv/bin/python training/train_entities.py [--train TSV] [--part news|all] [--out MODEL]
      [--holdout N] [--augment K --replace-p P --seed S]

`--part news` keeps the wikitree news sentences, `all` adds the nsmc movie reviews. The shared dev
half is never read here: it is for reporting only (bench/eval_entities.py, tests/test_entities_eval.py).
`--augment K` adds K name-replaced copies of each training sentence (training/mention_replacement.py); the
held-out slice of `--holdout` is never copied, and the entity-form lexicon counts originals only.

The model is derived from KLUE-NER (CC BY-SA 4.0); see transforms/entities/data/ATTRIBUTION.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pycrfsuite
from mention_replacement import Augmentation, mention_counts, replaced_copies
from trainenv import REPO_ROOT as REPO  # the one bootstrap (bench/devenv.py): product packages from this checkout
from tuning_slice import held_out_ids

from transforms.entities import DEFAULT_MODEL_PATH, build_kiwi
from transforms.entities.entity_forms import (
    EntityForms,
    add_plain_words,
    count_forms,
    forms_path_for,
    write_counts,
)
from transforms.entities.features import FeatureBuilder, labels_to_spans, spans_to_labels, split_compounds
from transforms.entities.gazetteer import load_gazetteer
from transforms.entities.tagger import CrfWeights, weights_path_for

SHARED = REPO.parent / "shared"
DEFAULT_GOLD = SHARED / "data" / "klue-ner-wikitree-dev-half.tsv"
DEFAULT_TRAIN = SHARED / "data" / "klue-ner-v1.1_train.tsv"
# KLUE sentence ids end with their source: wikitree (news) or nsmc (movie reviews).
PARTS = {"news": ("wikitree",), "reviews": ("nsmc",), "all": ("wikitree", "nsmc")}
# L1/L2 weights chosen by 5-fold CV on the KLUE half (see bench/eval_entities.py): c1=0.02 c2=0.1 beat
# c1=c2=0.05 by +0.016 micro-F1 and c1=0.1 c2=0.01 by +0.026.
# Folds for the jackknifed entity-form lexicon (see make_examples).
JACKKNIFE_FOLDS = 5
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


def load_split(path: Path, part: str = "news") -> list[Doc]:
    """The sentences of a KLUE TSV whose source is in `part`, parsed by the shared scorer's reader."""
    sources = PARTS[part]
    kept: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        ids = [line.split("\t")[0] for line in block.split("\n") if line.startswith("## klue-ner")]
        if ids and ids[0].rsplit("_", 1)[-1] in sources:
            kept.append(block)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".tsv") as handle:
        handle.write("\n\n".join(kept))
        handle.flush()
        return load_docs(Path(handle.name))


def tokenize_docs(docs: list[Doc]) -> list[Sequence]:
    """Kiwi tokens per document (compounds split as at tagging time), tokenized once."""
    kiwi = build_kiwi(load_gazetteer(), num_workers=2)
    return [split_compounds(tokens) for tokens in kiwi.tokenize([text for text, _ in docs])]


def forms_and_tags(tokens: Sequence) -> tuple[list[str], list[str]]:
    return [token.form for token in tokens], [token.tag for token in tokens]


def entity_form_counts(docs: list[Doc], tokens: list[Sequence]) -> dict[str, list[int]]:
    """The names' counts: all a fold's lexicon needs to mark tokens."""
    return count_forms(docs, (forms_and_tags(doc_tokens) for doc_tokens in tokens))


def shipped_lexicon_counts(docs: list[Doc], tokens: list[Sequence]) -> dict[str, list[int]]:
    """The counts of a lexicon written beside a model: the names, then the everyday words the rules read
    (entity_forms.add_plain_words; no lexicon mark comes from them, so the fold lexicons go without)."""
    counts = entity_form_counts(docs, tokens)
    spans = (((t.form, t.tag, t.start, t.start + t.len) for t in doc_tokens) for doc_tokens in tokens)
    add_plain_words(counts, docs, spans)
    return counts


def make_examples(
    docs: list[Doc],
    tokens: list[Sequence] | None = None,
    folds: int = JACKKNIFE_FOLDS,
    use_forms: bool = True,
    augmentation: Augmentation | None = None,
) -> list[Example]:
    """Feature lists and gold BIO labels per document, then those of its name-replaced copies if asked.

    The entity-form lexicon a document sees is built from the other folds only: a lexicon holding
    the document's own names would be right every time in training, and the CRF would over-trust it.
    A fold's copies take their names from the fold itself and see the fold's lexicon, so a replaced name is
    as unknown to the lexicon as an unseen name at run time. The lexicon counts originals only: copies would
    inflate the counts of the rare names they draw, and the shipped lexicon keeps real counts.
    """
    gazetteer = load_gazetteer()
    tokens = tokens if tokens is not None else tokenize_docs(docs)
    fold_copies: list[list[Doc]] = [[] for _ in range(folds)]
    if augmentation and augmentation.copies:
        counts_of_mentions = mention_counts(docs)
        rng = random.Random(augmentation.seed)
        for fold in range(folds):
            members = docs[fold::folds]
            drawn = replaced_copies(members, counts_of_mentions, augmentation.copies, augmentation.replace_p, rng)
            fold_copies[fold] = [copy for _, _, copy in drawn]
    # one Kiwi pass over every copy (building Kiwi costs seconds)
    copy_tokens = iter(tokenize_docs([copy for copies in fold_copies for copy in copies]) if any(fold_copies) else [])
    examples: list[Example | None] = [None] * len(docs)
    extra: list[Example] = []
    for fold in range(folds):
        rest = [i for i in range(len(docs)) if i % folds != fold]
        counts = entity_form_counts([docs[i] for i in rest], [tokens[i] for i in rest]) if use_forms else {}
        builder = FeatureBuilder(gazetteer, EntityForms.from_counts(counts))
        for i in range(fold, len(docs), folds):
            text, spans = docs[i]
            examples[i] = (builder.build(tokens[i], text), spans_to_labels(tokens[i], spans))
        for text, spans in fold_copies[fold]:
            doc_tokens = next(copy_tokens)
            if doc_tokens:
                extra.append((builder.build(doc_tokens, text), spans_to_labels(doc_tokens, spans)))
    return [example for example in examples if example is not None] + extra


def train(examples: list[Example], out: Path, params: dict | None = None) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in examples:
        trainer.append(features, labels)
    trainer.set_params(params or CRF_PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    # The weights as numpy arrays beside the model: what the extractor loads (transforms/entities/tagger.py).
    CrfWeights.from_crfsuite(out).save(weights_path_for(out))


def write_klue_tsv(path: Path, docs: list[Doc]) -> None:
    """Sentences in KLUE's character/BIO format, so the shared scorer can score the whole pipeline on them."""
    blocks = []
    for text, spans in docs:
        tags = ["O"] * len(text)
        for start, end, kind in spans:
            tags[start] = "B-" + kind
            for i in range(start + 1, end):
                tags[i] = "I-" + kind
        blocks.append("\n".join(f"{char}\t{tag}" for char, tag in zip(text, tags, strict=True)))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def tune_on_holdout(
    docs: list[Doc],
    tokens: list[Sequence],
    every: int,
    params: dict,
    out: Path,
    use_forms: bool = True,
    augmentation: Augmentation | None = None,
    by_story: bool = False,
) -> None:
    """Train on the training split without its tuning slice (a 1/`every` share: every `every`-th sentence, or
    whole stories, see tuning_slice.py) and score on it (the shared dev half is never used to choose anything).
    The held-out sentences are never copied."""
    held_ids = held_out_ids(docs, every, by_story)
    held = set(held_ids)
    train_ids = [i for i in range(len(docs)) if i not in held]
    train_docs, train_tokens = [docs[i] for i in train_ids], [tokens[i] for i in train_ids]
    train(make_examples(train_docs, train_tokens, use_forms=use_forms, augmentation=augmentation), out, params)
    counts = shipped_lexicon_counts(train_docs, train_tokens) if use_forms else {}
    write_counts(forms_path_for(out), counts)
    write_klue_tsv(out.with_suffix(".holdout.tsv"), [docs[i] for i in held_ids])
    builder = FeatureBuilder(load_gazetteer(), EntityForms.from_counts(counts))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    tp = fp = fn = 0
    for i in held_ids:
        text, gold = docs[i]
        labels = tagger.tag(builder.build(tokens[i], text))
        predicted = set(labels_to_spans(tokens[i], labels))
        gold = {span for span in gold if span[2] in ("PS", "OG", "LC")}
        tp, fp, fn = tp + len(gold & predicted), fp + len(predicted - gold), fn + len(gold - predicted)
    p, r, f = load_scorer().prf(tp, fp, fn)
    how = "by story" if by_story else "every Nth"
    scores = f"P={p:.3f} R={r:.3f} F1={f:.3f}"
    print(f"holdout 1/{every} {how} ({len(held_ids)} sentences, CRF spans only) {scores} {params}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--part", choices=sorted(PARTS), default="news")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--c1", type=float, default=CRF_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=CRF_PARAMS["c2"])
    parser.add_argument("--iterations", type=int, default=CRF_PARAMS["max_iterations"])
    parser.add_argument("--holdout", type=int, default=0, help="train without every Nth sentence, score on them")
    parser.add_argument("--by-story", action="store_true", help="hold out whole stories (tuning_slice.py)")
    parser.add_argument("--no-forms", action="store_true", help="without the entity-form lexicon (comparison)")
    parser.add_argument("--augment", type=int, default=0, help="name-replaced copies of each training sentence")
    parser.add_argument("--replace-p", type=float, default=0.7, help="chance that one mention of a copy is replaced")
    parser.add_argument("--seed", type=int, default=15, help="seed of the replacement draws")
    args = parser.parse_args()
    started = time.perf_counter()
    docs = load_split(args.train, args.part)
    tokens = tokenize_docs(docs)
    params = {**CRF_PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations}
    augmentation = Augmentation(args.augment, args.replace_p, args.seed) if args.augment else None
    if args.holdout:
        tune_on_holdout(docs, tokens, args.holdout, params, args.out, not args.no_forms, augmentation, args.by_story)
        print(f"({time.perf_counter() - started:.1f} s)")
        return
    write_counts(forms_path_for(args.out), shipped_lexicon_counts(docs, tokens))
    examples = make_examples(docs, tokens, augmentation=augmentation)
    train(examples, args.out, params)
    print(f"trained on {len(examples)} documents -> {args.out} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
