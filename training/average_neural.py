"""Pack several trained networks into one file whose log-probabilities are averaged at run time.

  .venv/bin/python training/average_neural.py A.neural.npz B.neural.npz --ensemble-weight W \
      --out transforms/entities/data/entities.neural.npz

Each input is a file written by training/train_neural.py (one network, any architecture, same labels and
stacking) or an averaged file (its networks join one by one). The extractor loads the packed file through
neural.load_network: every network scores the batch, their log-probabilities are averaged, and the mean,
times W, joins the CRF's scores. Choose the networks and W on the held-out tenth (train_neural.py
--save-log-probs), never on the dev half.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from trainenv import REPO_ROOT  # noqa: F401  (the one bootstrap: product packages from this checkout)

from transforms.entities.neural import load_network, pack_networks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("networks", type=Path, nargs="+", help="single-network files from train_neural.py")
    parser.add_argument("--ensemble-weight", type=float, required=True, help="weight of the averaged log-probs")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for path in args.networks:
        if not path.is_file():
            parser.error(f"no such network file: {path}")
    pack_networks(args.networks, args.ensemble_weight, args.out)
    packed = load_network(args.out)  # loads back, or raises on mixed labels or stacking
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB): {len(args.networks)} networks, weight {packed.weight}")


if __name__ == "__main__":
    main()
