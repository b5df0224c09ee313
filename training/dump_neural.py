"""Write the neural tagger's training inputs: per token, the values of its own CRF features, its context
flags and its gold BIO label, for the news part of the KLUE-NER training split.

  .venv/bin/python training/dump_neural.py --out /tmp/neural.npz [--holdout 10 --crf MODEL]

Runs in the project's venv (Kiwi, the feature code); training/train_neural.py reads the file in the
torch venv. As for the CRF, each sentence's entity-form marks come from a lexicon built without it
(jackknifing). With `--holdout N` every Nth sentence is left out of training and written as the tuning
slice, with the scores of the CRF given by `--crf` (trained without it: train_entities.py --holdout N),
so the ensemble weight is chosen on sentences neither model saw.

`--augment K` adds K copies of each training sentence in which each person/organisation/place mention is
replaced, with probability `--replace-p`, by a rarely seen mention of the same type from another sentence of
the same fold (mention replacement, Dai & Adel 2020): the network learns names from context and shape
rather than memorising them (training/mention_replacement.py). The held-out slice is never augmented.
`--crf-augment K` trains the fold CRFs of `--stack` on K such copies of their sentences too (as
train_entities.py --augment does for the holdout and shipped CRFs).
`--reviews` adds the split's movie-review sentences (nsmc) as training sentences for the network only (never
held out, never copied), each scored by a fold CRF and featurised with a fold lexicon, none of which saw it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import trainenv  # noqa: F401 - the one bootstrap (bench/devenv.py): product packages from this checkout
from mention_replacement import Augmentation, mention_counts, replaced_copies
from train_entities import (
    DEFAULT_TRAIN,
    JACKKNIFE_FOLDS,
    Doc,
    entity_form_counts,
    load_split,
    make_examples,
    spans_to_labels,
    tokenize_docs,
    train,
)
from tuning_slice import held_out_ids

from transforms.entities.entity_forms import EntityForms, forms_path_for, read_counts
from transforms.entities.features import FeatureBuilder
from transforms.entities.gazetteer import load_gazetteer
from transforms.entities.neural import FIELDS, morpheme_fields
from transforms.entities.tagger import CrfWeights, weights_path_for

LABELS = ("O", "B-PS", "I-PS", "B-OG", "I-OG", "B-LC", "I-LC")
# What the fold CRFs are trained on (set before forking the pool that trains them).
_FOLD_JOBS: list[tuple[list, list, Path, Augmentation | None]] = []


def _train_fold(job: int) -> str:
    docs, tokens, out, augmentation = _FOLD_JOBS[job]
    if not out.exists():  # a fold trained by an earlier run is kept
        train(make_examples(docs, tokens, augmentation=augmentation), out)
    return str(out)


def featurise(builder: FeatureBuilder, tokens, text: str) -> tuple[list[list[str]], list[list[str]], np.ndarray]:
    values, flags = [], []
    for token in tokens:
        fields, token_flags = morpheme_fields(builder.own_features(token.form, token.tag))
        values.append([fields.get(field, "") for field in FIELDS])
        flags.append(token_flags)
    return values, flags, builder.neural_context(tokens, builder.context_marks(tokens))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--holdout", type=int, default=0)
    parser.add_argument("--by-story", action="store_true", help="hold out whole stories (tuning_slice.py)")
    parser.add_argument("--crf", type=Path, default=None, help="CRF trained without the holdout slice")
    parser.add_argument("--jobs", type=int, default=2, help="fold CRFs trained at once")
    parser.add_argument("--stack", type=Path, default=None, help="folder for one CRF per fold: out-of-fold CRF scores")
    parser.add_argument("--augment", type=int, default=0, help="copies of each training sentence, mentions replaced")
    parser.add_argument("--replace-p", type=float, default=0.7, help="chance that one mention of a copy is replaced")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--crf-augment",
        type=int,
        default=0,
        help="name-replaced copies of each sentence in the fold CRFs' training too (same --replace-p and --seed)",
    )
    parser.add_argument(
        "--reviews", action="store_true", help="the split's movie-review sentences as extra training sentences"
    )
    args = parser.parse_args()
    docs = load_split(args.train, "news")
    tokens = tokenize_docs(docs)
    every = args.holdout
    held_ids = held_out_ids(docs, every, args.by_story)
    held_set = set(held_ids)
    train_ids = [i for i in range(len(docs)) if i not in held_set]
    gazetteer = load_gazetteer()
    sentence_of: list[int] = []
    values: list[list[str]] = []
    flags: list[list[str]] = []
    contexts: list[np.ndarray] = []
    labels: list[int] = []
    split: list[int] = []
    crf_scores: list[np.ndarray] = []

    def add(
        doc: Doc,
        doc_tokens: Sequence,
        sentence_id: int,
        builder: FeatureBuilder,
        held: bool,
        weights: CrfWeights | None,
    ) -> None:
        text, spans = doc
        if not doc_tokens:
            return
        token_values, token_flags, context = featurise(builder, doc_tokens, text)
        values.extend(token_values)
        flags.extend(token_flags)
        contexts.append(context)
        labels.extend(LABELS.index(label) for label in spans_to_labels(doc_tokens, spans))
        sentence_of.extend([sentence_id] * len(doc_tokens))
        split.extend([int(held)] * len(doc_tokens))
        if weights is not None:
            scores = builder.emissions(doc_tokens, text, weights)
            crf_scores.append(scores[:, [weights.labels.index(label) for label in LABELS]])
        elif held or every:
            crf_scores.append(np.zeros((len(doc_tokens), len(LABELS))))

    fold_weights: list[CrfWeights | None] = [None] * JACKKNIFE_FOLDS
    if args.stack:
        # Each fold's CRF scores come from a CRF trained on the other folds (stacking needs scores on
        # sentences the CRF did not see, as at run time).
        args.stack.mkdir(parents=True, exist_ok=True)
        for fold in range(JACKKNIFE_FOLDS):
            rest = [i for position, i in enumerate(train_ids) if position % JACKKNIFE_FOLDS != fold]
            _FOLD_JOBS.append(
                (
                    [docs[i] for i in rest],
                    [tokens[i] for i in rest],
                    args.stack / f"fold{fold}.crfsuite",
                    Augmentation(args.crf_augment, args.replace_p, args.seed) if args.crf_augment else None,
                )
            )
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            paths = pool.map(_train_fold, range(JACKKNIFE_FOLDS))
        fold_weights = [CrfWeights.load(weights_path_for(Path(path))) for path in paths]
    # How often each typed mention occurs in the training part: rare ones are preferred as replacements.
    counts_of_mentions = mention_counts(docs[i] for i in train_ids)
    rng = random.Random(args.seed)
    augmented = 0
    fold_builders = []
    for fold in range(JACKKNIFE_FOLDS):
        members = train_ids[fold::JACKKNIFE_FOLDS]
        member_set = set(members)
        rest = [i for i in train_ids if i not in member_set]
        counts = entity_form_counts([docs[i] for i in rest], [tokens[i] for i in rest])
        builder = FeatureBuilder(gazetteer, EntityForms.from_counts(counts))
        fold_builders.append(builder)
        for i in members:
            add(docs[i], tokens[i], i, builder, False, fold_weights[fold])
        if args.augment:
            # Replacements come from this fold's own sentences: neither the fold's CRF nor its entity-form
            # lexicon saw them, so a replaced name looks to both as an unseen name does at run time.
            copies = replaced_copies([docs[i] for i in members], counts_of_mentions, args.augment, args.replace_p, rng)
            copy_tokens = tokenize_docs([doc for _, _, doc in copies])
            for (copy, position, doc), doc_tokens in zip(copies, copy_tokens, strict=True):
                i = members[position]
                # own sentence ids: copy c of sentence i is (c + 1) * len(docs) + i
                add(doc, doc_tokens, (copy + 1) * len(docs) + i, builder, False, fold_weights[fold])
            augmented += len(copies)
    reviews = 0
    first_review_id = -1
    if args.reviews:
        # Training sentences only (the held-out slice stays news): each takes a fold's CRF and lexicon, none of
        # which saw it. Sentence ids follow the copies'.
        review_docs = load_split(args.train, "reviews")
        first_id = first_review_id = (args.augment + 1) * len(docs)
        for j, (doc, doc_tokens) in enumerate(zip(review_docs, tokenize_docs(review_docs), strict=True)):
            fold = j % JACKKNIFE_FOLDS
            add(doc, doc_tokens, first_id + j, fold_builders[fold], False, fold_weights[fold])
        reviews = len(review_docs)
    if held_ids:
        weights = CrfWeights.load(args.crf.with_name(args.crf.name.split(".")[0] + ".weights.npz"))
        builder = FeatureBuilder(gazetteer, EntityForms.from_counts(read_counts(forms_path_for(args.crf))))
        for i in held_ids:
            add(docs[i], tokens[i], i, builder, True, weights)
    arrays = {
        "values": np.array(values, dtype=object).astype(str),
        "flags": np.array(["|".join(token_flags) for token_flags in flags]),
        "context": np.concatenate(contexts).astype(np.uint8),
        "labels": np.array(labels, dtype=np.int8),
        "sentence": np.array(sentence_of, dtype=np.int32),
        "held": np.array(split, dtype=np.int8),
        "label_names": np.array(LABELS),
        "fields": np.array(FIELDS),
        # sentence ids from here on are movie reviews (train_neural.py --skip-reviews); -1: none
        "first_review_sentence": np.array(first_review_id, dtype=np.int64),
    }
    if crf_scores:
        arrays["crf"] = np.concatenate(crf_scores).astype(np.float32)
    if held_ids:
        order = [weights.labels.index(label) for label in LABELS]
        arrays["crf_transitions"] = weights.transitions[np.ix_(order, order)].astype(np.float32)
    np.savez_compressed(args.out, **arrays)
    print(
        f"{len(labels)} tokens, {len(set(sentence_of))} sentences ({len(held_ids)} held out, {augmented} augmented,"
        f" {reviews} reviews)"
        f" -> {args.out}"
    )


if __name__ == "__main__":
    main()
