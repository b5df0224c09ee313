"""A small convolutional tagger over Kiwi tokens, run in numpy; its label log-probabilities are added to
the CRF's scores before Viterbi (an ensemble of the two).

Inputs per token: learned embeddings of the morpheme's own CRF features (form/tag, tag, affixes, shape,
length, its Kiwi CoNg cluster ids at four granularities) plus a bag of its lexicon flags, and the
context flags the CRF also sees (lexicon runs, entity-form marks, spacing, Kiwi's guess flag). Two
convolutions (5 tokens, then 3) and a softmax over the CRF's labels; the first may also read the mean of its
text's morpheme inputs at every token (`topic_w`). Trained by training/train_neural.py
(torch, training only); here the forward pass is numpy float32 over all tokens of a batch of texts at
once, with each morpheme's first-layer contribution cached (morphemes repeat across texts).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from transforms.entities.features import FlatScores

# The morpheme's own CRF features (FeatureBuilder._own_features) grouped by the name before "=":
# each group is one embedding table; the flag features (no value) share one summed bag.
FIELDS = ("w", "t", "p1", "s1", "p2", "s2", "n", "sh", "c0", "c1", "c2", "c3")
FLAG_PREFIXES = ("sur", "gz=", "mk=", "osuf=")
# Context flags per token, in column order (FeatureBuilder.neural_context).
CONTEXT = (
    *(f"mks={edge}{kind}" for edge in "BI" for kind in "PLN"),
    *(f"ef={edge}-{kind}-{band}" for edge in "BI" for kind in ("PS", "OG", "LC") for band in ("hi", "mid", "lo")),
    "oov",
    "eostart",
    "eoend",
    "BOS",
    "EOS",
)
CONTEXT_INDEX = {name: column for column, name in enumerate(CONTEXT)}
# Convolution widths: the first layer sees two tokens either side, the second one more each side.
FIRST_WIDTH = 5
SECOND_WIDTH = 3
# Morphemes whose first-layer contribution is kept (each 5 x 96 float32, 1.9 KB, or 6 x 96 with the text's
# mean input: at most ~75 MB with the table's doubling); cleared when full, so a long run's memory stays flat.
MORPHEME_CACHE_LIMIT = 30_000
# A row of context flags as an integer: its first 15 flags and the rest each summed exactly in float32.
FLAG_LOW_BITS = 15
# Distinct rows of context flags whose first-layer parts are kept (news text shows a few dozen).
FLAG_ROWS_KEPT = 4096


def neural_path_for(model_path: Path) -> Path:
    """entities.crfsuite -> entities.neural.npz: the network trained beside that CRF."""
    return model_path.with_name(model_path.name.split(".")[0] + ".neural.npz")


def char_grams(form: str) -> list[str]:
    """The form's character 1-, 2- and 3-grams, its edges marked with < and > (the character input)."""
    marked = "<" + form + ">"
    grams = list(form)
    grams += [marked[i : i + 2] for i in range(len(marked) - 1)]
    grams += [marked[i : i + 3] for i in range(len(marked) - 2)]
    return grams


def morpheme_fields(own_features: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """A morpheme's own CRF features split into one value per field and its flag features."""
    values: dict[str, str] = {}
    flags: list[str] = []
    for feature in own_features:
        if feature.startswith(FLAG_PREFIXES):
            flags.append(feature if not feature.startswith("osuf=") else "osuf")
            continue
        name, _, value = feature.partition("=")
        values[name] = value
    return values, flags


class ContextInputs(NamedTuple):
    """The first layer's context inputs per flat position: the context flags as one integer (bit c: CONTEXT[c])
    and, for a stacked network, the CRF's scores as float32 (the stacking scale is in the weights; None
    unstacked)."""

    codes: np.ndarray
    scores: np.ndarray | None

    def rows(self, rows: slice) -> ContextInputs:
        return ContextInputs(self.codes[rows], None if self.scores is None else self.scores[rows])


def _row_of(vocabulary: np.ndarray) -> dict[str, int]:
    """value -> its row; tolist() gives Python strings at C speed (str() per numpy element is ~3x dearer)."""
    return dict(zip(vocabulary.tolist(), range(len(vocabulary)), strict=True))


class NeuralTagger:
    """The exported network: vocabularies, embedding tables and convolution weights (float32)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.labels = [str(label) for label in arrays["labels"]]
        # value -> row per field; row 0 is the unknown value
        self.vocab = {field: _row_of(arrays[f"vocab_{field}"]) for field in FIELDS}
        self.flag_vocab = _row_of(arrays["vocab_flags"])
        self.tables = [arrays[f"emb_{field}"].astype(np.float32) for field in FIELDS]
        self.flag_table = arrays["emb_flags"].astype(np.float32)
        # Character n-grams of the form (optional): their vectors' mean follows the flags' bag.
        self.char_vocab = _row_of(arrays["vocab_char"]) if "vocab_char" in arrays else {}
        self.char_table = arrays["emb_char"].astype(np.float32) if self.char_vocab else np.zeros((1, 0), np.float32)
        # Fixed Kiwi CoNg vectors of the morpheme, already projected (optional): they follow the n-grams.
        self.vec_vocab = _row_of(arrays["vocab_vec"]) if "vocab_vec" in arrays else {}
        self.vec_table = arrays["emb_vec"].astype(np.float32) if self.vec_vocab else np.zeros((1, 0), np.float32)
        first = arrays["conv1_w"].astype(np.float32)  # width x (static + context) x hidden
        static_size = sum(table.shape[1] for table in self.tables) + self.flag_table.shape[1]
        static_size += self.char_table.shape[1] + self.vec_table.shape[1]
        # A hidden layer over the morpheme's own inputs (optional): the first layer reads its units instead.
        self.morph_w = arrays["morph_w"].astype(np.float32) if "morph_w" in arrays else None
        self.morph_b = arrays["morph_b"].astype(np.float32) if "morph_b" in arrays else None
        if self.morph_w is not None:
            static_size = self.morph_w.shape[1]
        # The text's mean morpheme input, into the first layer at each of its tokens (optional): cached as one
        # more block of the morpheme's row, whose mean over a text's tokens is the text's contribution.
        self.topic_w = arrays["topic_w"].astype(np.float32) if "topic_w" in arrays else None
        self.blocks = FIRST_WIDTH + (self.topic_w is not None)
        self.hidden = first.shape[2]
        # static input -> the hidden contribution it makes at each of the five positions, side by side
        self.first_static = np.ascontiguousarray(first[:, :static_size].transpose(1, 0, 2).reshape(static_size, -1))
        context_size = first.shape[1] - static_size
        self.first_context = np.ascontiguousarray(first[:, static_size:].transpose(1, 0, 2).reshape(context_size, -1))
        self.first_bias = arrays["conv1_b"].astype(np.float32)
        # The second layer: a bidirectional GRU over the first layer's units, or a 3-wide convolution.
        self.recurrent = "gru_forward_w_ih" in arrays
        if self.recurrent:
            self._gru_weights(arrays)
        else:
            second = arrays["conv2_w"].astype(np.float32)  # width x hidden x hidden2
            self.second = np.ascontiguousarray(second.transpose(1, 0, 2).reshape(self.hidden, -1))
            self.second_hidden = second.shape[2]
            self.second_bias = arrays["conv2_b"].astype(np.float32)
        self.out_w = arrays["out_w"].astype(np.float32)
        self.out_b = arrays["out_b"].astype(np.float32)
        self.weight = float(arrays["ensemble_weight"])
        # Stacked: the CRF's scores (in self.labels' order, divided by this) are inputs after the flags.
        self.stack_scale = float(arrays["stack_scale"]) if "stack_scale" in arrays else 0.0
        # Rows of first_context: the context flags, then (stacked) one per label of the CRF's scores.
        self.flag_rows = len(CONTEXT)
        if self.stack_scale:
            self.first_context[self.flag_rows :] /= self.stack_scale  # scaling folded into the weights
        self._window_weights()
        self._reset_rows()

    def _gru_weights(self, arrays: dict[str, np.ndarray]) -> None:
        """Both directions' GRU weights laid side by side so one step advances both: columns are the
        gates r, z, n, each [forward | backward]; r and z are pre-scaled by 1/2 so that a sigmoid is
        tanh(x) / 2 + 1/2."""
        units = arrays["gru_forward_w_hh"].shape[0]
        self.units = units
        gate = [slice(g * units, (g + 1) * units) for g in range(3)]
        halves = np.array([0.5, 0.5, 1.0], np.float32)
        w_ih = np.zeros((self.hidden, 6 * units), np.float32)  # [forward r z n | backward r z n]
        w_hh = np.zeros((2 * units, 6 * units), np.float32)  # [rf rb zf zb nf nb], block per direction
        b_ih = np.zeros(6 * units, np.float32)
        b_hh = np.zeros(6 * units, np.float32)
        for side, direction in enumerate(("forward", "backward")):
            d_ih = arrays[f"gru_{direction}_w_ih"].astype(np.float32)
            d_hh = arrays[f"gru_{direction}_w_hh"].astype(np.float32)
            d_bih = arrays[f"gru_{direction}_b_ih"].astype(np.float32)
            d_bhh = arrays[f"gru_{direction}_b_hh"].astype(np.float32)
            rows = slice(side * units, (side + 1) * units)
            for g in range(3):
                own = slice((3 * side + g) * units, (3 * side + g + 1) * units)
                paired = slice((2 * g + side) * units, (2 * g + side + 1) * units)
                w_ih[:, own] = d_ih[:, gate[g]] * halves[g]
                b_ih[own] = d_bih[gate[g]] * halves[g]
                w_hh[rows, paired] = d_hh[:, gate[g]] * halves[g]
                b_hh[paired] = d_bhh[gate[g]] * halves[g]
        self.gru_w_ih, self.gru_b_ih = w_ih, b_ih
        self.gru_w_hh, self.gru_b_hh = w_hh, b_hh

    def _window_weights(self) -> None:
        hidden, flags = self.hidden, self.flag_rows
        # the flags' weights per tap (flag x tap x hidden), and the flag rows seen so far (_flag_kinds): their
        # codes, sorted, and each one's part of the first layer per tap (tap x row x hidden)
        self.flag_weights = np.ascontiguousarray(self.first_context[:flags].reshape(flags, FIRST_WIDTH, hidden))
        self._flag_codes = np.zeros(1, np.int64)
        self._flag_parts = np.zeros((FIRST_WIDTH, 1, hidden), np.float32)
        self._low_bits = np.array([2.0**bit if bit < FLAG_LOW_BITS else 0.0 for bit in range(flags)], np.float32)
        self._high_bits = np.array(
            [2.0 ** (bit - FLAG_LOW_BITS) if bit >= FLAG_LOW_BITS else 0.0 for bit in range(flags)], np.float32
        )
        # the CRF scores' column block per tap, stacked ((width x labels) x hidden), for one product per pass
        scores = self.first_context[flags:]
        blocks = [scores[:, tap * hidden : (tap + 1) * hidden] for tap in range(FIRST_WIDTH)]
        self.score_window_weights = np.ascontiguousarray(np.vstack(blocks))

    def use_label_order(self, labels: Sequence[str]) -> None:
        """Take CRF scores and give log-probabilities in `labels`' column order (the CRF's), so the
        caller adds them without reindexing every text's matrix."""
        order = [self.labels.index(label) for label in labels]
        self.out_w = np.ascontiguousarray(self.out_w[:, order])
        self.out_b = self.out_b[order]
        if self.stack_scale:
            flag_rows = self.flag_rows
            self.first_context[flag_rows:] = self.first_context[flag_rows:][order]
            self._window_weights()
        self.labels = list(labels)
        self._reset_rows()

    @classmethod
    def load(cls, path: Path) -> NeuralTagger:
        return cls(_read_arrays(path))

    def static_ids(self, own_features: Sequence[str]) -> tuple[list[int], list[int]]:
        """Row per field and the flag rows for one morpheme (0 = unknown)."""
        values, flags = morpheme_fields(own_features)
        ids = [self.vocab[field].get(values.get(field, ""), 0) for field in FIELDS]
        flag_ids = [row for row in (self.flag_vocab.get(flag, 0) for flag in flags) if row]
        return ids, flag_ids

    def _morpheme_block(self, own_features: Sequence[str]) -> np.ndarray:
        ids, flag_ids = self.static_ids(own_features)
        values = morpheme_fields(own_features)[0]
        parts = [table[row] for table, row in zip(self.tables, ids, strict=True)]
        flags = self.flag_table[flag_ids].sum(axis=0) if flag_ids else np.zeros(self.flag_table.shape[1], np.float32)
        parts.append(flags)
        if self.char_vocab:
            form = values.get("w", "")
            grams = [row for row in (self.char_vocab.get(gram, 0) for gram in char_grams(form)) if row]
            parts.append(
                self.char_table[grams].mean(axis=0) if grams else np.zeros(self.char_table.shape[1], np.float32)
            )
        if self.vec_vocab:
            parts.append(self.vec_table[self.vec_vocab.get(values.get("w", "") + "/" + values.get("t", ""), 0)])
        vector = np.concatenate(parts)
        if self.morph_w is not None:
            vector = np.maximum(vector @ self.morph_w + self.morph_b, 0.0)
        taps = (vector @ self.first_static).reshape(FIRST_WIDTH, self.hidden)
        if self.topic_w is None:
            return taps
        return np.vstack([taps, vector @ self.topic_w])

    def _reset_rows(self) -> None:
        self._rows: dict[tuple[str, str], int] = {}
        # Row 0 is the zero padding between texts; rows 1.. hold cached morphemes' first-layer taps.
        self._table = np.zeros((self.blocks, 4096, self.hidden), np.float32)  # block x row x hidden
        self._used = 1
        # The CRF's morpheme id -> row (0: not looked up yet), for the numbering `_id_numbering` names: a
        # batch's rows are then one gather instead of a dict lookup per token.
        self._row_of_id = np.zeros(4096, np.intp)
        self._id_numbering: object = None

    def _rows_of_ids(self, ids: np.ndarray, numbering: object, keys: Sequence[tuple[str, str]], builder) -> np.ndarray:
        """Cached rows for the CRF's morpheme ids (`keys[id]` is the id's (form, tag); id 0, padding, -> row 0)."""
        if numbering is not self._id_numbering:
            self._row_of_id[:] = 0
            self._id_numbering = numbering
        if len(self._row_of_id) < len(keys):
            grown = np.zeros(max(len(keys), 2 * len(self._row_of_id)), np.intp)
            grown[: len(self._row_of_id)] = self._row_of_id
            self._row_of_id = grown
        rows = self._row_of_id.take(ids)
        missing = np.unique(ids[rows == 0])
        missing = missing[missing != 0]
        if len(missing):
            self._row_of_id[missing] = self._row_ids([keys[index] for index in missing.tolist()], builder)
            rows = self._row_of_id.take(ids)
        return rows

    def _row_ids(self, keys: Sequence[tuple[str, str]], builder) -> list[int]:
        rows = self._rows
        ids = [rows.get(key, 0) for key in keys]
        for position, row in enumerate(ids):
            if row:
                continue
            key = keys[position]
            row = rows.get(key, 0)  # the same new morpheme earlier in this text
            if not row:
                if self._used == self._table.shape[1]:
                    self._table = np.concatenate([self._table, np.zeros_like(self._table)], axis=1)
                row = rows[key] = self._used
                self._table[:, row] = self._morpheme_block(builder.own_features(*key))
                self._used += 1
            ids[position] = row
        return ids

    def _flat_ids(self, keys: Sequence[Sequence[tuple[str, str]]], builder) -> np.ndarray:
        """The batch's cached morpheme rows laid out pad, text, pad, text, ..., pad (row 0 = padding)."""
        padding = [0] * (FIRST_WIDTH // 2)
        ids: list[int] = list(padding)
        for text_keys in keys:
            ids += self._row_ids(text_keys, builder)
            ids += padding
        return np.asarray(ids)

    def context_inputs(
        self, contexts: Sequence[np.ndarray], crf_scores: Sequence[np.ndarray] | None, lengths: Sequence[int]
    ) -> np.ndarray:
        """The context flags (and CRF scores) of each flat position, laid out like `_flat_ids`."""
        pad = FIRST_WIDTH // 2
        stacked = bool(self.stack_scale)
        inputs = np.zeros((sum(lengths) + pad * (len(lengths) + 1), self._input_width()), np.float32)
        position = pad
        for index, length in enumerate(lengths):
            end = position + length
            inputs[position:end, : len(CONTEXT)] = contexts[index]
            if stacked:
                inputs[position:end, len(CONTEXT) :] = crf_scores[index]
            position = end + pad
        return inputs

    def _input_width(self) -> int:
        return len(CONTEXT) + (len(self.labels) if self.stack_scale else 0)

    def flat_inputs(self, codes: np.ndarray, crf_scores: np.ndarray, padding: np.ndarray) -> ContextInputs:
        """A batch's per-position inputs in its flat layout (`FeatureBuilder.flat_emissions`): the context
        flags' codes (`FeatureBuilder.flat_neural_codes`) and (stacked) the CRF's scores, zero on the `padding`
        rows."""
        if not self.stack_scale:
            return ContextInputs(codes, None)
        scores = crf_scores.astype(np.float32)
        scores[padding] = 0.0
        return ContextInputs(codes, scores)

    def _context_inputs_of(self, inputs: np.ndarray) -> ContextInputs:
        """Laid-out inputs (flag columns, then stacked the CRF's scores) as `ContextInputs`. A row of 0/1 flags
        is read as one integer by two products with powers of two (each part's sum exact in float32)."""
        flags = inputs[:, : self.flag_rows]
        codes = (flags @ self._low_bits).astype(np.int64)
        codes += (flags @ self._high_bits).astype(np.int64) << FLAG_LOW_BITS
        return ContextInputs(codes, inputs[:, self.flag_rows :] if self.stack_scale else None)

    def _context_part(self, inputs: np.ndarray) -> np.ndarray:
        """The first layer's sum over its five taps of the context inputs (`inputs`: flat rows, rows past
        either edge taken as zeros). The flags are binary and sparse, and news text shows a few dozen
        distinct rows of them: each distinct row's part per tap is computed once and kept, and rows gather
        theirs (a product over all flag columns costs four times more). The CRF scores are dense: one
        product."""
        return self._context_sum(self._context_inputs_of(inputs))

    def _context_sum(self, context: ContextInputs) -> np.ndarray:
        """`_context_part` of inputs given as their flag codes and scores."""
        pad = FIRST_WIDTH // 2
        rows = len(context.codes)
        kinds = self._flag_kinds(context.codes)
        hidden = self._flag_parts[pad].take(kinds, axis=0)
        for tap in range(FIRST_WIDTH):
            if tap != pad:
                _add_shifted(hidden, self._flag_parts[tap], kinds, tap - pad)
        if self.stack_scale:
            labels = len(self.labels)
            windows_of_scores = np.zeros((rows, FIRST_WIDTH * labels), np.float32)
            for tap in range(FIRST_WIDTH):
                shift = tap - pad  # position i takes tap `tap` of the token at i + shift
                block = slice(tap * labels, (tap + 1) * labels)
                if shift >= 0:
                    windows_of_scores[: rows - shift, block] = context.scores[shift:]
                else:
                    windows_of_scores[-shift:, block] = context.scores[:shift]
            hidden += windows_of_scores @ self.score_window_weights
        return hidden

    def _flag_kinds(self, codes: np.ndarray) -> np.ndarray:
        """Each row's index in the flag rows seen so far (`_flag_parts`), new ones added; `codes`: each row's
        flags as one integer."""
        known = self._flag_codes
        kinds = np.searchsorted(known, codes)
        if (kinds == len(known)).any() or (known[np.minimum(kinds, len(known) - 1)] != codes).any():
            known = np.union1d(known, codes)
            if len(known) > FLAG_ROWS_KEPT:
                known = np.union1d(np.zeros(1, np.int64), codes)
            bits = ((known[:, None] >> np.arange(self.flag_rows)) & 1).astype(np.float32)
            self._flag_parts = np.ascontiguousarray(np.tensordot(bits, self.flag_weights, axes=1).transpose(1, 0, 2))
            self._flag_codes = known
            kinds = np.searchsorted(known, codes)
        return kinds

    def _first_layer(self, index: np.ndarray, context: ContextInputs) -> tuple[np.ndarray, np.ndarray]:
        """The first convolution's rectified units per position, and which positions are real tokens."""
        pad = FIRST_WIDTH // 2
        hidden = self._context_sum(context)
        hidden += self.first_bias
        # each tap of the cached morpheme rows gathered already shifted to its position (whole contiguous
        # rows of the tap's own table: several times cheaper than fancy indexing across taps)
        table = self._table
        for tap in range(FIRST_WIDTH):
            _add_shifted(hidden, table[tap], index, tap - pad)
        real = index != 0
        if self.topic_w is not None:
            _add_text_means(hidden, table[FIRST_WIDTH].take(index, axis=0), real)
        np.maximum(hidden, 0.0, out=hidden)
        hidden[~real] = 0.0
        return hidden, real

    def log_probs(
        self,
        keys: Sequence[Sequence[tuple[str, str]]],
        contexts: Sequence[np.ndarray],
        builder,
        crf_scores: Sequence[np.ndarray] | None = None,
    ) -> list[np.ndarray]:
        """(tokens x labels) log-probabilities per text; `keys` are the texts' (form, tag) pairs,
        `contexts` their context flag matrices, `builder` gives a morpheme's own features, and
        `crf_scores` (columns in self.labels' order) are the CRF's when the network is stacked.

        All texts run as one flat sequence, two zero rows between texts (the first layer reaches
        two tokens each way), so each layer is one matrix product for the whole batch."""
        lengths = [len(text_keys) for text_keys in keys]
        inputs = self.context_inputs(contexts, crf_scores, lengths)
        return self.log_probs_over(keys, inputs, lengths, builder)

    def log_probs_over(
        self, keys: Sequence[Sequence[tuple[str, str]]], inputs: np.ndarray, lengths: list[int], builder
    ) -> list[np.ndarray]:
        """`log_probs` with the context inputs already laid out (shared by the networks of an average)."""
        if self._used > MORPHEME_CACHE_LIMIT:
            self._reset_rows()
        scores = self._log_probs_at(self._flat_ids(keys, builder), self._context_inputs_of(inputs), lengths)
        return np.split(scores, np.cumsum(lengths)[:-1])

    def flat_log_probs(
        self,
        flat: FlatScores,
        inputs: ContextInputs,
        rows: slice,
        texts: slice,
        builder,
    ) -> np.ndarray:
        """(tokens x labels) log-probabilities of the tokens in flat rows `rows` (texts `texts` whole, with the
        padding either side), from `flat_inputs`."""
        if self._used > MORPHEME_CACHE_LIMIT:
            self._reset_rows()
        tables = flat.tables
        index = self._rows_of_ids(flat.morpheme_ids[rows], tables.numbering, tables.morpheme_keys, builder)
        return self._log_probs_at(index, inputs.rows(rows), flat.layout.lengths[texts])

    def _log_probs_at(self, index: np.ndarray, context: ContextInputs, lengths: Sequence[int]) -> np.ndarray:
        """Log-probabilities of the real tokens (nonzero rows of `index`) in order, all texts together."""
        hidden, real = self._first_layer(index, context)
        if self.recurrent:
            scores = self._recurrent(hidden, lengths) @ self.out_w + self.out_b
        else:
            scores = self._second_conv(hidden)[real] @ self.out_w + self.out_b
        return _log_softmax(scores)

    def _recurrent(self, hidden: np.ndarray, lengths: list[int]) -> np.ndarray:
        """The BiGRU's outputs (forward | backward) at the real tokens, in order. The texts run side by
        side, longest first, one step per position for the texts still running: step t reads position t
        forward and position (length - 1 - t) backward, so each direction starts at its text's edge."""
        units = self.units
        count = len(lengths)
        sizes = np.asarray(lengths, dtype=np.intp)
        longest = int(sizes.max())
        projected = hidden @ self.gru_w_ih
        projected += self.gru_b_ih
        # flat row of each text's first token (layout of _flat_inputs: pad, text, pad, text, ..., pad)
        pad = FIRST_WIDTH // 2
        starts = pad + np.concatenate([np.zeros(1, np.intp), np.cumsum(sizes[:-1] + pad)])
        order = np.argsort(-sizes, kind="stable")
        ranked = sizes[order]
        running = (ranked[None, :] > np.arange(longest)[:, None]).sum(axis=1)  # texts still running per step
        steps = np.arange(longest)[:, None]
        live = steps < ranked[None, :]
        forward_rows = np.where(live, starts[order][None, :] + steps, 0)
        backward_rows = np.where(live, (starts + sizes - 1)[order][None, :] - steps, 0)
        forward = projected[forward_rows, : 3 * units]  # step x text x (r z n)
        backward = projected[backward_rows, 3 * units :]
        inputs = np.empty((longest, count, 6 * units), np.float32)  # gates [rf rb zf zb nf nb]
        for g in range(3):
            inputs[:, :, 2 * g * units : (2 * g + 1) * units] = forward[:, :, g * units : (g + 1) * units]
            inputs[:, :, (2 * g + 1) * units : (2 * g + 2) * units] = backward[:, :, g * units : (g + 1) * units]
        states = np.zeros((longest, count, 2 * units), np.float32)
        state = np.zeros((count, 2 * units), np.float32)
        w_hh, b_hh, gates = self.gru_w_hh, self.gru_b_hh, 4 * units
        for t in range(longest):
            k = running[t]
            state = state[:k]
            recurrent = state @ w_hh
            recurrent += b_hh
            step = inputs[t, :k]
            reset_update = step[:, :gates] + recurrent[:, :gates]
            np.tanh(reset_update, out=reset_update)
            reset_update *= 0.5
            reset_update += 0.5  # sigmoid, the gates' weights being halved
            candidate = recurrent[:, gates:] * reset_update[:, : 2 * units]
            candidate += step[:, gates:]
            np.tanh(candidate, out=candidate)
            # h' = (1 - z) n + z h
            state = state - candidate
            state *= reset_update[:, 2 * units :]
            state += candidate
            states[t, :k] = state
        # each token's row: its text's rank among the running texts, its step forward and backward
        rank = np.empty(count, np.intp)
        rank[order] = np.arange(count)
        text = np.repeat(np.arange(count), sizes)
        position = np.arange(len(text)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return np.concatenate(
            [states[position, rank[text], :units], states[sizes[text] - 1 - position, rank[text], units:]], axis=1
        )

    def _second_conv(self, hidden: np.ndarray) -> np.ndarray:
        rows = len(hidden)
        second_taps = (hidden @ self.second).reshape(rows, SECOND_WIDTH, self.second_hidden)
        second = np.broadcast_to(self.second_bias, (rows, self.second_hidden)).copy()
        second[1:] += second_taps[:-1, 0]
        second += second_taps[:, 1]
        second[:-1] += second_taps[1:, 2]
        np.maximum(second, 0.0, out=second)
        return second


# numpy sums a row of fewer labels than this one by one, left to right (its pairwise summation starts at 8).
_SEQUENTIAL_SUM_BELOW = 8


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    """Each row's log-softmax. With few labels, label by label over all rows: reductions over a row of seven are
    numpy's slowest case (5x the CPU of whole-column operations). Max is exact and the sum adds the labels in
    the order `scores.sum(axis=1)` does, so the result is the same to the bit."""
    if scores.shape[1] >= _SEQUENTIAL_SUM_BELOW:
        scores -= scores.max(axis=1, keepdims=True)
        scores -= np.log(np.exp(scores).sum(axis=1, keepdims=True))
        return scores
    columns = np.ascontiguousarray(scores.T)  # labels x rows
    top = columns[0].copy()
    for column in columns[1:]:
        np.maximum(top, column, out=top)
    columns -= top
    exponentials = np.exp(columns)
    total = exponentials[0].copy()
    for column in exponentials[1:]:
        total += column
    columns -= np.log(total)
    return columns.T


def _add_shifted(hidden: np.ndarray, table: np.ndarray, index: np.ndarray, shift: int) -> None:
    """Adds to each position i of `hidden` the `table` row of position i + shift (`index`: each position's
    row), where that position exists: one tap of the first convolution, gathered already shifted."""
    rows = len(index)
    if shift >= 0:
        hidden[: rows - shift] += table.take(index[shift:], axis=0)
    else:
        hidden[-shift:] += table.take(index[:shift], axis=0)


def _add_text_means(hidden: np.ndarray, rows: np.ndarray, real: np.ndarray) -> None:
    """Adds each text's mean of `rows` over its tokens to `hidden` at each of its rows (texts: runs of real rows
    between padding; padding rows are zero in `rows` and get whatever is added, as the first layer zeroes them)."""
    starts = np.flatnonzero(real & ~np.r_[False, real[:-1]])
    if len(starts):
        sums = np.add.reduceat(rows, starts, axis=0)
        counts = np.add.reduceat(real, starts).astype(np.float32)
        hidden[starts[0] :] += np.repeat(sums / counts[:, None], np.diff(np.r_[starts, len(rows)]), axis=0)


class NetworkAverage:
    """Several networks trained alike (other seeds, other augmented copies), their log-probabilities
    averaged: the average errs less than any one of them. Same interface as NeuralTagger; the context
    inputs are laid out once for all of them."""

    def __init__(self, networks: Sequence[NeuralTagger], weight: float) -> None:
        if len({(net.stack_scale > 0, tuple(net.labels)) for net in networks}) != 1:
            raise ValueError("averaged networks must share their labels and stacking")
        self.networks = list(networks)
        self.weight = weight

    @property
    def labels(self) -> list[str]:
        return self.networks[0].labels

    def use_label_order(self, labels: Sequence[str]) -> None:
        for net in self.networks:
            net.use_label_order(labels)

    def log_probs(
        self,
        keys: Sequence[Sequence[tuple[str, str]]],
        contexts: Sequence[np.ndarray],
        builder,
        crf_scores: Sequence[np.ndarray] | None = None,
    ) -> list[np.ndarray]:
        """The mean of the networks' `NeuralTagger.log_probs` per text."""
        lengths = [len(text_keys) for text_keys in keys]
        inputs = self.networks[0].context_inputs(contexts, crf_scores, lengths)
        total = None
        for net in self.networks:
            scores = np.concatenate(net.log_probs_over(keys, inputs, lengths, builder))
            total = scores if total is None else total + scores
        total /= len(self.networks)
        return np.split(total, np.cumsum(lengths)[:-1])

    def flat_inputs(self, codes: np.ndarray, crf_scores: np.ndarray, padding: np.ndarray) -> ContextInputs:
        return self.networks[0].flat_inputs(codes, crf_scores, padding)

    def flat_log_probs(self, flat: FlatScores, inputs: ContextInputs, rows: slice, texts: slice, builder) -> np.ndarray:
        """The mean of the networks' `NeuralTagger.flat_log_probs`."""
        total = None
        for net in self.networks:
            scores = net.flat_log_probs(flat, inputs, rows, texts, builder)
            total = scores if total is None else total + scores
        total /= len(self.networks)
        return total


def add_network_scores(
    network: NeuralTagger | NetworkAverage, flat: FlatScores, codes: np.ndarray, builder, chunk_tokens: int
) -> None:
    """The network's log-probabilities, weighted, added to a batch's flat CRF scores at its tokens, in passes
    over runs of whole texts of at least `chunk_tokens` tokens (arrays that stay in the CPU caches); `builder`
    (FeatureBuilder) gives a new morpheme's own features. The inputs are the CRF's scores before any pass
    adds to them; `codes`: each flat row's context flags as one integer (`FeatureBuilder.flat_neural_codes`)."""
    inputs = network.flat_inputs(codes, flat.scores, flat.morpheme_ids == 0)
    weight = network.weight
    for first, end, texts in flat.layout.chunks(chunk_tokens):
        log_probs = network.flat_log_probs(flat, inputs, slice(first, end), texts, builder)
        positions = first + np.flatnonzero(flat.morpheme_ids[first:end])
        flat.scores[positions] += weight * log_probs


# An averaged file holds each network's arrays under "netN/" (see pack_networks) and one ensemble weight.
NETWORK_PREFIX = "net{}/"


def _network_arrays(arrays: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """Each network's arrays in a file's arrays: one for a single-network file."""
    if "networks" not in arrays:
        return [arrays]
    members = []
    for index in range(int(arrays["networks"])):
        prefix = NETWORK_PREFIX.format(index)
        members.append({name[len(prefix) :]: value for name, value in arrays.items() if name.startswith(prefix)})
    return members


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


def load_network(path: Path) -> NeuralTagger | NetworkAverage:
    """The network file beside the CRF: one network, or several whose log-probabilities are averaged."""
    arrays = _read_arrays(path)
    if "networks" not in arrays:
        return NeuralTagger(arrays)
    members = [NeuralTagger(member) for member in _network_arrays(arrays)]
    return NetworkAverage(members, float(arrays["ensemble_weight"]))


def pack_networks(paths: Sequence[Path], weight: float, out: Path) -> None:
    """Several network files as one averaged file, `weight` applying to the mean; the networks of an
    averaged input join as members of their own (each network counts once in the mean)."""
    members = [member for path in paths for member in _network_arrays(_read_arrays(path))]
    arrays: dict[str, np.ndarray] = {"networks": np.array(len(members)), "ensemble_weight": np.array(weight)}
    for index, member in enumerate(members):
        arrays.update({NETWORK_PREFIX.format(index) + name: value for name, value in member.items()})
    np.savez_compressed(out, **arrays)
