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
rather than memorising them. The held-out slice is never augmented.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np
import trainenv  # noqa: F401 - the one bootstrap (bench/devenv.py): product packages from this checkout
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

from transforms.entities.entity_forms import EntityForms, forms_path_for, read_counts
from transforms.entities.features import FeatureBuilder
from transforms.entities.gazetteer import load_gazetteer
from transforms.entities.neural import FIELDS, morpheme_fields
from transforms.entities.tagger import CrfWeights, weights_path_for

LABELS = ("O", "B-PS", "I-PS", "B-OG", "I-OG", "B-LC", "I-LC")
REPLACED_TYPES = ("PS", "OG", "LC")
# What the fold CRFs are trained on (set before forking the pool that trains them).
_FOLD_JOBS: list[tuple[list, list, Path]] = []


def _train_fold(job: int) -> str:
    docs, tokens, out = _FOLD_JOBS[job]
    if not out.exists():  # a fold trained by an earlier run is kept
        train(make_examples(docs, tokens), out)
    return str(out)


def featurise(builder: FeatureBuilder, tokens, text: str) -> tuple[list[list[str]], list[list[str]], np.ndarray]:
    values, flags = [], []
    for token in tokens:
        fields, token_flags = morpheme_fields(builder.own_features(token.form, token.tag))
        values.append([fields.get(field, "") for field in FIELDS])
        flags.append(token_flags)
    return values, flags, builder.neural_context(tokens, builder.context_marks(tokens))


def ending_class(mention: str) -> str:
    """Whether a mention ends in a closed Hangul syllable, an open one or something else: the particle after it
    (은/는, 이/가, 을/를) was chosen for that ending, so a replacement keeps the same class."""
    last = mention[-1]
    if "가" <= last <= "힣":
        return "closed" if (ord(last) - ord("가")) % 28 else "open"
    return "other"


class MentionPool:
    """Replacement mentions per (type, ending class) from a set of sentences, drawn with weight 1/count:
    names the training part holds few times are the ones the network has memorised least."""

    def __init__(self, docs: list[Doc], counts: Counter) -> None:
        self.sources: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for position, (text, spans) in enumerate(docs):
            for start, end, kind in spans:
                if kind in REPLACED_TYPES:
                    mention = text[start:end]
                    self.sources[(kind, ending_class(mention))][mention].add(position)
        self.choices: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
        for key, mentions in self.sources.items():
            forms = sorted(mentions)
            # cumulative weights once, not per draw
            self.choices[key] = (forms, list(accumulate(1.0 / counts[(key[0], form)] for form in forms)))

    def draw(self, kind: str, mention: str, position: int, rng: random.Random) -> str | None:
        """Another mention of the same type and ending, not taken from sentence `position` itself."""
        key = (kind, ending_class(mention))
        if key not in self.choices:
            return None
        forms, cumulative = self.choices[key]
        for _ in range(4):  # a few tries: the draw may hit the mention itself or its own sentence
            form = rng.choices(forms, cum_weights=cumulative)[0]
            if form != mention and self.sources[key][form] != {position}:
                return form
        return None


def replace_mentions(doc: Doc, position: int, pool: MentionPool, p: float, rng: random.Random) -> Doc:
    """A copy of the sentence with each PS/OG/LC span replaced with probability p; the other spans move
    with the text, the particles after a replaced span stay as they are."""
    text, spans = doc
    pieces: list[str] = []
    moved: set[tuple[int, int, str]] = set()
    cursor = shift = 0
    for start, end, kind in sorted(spans):
        if start < cursor:  # overlapping gold spans (none in KLUE): keep the text as it is
            moved.add((start + shift, end + shift, kind))
            continue
        replacement = None
        if kind in REPLACED_TYPES and rng.random() < p:
            replacement = pool.draw(kind, text[start:end], position, rng)
        pieces.append(text[cursor:start])
        mention = replacement or text[start:end]
        new_start = start + shift
        pieces.append(mention)
        shift += len(mention) - (end - start)
        moved.add((new_start, new_start + len(mention), kind))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--holdout", type=int, default=0)
    parser.add_argument("--crf", type=Path, default=None, help="CRF trained without the holdout slice")
    parser.add_argument("--jobs", type=int, default=2, help="fold CRFs trained at once")
    parser.add_argument("--stack", type=Path, default=None, help="folder for one CRF per fold: out-of-fold CRF scores")
    parser.add_argument("--augment", type=int, default=0, help="copies of each training sentence, mentions replaced")
    parser.add_argument("--replace-p", type=float, default=0.7, help="chance that one mention of a copy is replaced")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    docs = load_split(args.train, "news")
    tokens = tokenize_docs(docs)
    every = args.holdout
    train_ids = [i for i in range(len(docs)) if not every or i % every != every - 1]
    held_ids = [i for i in range(len(docs)) if every and i % every == every - 1]
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
            _FOLD_JOBS.append(([docs[i] for i in rest], [tokens[i] for i in rest], args.stack / f"fold{fold}.crfsuite"))
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            paths = pool.map(_train_fold, range(JACKKNIFE_FOLDS))
        fold_weights = [CrfWeights.load(weights_path_for(Path(path))) for path in paths]
    # How often each typed mention occurs in the training part: rare ones are preferred as replacements.
    mention_counts = Counter(
        (kind, docs[i][0][start:end]) for i in train_ids for start, end, kind in docs[i][1] if kind in REPLACED_TYPES
    )
    rng = random.Random(args.seed)
    augmented = 0
    for fold in range(JACKKNIFE_FOLDS):
        members = train_ids[fold::JACKKNIFE_FOLDS]
        member_set = set(members)
        rest = [i for i in train_ids if i not in member_set]
        counts = entity_form_counts([docs[i] for i in rest], [tokens[i] for i in rest])
        builder = FeatureBuilder(gazetteer, EntityForms.from_counts(counts))
        for i in members:
            add(docs[i], tokens[i], i, builder, False, fold_weights[fold])
        if args.augment:
            # Replacements come from this fold's own sentences: neither the fold's CRF nor its entity-form
            # lexicon saw them, so a replaced name looks to both as an unseen name does at run time.
            pool = MentionPool([docs[i] for i in members], mention_counts)
            copies = [
                (copy, i, replace_mentions(docs[i], position, pool, args.replace_p, rng))
                for copy in range(args.augment)
                for position, i in enumerate(members)
            ]
            copy_tokens = tokenize_docs([doc for _, _, doc in copies])
            for (copy, i, doc), doc_tokens in zip(copies, copy_tokens, strict=True):
                # own sentence ids: copy c of sentence i is (c + 1) * len(docs) + i
                add(doc, doc_tokens, (copy + 1) * len(docs) + i, builder, False, fold_weights[fold])
            augmented += len(copies)
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
    }
    if crf_scores:
        arrays["crf"] = np.concatenate(crf_scores).astype(np.float32)
    if held_ids:
        order = [weights.labels.index(label) for label in LABELS]
        arrays["crf_transitions"] = weights.transitions[np.ix_(order, order)].astype(np.float32)
    np.savez_compressed(args.out, **arrays)
    print(
        f"{len(labels)} tokens, {len(set(sentence_of))} sentences ({len(held_ids)} held out, {augmented} augmented)"
        f" -> {args.out}"
    )


if __name__ == "__main__":
    main()
