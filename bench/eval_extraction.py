"""Main-text extraction quality on the article-extraction benchmark: ours beside trafilatura.

    python bench/eval_extraction.py [--data DIR] [--floor [X]] [--via-cli] [--no-trafilatura] [--limit N] [--out DIR]

Ours = decode_html -> extract_generic -> clean_article (in process), or with --via-cli the real
`newsetl extract FILE...` command (one JSON line per file). trafilatura runs in this process on
the same decoded pages with its defaults. Both are scored with ../shared/bench/score_extraction.py
(F1 of 4-word shingles, precision and recall averaged per document). With --floor X the command
exits 1 when our F1 is below X: the CI gate.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import subprocess
import tempfile
import time
from pathlib import Path
from types import ModuleType

from devenv import REPO_ROOT

from transforms.charset import decode_html  # noqa: E402
from transforms.clean import clean_article  # noqa: E402
from transforms.extract import extract_generic  # noqa: E402

SHARED_ROOT = REPO_ROOT.parent / "shared"
DEFAULT_DATA_DIR = SHARED_ROOT / "data" / "article-extraction-benchmark"
DEFAULT_SCORER = SHARED_ROOT / "bench" / "score_extraction.py"
# The pinned CI floor: we measure F1 0.977 (trafilatura 2.3.1 defaults: 0.953 with this scorer); the
# floor leaves 0.005 for library drift, so a change that loses more than that fails CI.
PINNED_F1_FLOOR = 0.972
CLI_BATCH_SIZE = 40


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(data_dir: Path, limit: int | None = None) -> tuple[dict[str, dict], dict[str, bytes]]:
    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    gold = {doc_id: gold[doc_id] for doc_id in ids}
    pages = {doc_id: gzip.decompress((data_dir / "html" / f"{doc_id}.html.gz").read_bytes()) for doc_id in ids}
    return gold, pages


def extract_ours(page: bytes, url: str) -> str:
    parsed = extract_generic(decode_html(page), url)
    return clean_article(parsed).body


def extract_trafilatura(page: bytes) -> str:
    import trafilatura

    return trafilatura.extract(decode_html(page)) or ""


def extract_via_cli(pages: dict[str, bytes], gold: dict[str, dict]) -> dict[str, str]:
    """Run `newsetl extract FILE...` over the pages written to a temp dir; map JSON lines back."""
    command = REPO_ROOT / ".venv" / "bin" / "newsetl"
    bodies: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="eval-extraction-") as tmp:
        paths = {}
        for doc_id, page in pages.items():
            path = Path(tmp) / f"{doc_id}.html"
            path.write_bytes(page)
            paths[doc_id] = path
        ids = list(paths)
        for start in range(0, len(ids), CLI_BATCH_SIZE):
            batch = ids[start : start + CLI_BATCH_SIZE]
            result = subprocess.run(
                [str(command), "extract", *(str(paths[doc_id]) for doc_id in batch)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise SystemExit(f"newsetl extract failed ({result.returncode}): {result.stderr[-2000:]}")
            lines = [line for line in result.stdout.splitlines() if line.strip()]
            if len(lines) != len(batch):
                raise SystemExit(f"newsetl extract gave {len(lines)} lines for {len(batch)} files")
            for doc_id, line in zip(batch, lines, strict=True):
                bodies[doc_id] = json.loads(line).get("body") or ""
    return bodies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument(
        "--floor",
        type=float,
        nargs="?",
        const=PINNED_F1_FLOOR,
        default=None,
        help=f"exit 1 if our F1 is below this (bare --floor: the pinned {PINNED_F1_FLOOR})",
    )
    parser.add_argument("--via-cli", action="store_true", help="run the `newsetl extract` command")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura baseline")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (smoke runs)")
    parser.add_argument("--out", type=Path, default=None, help="write prediction JSON files here")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.scorer)
    gold, pages = load_pages(args.data, args.limit)

    started = time.perf_counter()
    if args.via_cli:
        ours = extract_via_cli(pages, gold)
    else:
        ours = {doc_id: extract_ours(page, gold[doc_id].get("url") or "") for doc_id, page in pages.items()}
    systems = {"newsetl" + (" (cli)" if args.via_cli else ""): (ours, time.perf_counter() - started)}
    if not args.no_trafilatura:
        started = time.perf_counter()
        baseline = {doc_id: extract_trafilatura(page) for doc_id, page in pages.items()}
        systems["trafilatura " + _trafilatura_version()] = (baseline, time.perf_counter() - started)

    our_f1 = 0.0
    print(f"{len(gold)} pages from {args.data}")
    for name, (bodies, seconds) in systems.items():
        predictions = {doc_id: {"articleBody": body} for doc_id, body in bodies.items()}
        f1, precision, recall = scorer.score(gold, predictions)
        if name.startswith("newsetl"):
            our_f1 = f1
        print(f"{name:<22} F1={f1:.4f}  P={precision:.4f}  R={recall:.4f}  ({seconds:.1f}s)")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            slug = name.split()[0]
            (args.out / f"{slug}.json").write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")

    if args.floor is not None and our_f1 < args.floor:
        print(f"FAIL: newsetl F1 {our_f1:.4f} is below the floor {args.floor:.3f}")
        return 1
    if args.floor is not None:
        print(f"ok: newsetl F1 {our_f1:.4f} >= floor {args.floor:.3f}")
    return 0


def _trafilatura_version() -> str:
    import trafilatura

    return getattr(trafilatura, "__version__", "")


if __name__ == "__main__":
    raise SystemExit(main())
