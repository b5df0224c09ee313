"""Pack several trained networks into one file whose log-probabilities are averaged at run time.

  .venv/bin/python training/average_neural.py A.neural.npz B.neural.npz --ensemble-weight W \
      --out transforms/entities/data/entities.neural.npz

Each input is a file written by training/train_neural.py (one network, any architecture, same labels and
stacking) or an averaged file (its networks join one by one). The extractor loads the packed file through
neural.load_network: every network scores the batch, their log-probabilities are averaged, and the mean,
times W, joins the CRF's scores. Choose the networks and W on the held-out tenth (train_neural.py
--save-log-probs), never on the dev half.

  .venv/bin/python training/average_neural.py --mean-weights RUN.e6.neural.npz RUN.e7.neural.npz \
      RUN.e8.neural.npz --ensemble-weight W --out entities.neural.npz

`--mean-weights` instead averages the parameters of snapshots of one training run (train_neural.py
--snapshots: same vocabularies and shapes) into a single network, as cheap to run as one snapshot: the
last epochs' weights wander with the shuffling, and their mean is steadier than any one of them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from trainenv import REPO_ROOT  # noqa: F401  (the one bootstrap: product packages from this checkout)

from transforms.entities.neural import load_network, pack_networks

# Arrays that are learnt parameters (averaged by --mean-weights); the rest (vocabularies, labels, the
# stacking scale) must be equal across the snapshots.
PARAMETER_PREFIXES = ("emb_", "conv", "out_", "gru_", "morph_", "topic_")


def mean_parameters(paths: list[Path], weight: float, out: Path) -> None:
    """One network whose parameters are the mean of the snapshots'; raises if they differ in anything else."""
    snapshots = []
    for path in paths:
        with np.load(path) as data:
            snapshots.append({name: data[name] for name in data.files})
    first = snapshots[0]
    if "networks" in first or any(set(snapshot) != set(first) for snapshot in snapshots):
        raise SystemExit("--mean-weights takes single-network snapshots of one run")
    averaged = {}
    for name, value in first.items():
        if name.startswith(PARAMETER_PREFIXES):
            stacked = np.stack([snapshot[name].astype(np.float32) for snapshot in snapshots])
            averaged[name] = stacked.mean(axis=0).astype(value.dtype)
        elif all(np.array_equal(snapshot[name], value) for snapshot in snapshots):
            averaged[name] = value
        else:
            raise SystemExit(f"snapshots differ in {name}: not one run's")
    averaged["ensemble_weight"] = np.array(weight)
    np.savez_compressed(out, **averaged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("networks", type=Path, nargs="+", help="single-network files from train_neural.py")
    parser.add_argument("--ensemble-weight", type=float, required=True, help="weight of the averaged log-probs")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mean-weights", action="store_true", help="one network: the snapshots' mean parameters")
    args = parser.parse_args()
    for path in args.networks:
        if not path.is_file():
            parser.error(f"no such network file: {path}")
    if args.mean_weights:
        mean_parameters(args.networks, args.ensemble_weight, args.out)
    else:
        pack_networks(args.networks, args.ensemble_weight, args.out)
    packed = load_network(args.out)  # loads back, or raises on mixed labels or stacking
    size = args.out.stat().st_size / 1e6
    kind = "parameters averaged over" if args.mean_weights else "networks packed:"
    print(f"wrote {args.out} ({size:.1f} MB): {kind} {len(args.networks)}, weight {packed.weight}")


if __name__ == "__main__":
    main()
