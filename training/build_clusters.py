"""Build morpheme clusters from Kiwi's own CoNg embeddings: word-cluster features for the entity CRF.

  .venv/bin/python training/build_clusters.py [--out transforms/entities/data/kiwi_clusters.tsv]

Kiwi's CoNg model learnt an embedding for each of its ~75k most frequent morphemes from a large
unlabelled corpus; Kiwi exposes cosine similarities, not the vectors. Each morpheme is described by
its similarities to a fixed set of anchor morphemes (a landmark embedding), then k-means groups
those descriptions at several granularities, coarse to fine. The CRF sees the cluster ids, so a
name it never saw in training (부산 -> 대구, 네이버 -> 카카오) shares weights with names it did.

Uses no labelled data: the output depends only on the installed kiwipiepy model.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import trainenv  # noqa: F401 - the one bootstrap (bench/devenv.py): product packages from this checkout
from kiwipiepy import Kiwi

from transforms.entities.gazetteer import CLUSTERS_PATH

# Cluster counts per level, coarse to fine.
LEVELS = (32, 128, 512, 2048)
ANCHORS = 256
# Tags worth a cluster id: nouns, foreign words, numbers, roots and suffixes that end names.
CLUSTER_TAGS = frozenset({"NNP", "NNG", "NNB", "NR", "NP", "SL", "SH", "XR", "XSN", "VV", "VA", "MAG"})
SEED = 20261201


def embedded_vocabulary(kiwi: Kiwi) -> int:
    """Morpheme ids are ordered by frequency and only the first ones carry a CoNg embedding: find the end."""
    probe = 240  # any embedded id
    low, high = probe, 1_000_000
    while low < high:  # the first id without an embedding (similarity is NaN from there on)
        middle = (low + high) // 2
        try:
            embedded = not math.isnan(kiwi.morpheme_similarity(middle, probe))
        except (IndexError, ValueError):
            embedded = False
        if embedded:
            low = middle + 1
        else:
            high = middle
    return low


def landmark_matrix(kiwi: Kiwi, ids: list[int], anchors: list[int]) -> np.ndarray:
    """Row i: cosine similarity of morpheme ids[i] to each anchor, centred and L2-normalised."""
    similarity = kiwi.morpheme_similarity
    matrix = np.empty((len(ids), len(anchors)), dtype=np.float32)
    for row, morpheme in enumerate(ids):
        matrix[row] = [similarity(morpheme, anchor) for anchor in anchors]
    matrix -= matrix.mean(axis=0)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    return matrix


def kmeans(points: np.ndarray, k: int, rounds: int, rng: np.random.Generator) -> np.ndarray:
    """Spherical k-means (cosine) with k-means++-style seeding on a sample; returns a label per point."""
    sample = points[rng.choice(len(points), size=min(len(points), 20 * k), replace=False)]
    centres = [sample[rng.integers(len(sample))]]
    distance = 1.0 - sample @ centres[0]
    for _ in range(1, k):
        weights = np.clip(distance, 0.0, None) ** 2
        centres.append(sample[rng.choice(len(sample), p=weights / weights.sum())])
        distance = np.minimum(distance, 1.0 - sample @ centres[-1])
    centre_matrix = np.stack(centres)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(rounds):
        labels = np.argmax(points @ centre_matrix.T, axis=1)
        for cluster in range(k):
            members = points[labels == cluster]
            if len(members):
                centre = members.sum(axis=0)
                centre_matrix[cluster] = centre / (np.linalg.norm(centre) + 1e-9)
    return labels


def write_vectors(points: np.ndarray, keys: list[tuple[str, str]], dims: int, out: Path) -> None:
    """The landmark rows projected on their first `dims` principal axes, one per "form/tag" (the first,
    most frequent sense of a homograph): fixed input vectors for the network (train_neural.py --vectors)."""
    centred = points - points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred[:: max(1, len(centred) // 20_000)], full_matrices=False)
    reduced = centred @ axes[:dims].T
    reduced /= reduced.std() + 1e-9  # about unit scale per component on average
    seen: dict[str, int] = {}
    for row, (form, tag) in enumerate(keys):
        seen.setdefault(f"{form}/{tag}", row)
    rows = list(seen.values())
    np.savez_compressed(out, keys=np.array(list(seen)), vectors=reduced[rows].astype(np.float16))
    print(f"wrote {len(rows)} vectors of {dims} dimensions -> {out}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=CLUSTERS_PATH)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--vectors", type=Path, default=None, help="also write the landmark embeddings, reduced by PCA (npz)"
    )
    parser.add_argument("--dims", type=int, default=64, help="dimensions kept by --vectors")
    args = parser.parse_args()
    started = time.perf_counter()
    kiwi = Kiwi(num_workers=1)
    end = embedded_vocabulary(kiwi)
    ids, keys = [], []
    for morpheme_id in range(end):
        token = kiwi.morpheme(morpheme_id)
        tag = str(token.tag)
        if tag in CLUSTER_TAGS and token.form:
            ids.append(morpheme_id)
            keys.append((token.form, tag))
    rng = np.random.default_rng(SEED)
    # Anchors: frequent content morphemes (ids 300-20,000), sampled evenly so every kind of word has some.
    frequent = [morpheme_id for morpheme_id in ids if 300 <= morpheme_id < 20_000]
    anchors = [frequent[int(i)] for i in np.linspace(0, len(frequent) - 1, ANCHORS)]
    print(f"{len(ids)} morphemes with embeddings (of {end} ids), {len(anchors)} anchors", file=sys.stderr)
    points = landmark_matrix(kiwi, ids, anchors)
    print(f"landmark matrix {points.shape} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.vectors:
        write_vectors(points, keys, args.dims, args.vectors)
    columns = [kmeans(points, k, args.rounds, rng) for k in LEVELS]
    # Duplicate (form, tag) pairs (homograph senses) keep the first, most frequent one.
    seen: set[tuple[str, str]] = set()
    lines = [f"# Kiwi CoNg morpheme clusters, k = {', '.join(map(str, LEVELS))}; built by training/build_clusters.py"]
    for row, (form, tag) in enumerate(keys):
        if (form, tag) in seen or "\t" in form:
            continue
        seen.add((form, tag))
        lines.append("\t".join([form, tag, *(str(int(column[row])) for column in columns)]))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} morphemes -> {args.out} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
