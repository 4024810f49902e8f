"""Does the cue-span head cost the sentence heads anything? Train the same model (same data, seed and
settings) without the cue loss and compare test macro-F1 of stance and subtext with the model trained
with it. Prints the comparison and writes bench/cue_head_ablation.md. Takes as long as a training run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from framing.labels import STANCES, SUBTEXTS
    from framing.metrics import head_report
    from framing.tokens import TextEncoder
    from training.data import by_split, load_examples
    from training.modeling import FramingModel, base_model_path
    from training.trainer import TrainConfig, encode, fit, predict

    with_cue = json.loads((ROOT / "models" / "default" / "metrics.json").read_text())
    settings = with_cue["training"]["config"]
    config = TrainConfig(**dict(settings, cue_weight=0.0))
    splits = by_split(load_examples([ROOT / "seeds" / "data"]))
    encoder = TextEncoder(base_model_path() / "tokenizer.json", config.max_length)
    encoded = {name: encode(encoder, rows) for name, rows in splits.items()}
    import torch

    torch.manual_seed(config.seed)
    model = FramingModel.from_base(dropout=config.dropout)
    fit(model, encoded["train"], encoded["dev"], config, encoder.pad_id)
    logits = predict(model, encoded["test"], encoder.pad_id)
    test = splits["test"]
    without = {
        "stance": head_report([e.stance for e in test], [STANCES[i] for i in logits["stance"].argmax(1)], STANCES),
        "subtext": head_report([e.subtext for e in test], [SUBTEXTS[i] for i in logits["subtext"].argmax(1)], SUBTEXTS),
    }
    lines = [
        "# Cue head ablation (test split, macro-F1)",
        "",
        "| head | with cue head (shipped, int8) | with cue head (fp32 ONNX) | without cue head (PyTorch) |",
        "|---|---|---|---|",
    ]
    for head in ("stance", "subtext"):
        lines.append(
            f"| {head} | {with_cue['test'][head]['macro_f1']:.4f} | "
            f"{with_cue['export']['fp32_test_macro_f1'][head]:.4f} | {without[head]['macro_f1']:.4f} |"
        )
    lines.append("")
    lines.append(f"Same data, seed and settings ({json.dumps(settings)}), cue loss weight 0 in the ablation.")
    text = "\n".join(lines) + "\n"
    print(text)
    (Path(__file__).resolve().parent / "cue_head_ablation.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
