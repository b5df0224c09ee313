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
        # the label names as an object array: a decoded path's names are one gather in C
        self.label_names = np.array(labels, dtype=object)
        self.index = {attribute: row for row, attribute in enumerate(attributes)}
        self.state = state.astype(np.float64)
        self.transitions = transitions.astype(np.float64)
        self.size = len(labels)
        self.outside = labels.index("O")
        self.settled_margin = _settled_margin(self.transitions, self.outside)
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
        """Best label sequences for several texts (same paths as one Viterbi pass per text).

        A token whose O score beats each other label's by more than a label change there could ever gain
        from its neighbours' transitions (`settled_margin`) is O on the best path, whatever the rest. Those
        tokens (nine in ten in news text) cut the chain into short runs, each decoded on its own from O
        and back into O: the runs go side by side, one numpy step per position of the longest run
        (a handful) instead of one per token of the longest text."""
        if not batch:
            return []
        lengths = [len(emissions) for emissions in batch]
        total = sum(lengths)
        if total == 0:
            return [[] for _ in batch]
        flat = np.concatenate(batch)
        outside = self.outside
        # column by column: a max over rows of seven is several times slower in one reduction
        best_other = np.full(total, -np.inf)
        for column in range(self.size):
            if column != outside:
                np.maximum(best_other, flat[:, column], out=best_other)
        free = flat[:, outside] - best_other <= self.settled_margin
        text_starts = np.zeros(total + 1, dtype=bool)
        text_starts[np.cumsum([0, *lengths])] = True  # the end of the batch counts as a start
        run_starts = np.flatnonzero(free & (text_starts[:-1] | ~np.r_[False, free[:-1]]))
        positions = np.flatnonzero(free)
        label_ids = np.full(total, outside, dtype=np.intp)
        if len(positions):
            starts_run = np.zeros(total, dtype=bool)
            starts_run[run_starts] = True
            run_of = np.cumsum(starts_run[positions]) - 1
            run_lengths = np.bincount(run_of, minlength=len(run_starts))
            run_ends = run_starts + run_lengths  # one past each run's last token
            scores = flat[positions]
            first_rows = np.cumsum(run_lengths) - run_lengths
            after_settled = ~text_starts[run_starts]
            scores[first_rows[after_settled]] += self.transitions[outside]
            before_settled = ~text_starts[run_ends]
            scores[(first_rows + run_lengths - 1)[before_settled]] += self.transitions[:, outside]
            # a run of one token (most) needs no decoding: its best label is its best score
            alone = run_lengths[run_of] == 1
            label_ids[positions[alone]] = scores[alone].argmax(axis=1)
            longer = np.flatnonzero(run_lengths > 1)
            if len(longer):
                chained = ~alone
                lane_of = np.zeros(len(run_lengths), dtype=np.intp)
                lane_of[longer] = np.arange(len(longer))
                label_ids[positions[chained]] = self._decode_runs(
                    scores[chained],
                    lane_of[run_of[chained]],
                    (positions - run_starts[run_of])[chained],
                    run_lengths[longer],
                )
        per_text = np.split(self.label_names.take(label_ids), np.cumsum(lengths)[:-1])
        return [path.tolist() for path in per_text]

    def _decode_runs(
        self, scores: np.ndarray, run_of: np.ndarray, step_of: np.ndarray, run_lengths: np.ndarray
    ) -> np.ndarray:
        """Viterbi over runs side by side: row i of `scores` is step `step_of[i]` of run `run_of[i]`; the
        best label of each row."""
        size, runs = self.size, len(run_lengths)
        longest = int(run_lengths.max())
        best = np.zeros((longest, runs, size))
        best[step_of, run_of] = scores
        # (to x from): a step's candidates are reduced over their last, contiguous axis
        transitions = np.ascontiguousarray(self.transitions.T)
        backpointers = np.empty((longest, runs, size), dtype=np.intp)
        candidates = np.empty((runs, size, size))
        flat_candidates = candidates.reshape(-1)
        # where each (run, to) row of candidates starts in the flat array: + argmax picks the best sum
        row_starts = np.arange(runs * size).reshape(runs, size) * size
        for t in range(1, longest):
            np.add(best[t - 1][:, None, :], transitions, out=candidates)
            step = backpointers[t]
            candidates.argmax(axis=2, out=step)
            best[t] += flat_candidates.take(step + row_starts)
        # past its end a run's backpointers point each label at itself, so backtracking stands still
        backpointers[np.arange(longest)[:, None] >= run_lengths[None, :]] = np.arange(size)
        columns = np.arange(runs)
        # a run's best final label comes from the scores at its own last position
        state = best[run_lengths - 1, columns].argmax(axis=1)
        paths = np.empty((longest, runs), dtype=np.intp)
        paths[longest - 1] = state
        for t in range(longest - 1, 0, -1):
            state = backpointers[t, columns, state]
            paths[t - 1] = state
        return paths[step_of, run_of]


def _settled_margin(transitions: np.ndarray, outside: int) -> float:
    """The most a token can gain in transition weights from being labelled y instead of O, whatever its
    neighbours' labels (or none, at a text's edge): max over y != O of max_a [T(a,y) - T(a,O)] +
    max_b [T(y,b) - T(O,b)]. A token whose O score exceeds every other label's by more is O on the best
    path: relabelling it O would raise any path's score."""
    size = len(transitions)
    into = np.vstack([transitions, np.zeros((1, size))])  # row a: from a (last row: no token before)
    out_of = np.hstack([transitions, np.zeros((size, 1))])  # column b: to b (last column: no token after)
    gain_in = (into - into[:, [outside]]).max(axis=0)
    gain_out = (out_of - out_of[[outside]]).max(axis=1)
    gains = gain_in + gain_out
    gains[outside] = -np.inf
    return float(gains.max())
