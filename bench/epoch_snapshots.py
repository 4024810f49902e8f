"""Weights at the end of every epoch of the default recipe, for comparing ways of choosing the epoch to keep
(``bench/epoch_selection.py``). Trains on the train split exactly as ``framing train`` does for ``--seed`` and
saves ``epochNN.safetensors`` (safetensors, never pickle) and ``history.json`` under ``--out``; the epoch
``framing train`` keeps is the one ``history.json`` marks best.

    python bench/epoch_snapshots.py --seed 7 --out runs/epochs-7
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def snapshotting_predict(predict, model, folder: Path):
    """``predict`` that first saves ``model``'s weights whenever the trainer scores it on dev (once per epoch)."""
    from safetensors.torch import save_file

    epochs = 0

    def predict_and_save(m, items, pad_id, batch_size=64):
        nonlocal epochs
        if m is model:
            epochs += 1
            state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
            save_file(state, str(folder / f"epoch{epochs:02d}.safetensors"))
        return predict(m, items, pad_id, batch_size)

    return predict_and_save


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=ROOT / "seeds" / "data")
    args = parser.parse_args()

    import torch

    import training.trainer
    from framing.tokens import TextEncoder
    from training.config import TrainConfig
    from training.data import by_split, load_examples
    from training.modeling import FramingModel, base_model_path

    config = replace(TrainConfig(), seed=args.seed)
    splits = by_split(load_examples([args.data]))
    encoder = TextEncoder(base_model_path() / "tokenizer.json", config.max_length)
    train, dev = (training.trainer.encode(encoder, splits[name]) for name in ("train", "dev"))
    torch.manual_seed(config.seed)
    model = FramingModel.from_base(dropout=config.dropout)
    args.out.mkdir(parents=True, exist_ok=True)
    predict = training.trainer.predict
    training.trainer.predict = snapshotting_predict(predict, model, args.out)
    try:
        history = training.trainer.fit(model, train, dev, config, encoder.pad_id)
    finally:
        training.trainer.predict = predict
    best = max(history, key=lambda h: h["dev_score"])["epoch"]
    summary = {"seed": args.seed, "config": config.to_dict(), "kept_epoch": best, "history": history}
    (args.out / "history.json").write_text(json.dumps(summary, indent=1), "utf-8")
    print(f"saved {len(history)} epochs to {args.out}; framing train keeps epoch {best}")


if __name__ == "__main__":
    main()
