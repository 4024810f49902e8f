"""Frozen word embeddings, a recipe tried (``bench/cue_sweep.md``): ``framing train`` with the encoder's word
embedding table kept as pretrained. Fine-tuning moves only the rows of words seen in training, so the cue words
of train drift away from unseen ones; kept fixed, a cue phrase never seen in training meets the same table as
the ones that were. Every other setting and option is passed to ``framing train`` unchanged.

    python bench/frozen_embeddings.py --data seeds/data --out runs/frozen21 --seed 21
"""

from __future__ import annotations

import sys


def frozen_fit(fit):
    """``fit`` with the word embedding table of the model's encoder excluded from training."""

    def fit_frozen(model, train, dev, config, pad_id, log=print):
        table = model.encoder.get_input_embeddings().weight
        table.requires_grad_(False)
        log(f"word embeddings frozen: {table.numel():,} parameters")
        try:
            return fit(model, train, dev, config, pad_id, log=log)
        finally:
            table.requires_grad_(True)

    return fit_frozen


def main(argv: list[str]) -> int:
    import training.pipeline
    from framing.cli import main as framing

    training.pipeline.fit = frozen_fit(training.pipeline.fit)
    return framing(["train", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
