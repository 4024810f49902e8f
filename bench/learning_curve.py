"""Would more training data lift cue spans on unseen wording? Trains the shipped recipe on a random share of the
train split's cue families (every row of a chosen family is kept; literal rows, which have none, are drawn at the
same share; dev and test are kept whole), then scores the model as ``framing train`` does (int8 as shipped, cue
threshold fitted on dev). Run once per share (two shares can train side by side, one thread each), then
``--report`` prints the curve beside the shipped model, which is the whole train split with the same seed.

    OMP_NUM_THREADS=1 python bench/learning_curve.py --share 0.5 [--seed 7] [--out runs/learning-curve]
    python bench/learning_curve.py --report [--model models/default]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT.parent / "shared" / "eval-external" / "event-coded-stance.jsonl"


def _group(row: dict) -> str:
    """What a train row is drawn with: its cue family (case-folded), or the row itself when it has none."""
    return row["cue_family"].casefold() or f"id:{row['id']}"


def family_share(rows: list[dict], share: float, seed: int) -> list[dict]:
    """The rows outside train, and the train rows of a random ``share`` of its cue families (rows without a
    family, the literal ones, are drawn one by one at the same share)."""
    groups = sorted({_group(row) for row in rows if row["split"] == "train"})
    kept = set(random.Random(seed).sample(groups, round(share * len(groups))))
    return [row for row in rows if row["split"] != "train" or _group(row) in kept]


def train_share(share: float, seed: int, out: Path) -> None:
    """Write the subset corpus under ``out/share<S>/data`` and train the shipped recipe on it into ``.../model``."""
    from training.config import TrainConfig
    from training.corpus import load_corpus, write_rows
    from training.pipeline import train_model

    rows = [row for _, row in load_corpus()]
    subset = family_share(rows, share, seed)
    folder = out / f"share{share:g}"
    data = folder / "data" / "corpus.jsonl"
    data.parent.mkdir(parents=True, exist_ok=True)
    write_rows(data, subset)
    train_rows = sum(row["split"] == "train" for row in subset)
    print(f"share {share:g}: {train_rows} of {sum(row['split'] == 'train' for row in rows)} train rows", flush=True)
    external = EXTERNAL if EXTERNAL.is_file() else None
    train_model([data.parent], folder / "model", TrainConfig(seed=seed), external=external)


def report(out: Path, model: Path) -> str:
    """The curve as a Markdown table: each trained share, and the shipped model as the whole train split."""
    runs = sorted(out.glob("share*/model/metrics.json")) + [model / "metrics.json"]
    lines = [
        "| train rows | dev stance | dev subtext | dev cue word F1 | test stance | test subtext | test cue word F1 "
        "| test cue exact | cue threshold |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for path in runs:
        m = json.loads(path.read_text(encoding="utf-8"))
        cells = [str(m["data"]["train"])]
        for split in ("dev", "test"):
            cells += [f"{m[split][h]['macro_f1']:.3f}" for h in ("stance", "subtext")]
            cells.append(f"{m[split]['cue']['f1']:.3f}")
        cells += [f"{m['test']['cue']['exact_match']:.3f}", f"{m['model']['cue_threshold']:g}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, help="share of the train split's cue families to keep, in (0, 1)")
    parser.add_argument("--seed", type=int, default=7, help="training seed, also the seed of the family draw")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "learning-curve")
    parser.add_argument("--report", action="store_true", help="print the table of the runs under --out")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default", help="the whole-train model")
    args = parser.parse_args(argv)
    if args.report:
        print(report(args.out, args.model))
    elif args.share is not None and 0 < args.share < 1:
        train_share(args.share, args.seed, args.out)
    else:
        parser.error("give --share in (0, 1), or --report")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
