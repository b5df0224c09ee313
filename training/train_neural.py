"""Train the neural tagger (transforms/entities/neural.py) and export it as numpy arrays.

  /work/torchvenv/bin/python training/train_neural.py DUMP.npz --out entities.neural.npz [--epochs 8]

Runs in a training-only venv with torch (training/requirements.txt); reads what training/dump_neural.py
wrote. With a dump made with --holdout, each epoch is scored on the held-out slice alone, as the CRF,
the network and their sum (network log-probabilities x weight + CRF scores, CRF transitions, Viterbi);
the exported model is the last epoch's, with the ensemble weight best for it on the held-out slice.
Without a holdout, pass the weight chosen that way with --ensemble-weight.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn


def _load_neural():
    """transforms/entities/neural.py alone (the package's __init__ needs Kiwi, which this venv lacks)."""
    source = Path(__file__).resolve().parent.parent / "transforms" / "entities" / "neural.py"
    spec = importlib.util.spec_from_file_location("neural", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


neural = _load_neural()

# Embedding size per field of neural.FIELDS, and the smallest count for a value to get its own row.
DIMS = {
    "w": 64,
    "t": 16,
    "p1": 16,
    "s1": 16,
    "p2": 16,
    "s2": 16,
    "n": 4,
    "sh": 8,
    "c0": 8,
    "c1": 16,
    "c2": 24,
    "c3": 32,
}
MIN_COUNT = {"w": 2, "p2": 2, "s2": 2}
FLAG_DIM = 8
HIDDEN, HIDDEN2 = 96, 48
# Character n-grams of the morpheme's form (1 to 3 characters, word edges marked), averaged into one
# vector: unseen names (foreign organisations) share pieces with seen ones.
CHAR_DIM = 32
CHAR_MIN_COUNT = 3
# Share of training tokens whose value is replaced by the unknown row, so unseen morphemes are handled.
UNKNOWN_DROPOUT = {"w": 0.15, "p2": 0.05, "s2": 0.05}
# Fixed Kiwi CoNg vectors of the morpheme (build_clusters.py --vectors), through a learned projection of
# this size; a share of training tokens loses its vector, as a morpheme outside Kiwi's embedded vocabulary.
VEC_DIM = 32
VEC_DROPOUT = 0.1
WEIGHTS_TRIED = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
# CRF scores are divided by this before they enter the network (stacking).
STACK_SCALE = 4.0
SEED = 20261202


class Tagger(nn.Module):
    """Embeddings (+ character n-grams) -> 5-wide convolution -> a 3-wide convolution or a BiGRU -> labels."""

    def __init__(
        self,
        sizes: list[int],
        dims: list[int],
        flags: int,
        context: int,
        labels: int,
        chars: int,
        rnn: int,
        vectors: np.ndarray | None = None,
        morph: int = 0,
        topic: bool = False,
    ) -> None:
        super().__init__()
        self.tables = nn.ModuleList(nn.Embedding(size, dim) for size, dim in zip(sizes, dims, strict=True))
        self.flags = nn.Linear(flags, FLAG_DIM, bias=False)
        # row 0 of the n-gram table is padding (no n-gram): it stays zero and adds nothing to the mean
        self.chars = nn.Embedding(chars, CHAR_DIM, padding_idx=0) if chars else None
        # the fixed vector table (row 0: none) and its learned projection
        self.vectors = None if vectors is None else torch.from_numpy(vectors.astype(np.float32))
        self.vec_proj = nn.Linear(vectors.shape[1], VEC_DIM, bias=False) if vectors is not None else None
        static = sum(dims) + FLAG_DIM + (CHAR_DIM if chars else 0) + (VEC_DIM if vectors is not None else 0)
        # a hidden layer over the morpheme's own inputs alone: free at run time, where each morpheme's
        # first-layer row is computed once and cached
        self.morph = nn.Linear(static, morph) if morph else None
        width = (morph or static) + context
        # the mean of the text's morphemes' own inputs, into the first layer at every token: what the text is
        # about (a match, a court case) decides between a country as a team or a place
        self.topic = nn.Linear(morph or static, HIDDEN, bias=False) if topic else None
        self.drop = nn.Dropout(0.25)
        self.conv1 = nn.Conv1d(width, HIDDEN, 5, padding=2)
        if rnn:
            self.rnn = nn.GRU(HIDDEN, rnn, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * rnn, labels)
        else:
            self.rnn = None
            self.conv2 = nn.Conv1d(HIDDEN, HIDDEN2, 3, padding=1)
            self.out = nn.Linear(HIDDEN2, labels)

    def forward(
        self,
        ids: torch.Tensor,
        flags: torch.Tensor,
        context: torch.Tensor,
        mask: torch.Tensor,
        grams: torch.Tensor | None = None,
        vec_rows: torch.Tensor | None = None,
    ):
        # ids: batch x tokens x fields; flags, context: batch x tokens x n; mask: batch x tokens;
        # grams: batch x tokens x n-gram slots (0 = none)
        parts = [table(ids[:, :, column]) for column, table in enumerate(self.tables)]
        parts.append(self.flags(flags))
        if self.chars is not None:
            count = (grams > 0).sum(dim=2, keepdim=True).clamp(min=1)
            parts.append(self.chars(grams).sum(dim=2) / count)
        if self.vec_proj is not None:
            parts.append(self.vec_proj(self.vectors[vec_rows]))
        own = torch.cat(parts, dim=2)
        if self.morph is not None:
            own = torch.relu(self.morph(self.drop(own)))
        x = torch.cat([own, context], dim=2)
        x = self.drop(x) * mask[:, :, None]
        hidden = self.conv1(x.transpose(1, 2))
        if self.topic is not None:
            mean = (own * mask[:, :, None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)
            hidden = hidden + self.topic(mean)[:, :, None]
        hidden = torch.relu(hidden) * mask[:, None, :]
        hidden = self.drop(hidden)
        if self.rnn is not None:
            lengths = mask.sum(dim=1).long()
            packed = nn.utils.rnn.pack_padded_sequence(
                hidden.transpose(1, 2), lengths, batch_first=True, enforce_sorted=False
            )
            output, _ = self.rnn(packed)
            output, _ = nn.utils.rnn.pad_packed_sequence(output, batch_first=True, total_length=mask.shape[1])
            return self.out(self.drop(output))
        hidden = torch.relu(self.conv2(hidden)).transpose(1, 2)
        return self.out(self.drop(hidden))


def viterbi(scores: np.ndarray, transitions: np.ndarray) -> list[int]:
    back = np.zeros(scores.shape, dtype=np.int64)
    score = scores[0].copy()
    for t in range(1, len(scores)):
        candidates = score[:, None] + transitions
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + scores[t]
    path = [int(score.argmax())]
    for t in range(len(scores) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def spans(labels: list[int], names: list[str]) -> set[tuple[int, int, str]]:
    found, open_kind, first = set(), None, 0
    for i, label in enumerate([*labels, 0]):
        name = names[label]
        if open_kind and not (name.startswith("I-") and name[2:] == open_kind):
            found.add((first, i, open_kind))
            open_kind = None
        if name.startswith("B-") or (name.startswith("I-") and open_kind is None):
            open_kind, first = name[2:], i
    return found


def f1(predicted: list[set], gold: list[set]) -> float:
    tp = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
    fp = sum(len(p - g) for p, g in zip(predicted, gold, strict=True))
    fn = sum(len(g - p) for p, g in zip(predicted, gold, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def check_numpy_forward(path: Path, data, sentences: list[tuple[int, int]], expected: list, fields: list[str]) -> None:
    """The exported file run by the project's numpy forward pass gives the torch log-probabilities."""
    tagger = neural.NeuralTagger.load(path)
    values, flags = data["values"], data["flags"]

    class Features:  # the dumped feature values stand in for FeatureBuilder.own_features
        @staticmethod
        def own_features(row: int, _tag: str) -> list[str]:
            own = [f"{field}={value}" for field, value in zip(fields, values[row], strict=True) if value]
            # the dump keeps "osuf" for any organisation suffix; give it one back for morpheme_fields
            return own + [flag + "=" if flag == "osuf" else flag for flag in str(flags[row]).split("|") if flag]

    keys = [[(row, "") for row in range(s, e)] for s, e in sentences]
    contexts = [data["context"][s:e].astype(np.float32) for s, e in sentences]
    crf = [data["crf"][s:e] for s, e in sentences] if tagger.stack_scale else None
    got = tagger.log_probs(keys, contexts, Features, crf)
    worst = max(float(np.abs(a - b).max()) for a, b in zip(got, expected, strict=True))
    print(f"numpy forward vs torch: largest difference {worst:.4f} (float16 weights)")


def export(
    model: Tagger, args, names, flag_names, gram_names, vocabularies, fields, weight: float, out: Path, vec_keys=None
) -> None:
    """The model as the numpy arrays neural.NeuralTagger loads (float16 matrices)."""
    state = {name: tensor.detach().numpy() for name, tensor in model.state_dict().items()}
    arrays = {
        "labels": np.array(names),
        "vocab_flags": np.array(flag_names),
        "emb_flags": np.vstack([np.zeros((1, FLAG_DIM), np.float32), state["flags.weight"].T[1:]]),
        "conv1_w": state["conv1.weight"].transpose(2, 1, 0),
        "conv1_b": state["conv1.bias"],
        "out_w": state["out.weight"].T,
        "out_b": state["out.bias"],
        "ensemble_weight": np.array(weight),
        "stack_scale": np.array(STACK_SCALE if args.stack else 0.0),
    }
    if args.rnn:
        # torch's GRU weights per direction: input (3 x units, gates r, z, n) and recurrent, with biases
        for suffix, direction in (("", "forward"), ("_reverse", "backward")):
            arrays[f"gru_{direction}_w_ih"] = state[f"rnn.weight_ih_l0{suffix}"].T
            arrays[f"gru_{direction}_w_hh"] = state[f"rnn.weight_hh_l0{suffix}"].T
            arrays[f"gru_{direction}_b_ih"] = state[f"rnn.bias_ih_l0{suffix}"]
            arrays[f"gru_{direction}_b_hh"] = state[f"rnn.bias_hh_l0{suffix}"]
    else:
        arrays["conv2_w"] = state["conv2.weight"].transpose(2, 1, 0)
        arrays["conv2_b"] = state["conv2.bias"]
    if model.topic is not None:
        arrays["topic_w"] = state["topic.weight"].T
    if model.morph is not None:
        arrays["morph_w"] = state["morph.weight"].T
        arrays["morph_b"] = state["morph.bias"]
    if args.chars:
        arrays["vocab_char"] = np.array(gram_names)
        arrays["emb_char"] = state["chars.weight"]
    if model.vec_proj is not None:
        # the projection folded into the table: one row per "form/tag", row 0 (no vector) zero
        arrays["vocab_vec"] = np.array(vec_keys)
        arrays["emb_vec"] = (model.vectors.numpy() @ state["vec_proj.weight"].T).astype(np.float32)
    for column, field in enumerate(fields):
        arrays[f"vocab_{field}"] = np.array(vocabularies[column])
        arrays[f"emb_{field}"] = state[f"tables.{column}.weight"]
    # float16 halves the file; the forward pass converts back to float32
    arrays = {k: v.astype(np.float16) if v.dtype == np.float32 and v.ndim > 1 else v for k, v in arrays.items()}
    out.parent.mkdir(parents=True, exist_ok=True)  # not found only after the first epoch's minutes otherwise
    np.savez_compressed(out, **arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dump", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--ensemble-weight", type=float, default=None)
    parser.add_argument("--stack", action="store_true", help="the CRF's scores are inputs too")
    parser.add_argument("--rnn", type=int, default=0, help="BiGRU units per direction in place of the second conv")
    parser.add_argument("--morph", type=int, default=0, help="units of a hidden layer over each morpheme's own inputs")
    parser.add_argument("--topic", action="store_true", help="the text's mean morpheme input at every token")
    parser.add_argument("--chars", action="store_true", help="character n-grams of the form as an input")
    parser.add_argument("--decay", type=float, default=1.0, help="learning rate factor per epoch")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--unknown-dropout", default="", help="FIELD=SHARE,...: replaces UNKNOWN_DROPOUT's share for those fields"
    )
    parser.add_argument(
        "--min-count-scale",
        type=int,
        default=1,
        help="MIN_COUNT and CHAR_MIN_COUNT x this (K + 1 on a dump with K name-replaced copies of each sentence)",
    )
    parser.add_argument("--vectors", type=Path, default=None, help="fixed morpheme vectors (build_clusters.py)")
    parser.add_argument("--skip-reviews", action="store_true", help="leave out a dump's movie-review sentences")
    parser.add_argument("--all", action="store_true", help="train on the held-out slice too (the final model)")
    parser.add_argument("--snapshots", action="store_true", help="also export the model after each epoch")
    parser.add_argument("--save-log-probs", type=Path, default=None, help="held-out log-probabilities per epoch")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    data = np.load(args.dump, allow_pickle=False)
    fields = [str(name) for name in data["fields"]]
    names = [str(name) for name in data["label_names"]]
    values, held = data["values"], data["held"].astype(bool)
    if args.all:
        # the held-out slice's CRF scores come from a CRF that did not see it: fit to train on
        held = np.zeros_like(held)
    sentence = data["sentence"]
    # --skip-reviews: the dump's movie-review sentences left out (vocabularies included), the rest as it was
    first_review = int(data["first_review_sentence"]) if "first_review_sentence" in data.files else -1
    skipped = (sentence >= first_review) if args.skip_reviews and first_review >= 0 else np.zeros_like(held)
    train_rows = ~held & ~skipped
    vocabularies = []
    ids = np.zeros(values.shape, dtype=np.int64)
    for column, field in enumerate(fields):
        counts = Counter(values[train_rows, column].tolist())
        least = MIN_COUNT.get(field, 1) * args.min_count_scale
        kept = ["<unk>", *sorted(value for value, count in counts.items() if count >= least)]
        index = {value: row for row, value in enumerate(kept)}
        ids[:, column] = [index.get(value, 0) for value in values[:, column].tolist()]
        vocabularies.append(kept)
    flag_names = ["<unk>", *sorted({flag for joined in data["flags"].tolist() for flag in joined.split("|") if flag})]
    flag_index = {flag: column for column, flag in enumerate(flag_names)}
    flags = np.zeros((len(values), len(flag_names)), dtype=np.float32)
    for row, joined in enumerate(data["flags"].tolist()):
        for flag in joined.split("|"):
            if flag:
                flags[row, flag_index[flag]] = 1.0
    gram_names: list[str] = []
    if args.chars:
        # n-gram ids per distinct form (row 0: none), then per token through its form
        forms = values[:, fields.index("w")]
        gram_counts = Counter(gram for form in forms[train_rows].tolist() for gram in neural.char_grams(form))
        least = CHAR_MIN_COUNT * args.min_count_scale
        gram_names = ["", *sorted(gram for gram, count in gram_counts.items() if count >= least)]
        gram_index = {gram: row for row, gram in enumerate(gram_names)}
        distinct, form_of_row = np.unique(forms, return_inverse=True)
        per_form = [[gram_index[g] for g in neural.char_grams(form) if g in gram_index] for form in distinct.tolist()]
        form_grams = np.zeros((len(distinct), max(map(len, per_form)) or 1), dtype=np.int64)
        for row, grams in enumerate(per_form):
            form_grams[row, : len(grams)] = grams
        token_grams = form_grams[form_of_row.ravel()]
    vec_keys: list[str] = []
    vector_table = None
    token_vec = np.zeros(len(values), dtype=np.int64)
    if args.vectors:
        stored = np.load(args.vectors)
        vec_keys = ["", *stored["keys"].tolist()]
        vector_table = np.vstack([np.zeros((1, stored["vectors"].shape[1])), stored["vectors"].astype(np.float32)])
        vec_index = {key: row for row, key in enumerate(vec_keys)}
        keyed = np.char.add(np.char.add(values[:, fields.index("w")], "/"), values[:, fields.index("t")])
        token_vec = np.array([vec_index.get(key, 0) for key in keyed.tolist()], dtype=np.int64)
        print(f"{(token_vec > 0).mean():.3f} of tokens have a vector")
    context = data["context"].astype(np.float32)
    if args.stack:
        # The CRF's out-of-fold scores as extra inputs (stacking), scaled to about unit size.
        context = np.hstack([context, data["crf"].astype(np.float32) / STACK_SCALE])
    labels = data["labels"].astype(np.int64)
    # sentence boundaries: rows of one sentence are contiguous
    starts = np.flatnonzero(np.r_[True, sentence[1:] != sentence[:-1]])
    ends = np.r_[starts[1:], len(sentence)]
    train_sentences = [(s, e) for s, e in zip(starts, ends, strict=True) if train_rows[s]]
    held_sentences = [(s, e) for s, e in zip(starts, ends, strict=True) if held[s]]
    model = Tagger(
        [len(v) for v in vocabularies],
        [DIMS[f] for f in fields],
        len(flag_names),
        context.shape[1],
        len(names),
        len(gram_names),
        args.rnn,
        vector_table,
        args.morph,
        args.topic,
    )
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    # a fixed factor per epoch, so epoch k of a held-out run and of the final run see the same rates
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimiser, gamma=args.decay)
    shares = dict(UNKNOWN_DROPOUT)
    for item in filter(None, args.unknown_dropout.split(",")):
        field, _, share = item.partition("=")
        shares[field] = float(share)
    dropout = np.array([shares.get(field, 0.0) for field in fields])

    def batch(sentences: list[tuple[int, int]], training: bool):
        longest = max(e - s for s, e in sentences)
        b = len(sentences)
        batch_ids = np.zeros((b, longest, len(fields)), dtype=np.int64)
        batch_flags = np.zeros((b, longest, len(flag_names)), dtype=np.float32)
        batch_context = np.zeros((b, longest, context.shape[1]), dtype=np.float32)
        batch_labels = np.full((b, longest), -100, dtype=np.int64)
        batch_grams = np.zeros((b, longest, token_grams.shape[1] if args.chars else 1), dtype=np.int64)
        mask = np.zeros((b, longest), dtype=np.float32)
        batch_vec = np.zeros((b, longest), dtype=np.int64)
        for row, (s, e) in enumerate(sentences):
            n = e - s
            chosen = ids[s:e].copy()
            if training:
                chosen[rng.random(chosen.shape) < dropout] = 0
            batch_ids[row, :n] = chosen
            batch_flags[row, :n] = flags[s:e]
            batch_context[row, :n] = context[s:e]
            batch_labels[row, :n] = labels[s:e]
            if args.chars:
                batch_grams[row, :n] = token_grams[s:e]
            mask[row, :n] = 1.0
            chosen_vec = token_vec[s:e].copy()
            if training:
                chosen_vec[rng.random(n) < VEC_DROPOUT] = 0
            batch_vec[row, :n] = chosen_vec
        return (
            torch.from_numpy(batch_ids),
            torch.from_numpy(batch_flags),
            torch.from_numpy(batch_context),
            torch.from_numpy(mask),
            torch.from_numpy(batch_grams),
            torch.from_numpy(batch_labels),
            torch.from_numpy(batch_vec),
        )

    def predict(sentences: list[tuple[int, int]]) -> list[np.ndarray]:
        model.eval()
        result = []
        with torch.no_grad():
            for first in range(0, len(sentences), 64):
                chunk = sentences[first : first + 64]
                i, fl, c, m, g, _, v = batch(chunk, False)
                out = torch.log_softmax(model(i, fl, c, m, g, v), dim=2).numpy()
                result.extend(out[row, : e - s] for row, (s, e) in enumerate(chunk))
        model.train()
        return result

    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    best = (-1.0, 0.0, 0)
    last = (-1.0, 1.0)  # the last epoch's best (F1, weight): the exported model is the last epoch's
    saved_log_probs: dict[str, np.ndarray] = {}
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = rng.permutation(len(train_sentences))
        total = 0.0
        for first in range(0, len(order), 32):
            chunk = [train_sentences[k] for k in order[first : first + 32]]
            i, fl, c, m, g, y, v = batch(chunk, True)
            logits = model(i, fl, c, m, g, v)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(chunk)
        schedule.step()
        line = f"epoch {epoch} loss {total / len(train_sentences):.4f} ({time.perf_counter() - started:.0f} s)"
        if held_sentences:
            log_probs = predict(held_sentences)
            if args.save_log_probs:
                saved_log_probs[f"epoch{epoch}"] = np.concatenate(log_probs).astype(np.float32)
            transitions = data["crf_transitions"].astype(np.float64)
            crf = data["crf"].astype(np.float64)
            gold = [spans(labels[s:e].tolist(), names) for s, e in held_sentences]
            scored = []
            for weight in WEIGHTS_TRIED:
                predicted = [
                    spans(viterbi(crf[s:e] + weight * lp, transitions), names)
                    for (s, e), lp in zip(held_sentences, log_probs, strict=True)
                ]
                scored.append((f1(predicted, gold), weight))
            alone = [spans(lp.argmax(axis=1).tolist(), names) for lp in log_probs]
            line += f" | net argmax {f1(alone, gold):.4f} | " + " ".join(f"w{w}:{s:.4f}" for s, w in scored)
            top = last = max(scored)
            if top[0] > best[0]:
                best = (top[0], top[1], epoch)
        print(line, flush=True)
        if args.snapshots:
            snapshot = args.out.with_name(args.out.name.replace(".neural.npz", f".e{epoch}.neural.npz"))
            weight = args.ensemble_weight or 1.0
            export(model, args, names, flag_names, gram_names, vocabularies, fields, weight, snapshot, vec_keys)
    if saved_log_probs:
        np.savez_compressed(args.save_log_probs, **saved_log_probs)
    weight = args.ensemble_weight if args.ensemble_weight is not None else last[1]
    if held_sentences:
        print(f"best holdout ensemble F1 {best[0]:.4f} at weight {best[1]} epoch {best[2]}; exported: last epoch")
    export(model, args, names, flag_names, gram_names, vocabularies, fields, weight, args.out, vec_keys)
    check_on = held_sentences or train_sentences
    check_numpy_forward(args.out, data, check_on[:50], predict(check_on[:50]), fields)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), ensemble weight {weight}")


if __name__ == "__main__":
    main()
