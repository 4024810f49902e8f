"""Does the cue-span head cost the sentence heads anything? Train the shipped model's recipe (same data, seed
and settings) without the cue loss and compare dev and test macro-F1 of stance and subtext with models trained
with it (the shipped one, and any other model folders given). Prints the table and writes
bench/cue_head_ablation.md. Takes as long as a training run.

    python bench/cue_head_ablation.py [MODEL_DIR ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADS = ("stance", "subtext")


def _row(name: str, metrics: dict) -> list[str]:
    cells = [name, str(metrics["training"]["config"]["cue_weight"])]
    for split in ("dev", "test"):
        cells += [f"{metrics[split][head]['macro_f1']:.4f}" for head in HEADS]
        cells.append(f"{metrics[split]['cue']['f1']:.3f}")
    return cells


def main(argv: list[str]) -> int:
    from framing.labels import STANCES, SUBTEXTS
    from framing.metrics import head_report
    from framing.tokens import TextEncoder
    from training.data import by_split, load_examples
    from training.modeling import FramingModel, base_model_path
    from training.trainer import TrainConfig, encode, fit, predict

    folders = [ROOT / "models" / "default", *map(Path, argv)]
    models = {folder.name: json.loads((folder / "metrics.json").read_text()) for folder in folders}
    settings = models["default"]["training"]["config"]
    config = TrainConfig(**dict(settings, cue_weight=0.0))
    splits = by_split(load_examples([ROOT / "seeds" / "data"]))
    encoder = TextEncoder(base_model_path() / "tokenizer.json", config.max_length)
    encoded = {name: encode(encoder, rows) for name, rows in splits.items()}
    import torch

    torch.manual_seed(config.seed)
    model = FramingModel.from_base(dropout=config.dropout)
    fit(model, encoded["train"], encoded["dev"], config, encoder.pad_id, log=print)
    without = ["no cue head (PyTorch)", "0"]
    for split in ("dev", "test"):
        logits = predict(model, encoded[split], encoder.pad_id)
        for head, labels in (("stance", STANCES), ("subtext", SUBTEXTS)):
            gold = [getattr(e, head) for e in splits[split]]
            predicted = [labels[i] for i in logits[head].argmax(1)]
            without.append(f"{head_report(gold, predicted, labels)['macro_f1']:.4f}")
        without.append("-")
    lines = [
        "# Cue head ablation (macro-F1 of the sentence heads; cue word-level F1)",
        "",
        "| model | cue loss weight | dev stance | dev subtext | dev cue F1 "
        "| test stance | test subtext | test cue F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(_row(name, m)) + " |" for name, m in models.items()]
    lines.append("| " + " | ".join(without) + " |")
    lines += [
        "",
        f"Same data, seed and settings ({json.dumps(settings)}) apart from the cue loss weight. Models with a cue",
        "head are scored as shipped (int8); the model without one in PyTorch (fp32 and int8 agree within 0.5",
        "points, see each model card). Dev picks the recipe; test is reported, never used to choose.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (Path(__file__).resolve().parent / "cue_head_ablation.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
