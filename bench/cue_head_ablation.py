"""Does the cue-span head cost the sentence heads anything? For each seed, train the default recipe twice on the
same data, with the cue loss and without it (cue loss weight 0), and compare the dev and test macro-F1 of
stance and subtext, both arms in PyTorch (fp32), so each pair differs only in the cue loss. Prints the table
and writes bench/cue_head_ablation.md. Fine-tuned weights are kept under CHECKPOINTS (one folder per seed and
arm) and reused when the data and settings are unchanged; each new arm takes as long as a training run.
With --model, the summary is also recorded in that model's metrics.json and model card, after checking that
the model was trained with the same recipe on the same corpus split sizes.

    python bench/cue_head_ablation.py [--seeds 21 13 7] [--checkpoints runs/ablation] [--model models/default]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADS = ("stance", "subtext")
SPLITS = ("dev", "test")


def _scores(model, splits: dict, encoded: dict, pad_id: int) -> dict[tuple[str, str], float]:
    """Macro-F1 of each sentence head on dev and test."""
    from framing.labels import STANCES, SUBTEXTS
    from framing.metrics import head_report
    from training.trainer import predict

    scores = {}
    for split in SPLITS:
        logits = predict(model, encoded[split], pad_id)
        for head, labels in (("stance", STANCES), ("subtext", SUBTEXTS)):
            gold = [getattr(e, head) for e in splits[split]]
            predicted = [labels[i] for i in logits[head].argmax(1)]
            scores[split, head] = head_report(gold, predicted, labels)["macro_f1"]
    return scores


def summarise(deltas: dict[tuple[str, str], list[float]], seeds: list[int], cue_weight: float) -> dict:
    """Mean, sd and count of seeds where the head got worse, per split and head, in macro-F1 points."""
    summary = {"seeds": seeds, "cue_weight": cue_weight, "scored_in": "PyTorch fp32"}
    for (split, head), values in deltas.items():
        summary.setdefault(split, {})[head] = {
            "mean": round(statistics.mean(values), 2),
            "sd": round(statistics.stdev(values), 2) if len(values) > 1 else 0.0,
            "worse": sum(v < 0 for v in values),
            "differences": [round(v, 2) for v in values],
        }
    return summary


def run(seeds: list[int], checkpoints: Path) -> tuple[str, dict]:
    """Train (or reuse) both arms for every seed; return the report as Markdown and its summary."""
    import torch

    from framing.tokens import TextEncoder
    from training.config import TrainConfig
    from training.data import by_split, load_examples
    from training.modeling import FramingModel, base_model_path
    from training.pipeline import fit_or_reuse
    from training.trainer import encode

    examples = load_examples([ROOT / "seeds" / "data"])
    splits = by_split(examples)
    default = TrainConfig()
    encoder = TextEncoder(base_model_path() / "tokenizer.json", default.max_length)
    encoded = {name: encode(encoder, rows) for name, rows in splits.items()}
    rows, deltas = [], {key: [] for key in ((s, h) for s in SPLITS for h in HEADS)}
    for seed in seeds:
        arms = {}
        for weight in (default.cue_weight, 0.0):
            config = replace(default, seed=seed, cue_weight=weight)
            print(f"seed {seed}, cue loss weight {weight:g}", flush=True)
            torch.manual_seed(config.seed)
            model = FramingModel.from_base(dropout=config.dropout)
            folder = checkpoints / f"seed{seed}-cue{weight:g}"
            fit_or_reuse(model, examples, encoded, config, encoder.pad_id, folder, log=print)
            arms[weight] = _scores(model, splits, encoded, encoder.pad_id)
        with_cue, without = arms[default.cue_weight], arms[0.0]
        for key in deltas:
            deltas[key].append(100 * (with_cue[key] - without[key]))
        for weight, scores in arms.items():
            rows.append([str(seed), f"{weight:g}", *(f"{scores[key]:.4f}" for key in deltas)])
        rows.append([str(seed), "difference (points)", *(f"{deltas[key][-1]:+.2f}" for key in deltas)])
    summary = summarise(deltas, seeds, default.cue_weight)
    cells = [summary[split][head] for split, head in deltas]
    if len(seeds) > 1:  # one seed: its difference row says it all
        rows.append(["mean", "difference (points) ± sd", *(f"{c['mean']:+.2f} ± {c['sd']:.2f}" for c in cells)])
        rows.append(["all", "seeds where it got worse", *(f"{c['worse']} of {len(seeds)}" for c in cells)])
    lines = [
        "# Cue head ablation: macro-F1 of the sentence heads with and without the cue loss",
        "",
        "| seed | cue loss weight | dev stance | dev subtext | test stance | test subtext |",
        "|---|---|---|---|---|---|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        f"Default recipe ({default.epochs} epochs, cue loss weight {default.cue_weight:g}) against the same recipe",
        "with cue loss weight 0; same data, seed and settings within each pair, both arms scored in PyTorch (fp32;",
        "the shipped int8 model is within half a point of fp32, see its model card). A difference is the arm",
        "with the cue loss minus the arm without it. Dev picks recipes; test is reported, never used to choose.",
    ]
    return "\n".join(lines) + "\n", summary


def load_model_metrics(model_dir: Path, seeds: list[int]) -> dict:
    """The model's metrics, after checking it was trained with the default recipe, one of ``seeds`` and the
    corpus as it is now (so the ablation describes it)."""
    from training.config import TrainConfig
    from training.data import by_split, load_examples

    metrics_path = model_dir / "metrics.json"
    if not metrics_path.is_file():
        raise SystemExit(f"error: {metrics_path} not found: --model needs a model folder written by framing train")
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    config = metrics["training"]["config"]
    if config != {**TrainConfig().to_dict(), "seed": config["seed"]} or config["seed"] not in seeds:
        raise SystemExit(f"error: {model_dir} was not trained with the default recipe and one of the seeds {seeds}")
    sizes = {name: len(rows) for name, rows in by_split(load_examples([ROOT / "seeds" / "data"])).items()}
    if any(metrics["data"][name] != sizes[name] for name in ("train", "dev", "test")):
        raise SystemExit(f"error: {model_dir} was trained on other data than seeds/data holds now")
    return metrics


def record(model_dir: Path, summary: dict) -> None:
    """Add the summary to the model's metrics.json as it is now (read again: training may take hours) and
    rewrite its card (both atomically)."""
    from training.card import model_card
    from training.corpus import write_atomic

    metrics = json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))
    metrics["cue_head_ablation"] = summary
    write_atomic(model_dir / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    write_atomic(model_dir / "MODEL_CARD.md", model_card(metrics))


def main(argv: list[str]) -> int:
    from training.corpus import write_atomic

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[21, 13, 7])
    parser.add_argument("--checkpoints", type=Path, default=ROOT / "runs" / "ablation")
    parser.add_argument("--model", type=Path, help="model folder whose metrics and card get the summary")
    args = parser.parse_args(argv)
    if args.model:
        load_model_metrics(args.model, args.seeds)  # refuse before hours of training, not after
    text, summary = run(args.seeds, args.checkpoints)
    print(text)
    write_atomic(Path(__file__).resolve().parent / "cue_head_ablation.md", text)
    if args.model:
        record(args.model, summary)
        print(f"recorded in {args.model / 'metrics.json'} and its MODEL_CARD.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
