"""Linear-chain CRF decoding in numpy, with the weights of a model trained by python-crfsuite.

crfsuite's own tagger converts every feature string of every token to C++ and looks it up, which
cost as much CPU as Kiwi's whole analysis. Here a token's score vector is the sum of its features'
weight rows; the features that depend only on a token's (form, tag) are summed once per distinct
morpheme and cached (FeatureBuilder.emissions), so most tokens cost a few array additions. The
scores and the Viterbi path are those crfsuite computes (same weights, same sum).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pycrfsuite

# Weights with a smaller magnitude change no decision; dropping them keeps the file small.
PRUNE_BELOW = 1e-4


def file_sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def weights_path_for(model_path: Path) -> Path:
    """entities.crfsuite -> entities.weights.npz (written by training/train_entities.py)."""
    return model_path.with_name(model_path.name.split(".")[0] + ".weights.npz")


class CrfWeights:
    """State weights (attribute x label), transition weights (label x label) and label names."""

    def __init__(
        self, labels: list[str], attributes: list[str], state: np.ndarray, transitions: np.ndarray, source: str = ""
    ) -> None:
        self.source = source  # sha1 of the crfsuite file the weights came from
        self.labels = labels
        self.index = {attribute: row for row, attribute in enumerate(attributes)}
        self.state = state.astype(np.float64)
        self.transitions = transitions.astype(np.float64)
        self.size = len(labels)
        self.outside = labels.index("O")
        # The state matrix with one zero row after it: the row of a feature the model does not know, so
        # summing a fixed number of rows per token needs no test for missing features.
        self.zero_row = len(self.state)
        self.padded_state = np.vstack([self.state, np.zeros((1, self.size))])
        # Weight rows of the features that are flags, added as vectors (zeros when the model lacks one).
        self.flag_rows = {name: self.sum_rows([name]) for name in ("bias", "BOS", "EOS", "eostart", "sp", "sp+", "oov")}

    @classmethod
    def from_crfsuite(cls, model_path: Path) -> CrfWeights:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        labels = list(tagger.labels())
        label_index = {label: column for column, label in enumerate(labels)}
        info = tagger.info()
        rows: dict[str, np.ndarray] = {}
        for (attribute, label), weight in info.state_features.items():
            if abs(weight) >= PRUNE_BELOW:
                rows.setdefault(attribute, np.zeros(len(labels)))[label_index[label]] = weight
        transitions = np.zeros((len(labels), len(labels)))
        for (source, target), weight in info.transitions.items():
            transitions[label_index[source], label_index[target]] = weight
        attributes = sorted(rows)
        state = np.array([rows[attribute] for attribute in attributes]) if attributes else np.zeros((0, len(labels)))
        return cls(labels, attributes, state, transitions, file_sha1(model_path))

    def save(self, path: Path) -> None:
        attributes = sorted(self.index, key=self.index.__getitem__)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                labels=np.array(self.labels),
                attributes=np.array(attributes),
                state=self.state.astype(np.float32),
                transitions=self.transitions.astype(np.float32),
                source=np.array(self.source),
            )

    @classmethod
    def load(cls, path: Path) -> CrfWeights:
        with np.load(path) as data:
            return cls(
                [str(label) for label in data["labels"]],
                data["attributes"].tolist(),
                data["state"],
                data["transitions"],
                str(data["source"]) if "source" in data else "",
            )

    @classmethod
    def for_model(cls, model_path: Path) -> CrfWeights:
        """The exported weights beside a model when they were exported from that very file, else the
        weights read out of the crfsuite file (about a second more at start-up)."""
        exported = weights_path_for(model_path)
        if exported.exists():
            weights = cls.load(exported)
            if weights.source == file_sha1(model_path):
                return weights
        return cls.from_crfsuite(model_path)

    def sum_rows(self, features: list[str]) -> np.ndarray:
        index = self.index
        rows = [index[feature] for feature in features if feature in index]
        if not rows:
            return np.zeros(self.size)
        return self.state[rows].sum(axis=0)

    def sum_rows_many(self, feature_lists: list[list[str]]) -> np.ndarray:
        """`sum_rows` of each list, as one (lists x labels) array from one gather: the lists' rows padded
        with the zero row to one depth and added depth by depth, the order `sum_rows` adds them in (so the
        sums are the same to the bit; adding zero changes nothing)."""
        index, zero = self.index, self.zero_row
        row_lists = [[index[feature] for feature in features if feature in index] for features in feature_lists]
        depth = max(map(len, row_lists), default=0)
        if depth == 0:
            return np.zeros((len(feature_lists), self.size))
        gathered = self.padded_state[np.array([rows + [zero] * (depth - len(rows)) for rows in row_lists])]
        total = gathered[:, 0].copy()
        for level in range(1, depth):
            total += gathered[:, level]
        return total

    def viterbi(self, emissions: np.ndarray) -> list[str]:
        """The best label sequence for one (tokens x labels) score matrix."""
        return self.viterbi_many([emissions])[0]

    def viterbi_many(self, batch: list[np.ndarray]) -> list[list[str]]:
        """Best label sequences for several texts, decoded side by side: one numpy step per token
        position for the whole batch instead of one per token (the per-step overhead is the cost)."""
        if not batch:
            return []
        lengths = np.array([len(emissions) for emissions in batch])
        longest = int(lengths.max())
        if longest == 0:
            return [[] for _ in batch]
        size, texts = self.size, len(batch)
        # best[t]: each label's best path score at position t (past a text's end: zero emissions, ignored)
        best = np.zeros((longest, texts, size))
        for column, emissions in enumerate(batch):
            best[: len(emissions), column] = emissions
        # (to x from): a step's candidates are reduced over their last, contiguous axis
        transitions = np.ascontiguousarray(self.transitions.T)
        backpointers = np.empty((longest, texts, size), dtype=np.intp)
        candidates = np.empty((texts, size, size))
        flat_candidates = candidates.reshape(-1)
        # where each (text, to) row of candidates starts in the flat array: + argmax picks the best sum
        row_starts = np.arange(texts * size).reshape(texts, size) * size
        for t in range(1, longest):
            np.add(best[t - 1][:, None, :], transitions, out=candidates)
            step = backpointers[t]
            candidates.argmax(axis=2, out=step)
            best[t] += flat_candidates.take(step + row_starts)
        # past its end a text's backpointers point each label at itself, so backtracking stands still
        backpointers[np.arange(longest)[:, None] >= lengths[None, :]] = np.arange(size)
        columns = np.arange(texts)
        # a text's best final label comes from the scores at its own last position
        state = best[lengths - 1, columns].argmax(axis=1)
        paths = np.empty((longest, texts), dtype=np.intp)
        paths[longest - 1] = state
        for t in range(longest - 1, 0, -1):
            state = backpointers[t, columns, state]
            paths[t - 1] = state
        labels = self.labels
        # one conversion to Python ints for the batch (iterating numpy scalars is slow)
        per_text = paths.T.tolist()
        return [
            [labels[column] for column in path[:length]]
            for path, length in zip(per_text, lengths.tolist(), strict=True)
        ]
