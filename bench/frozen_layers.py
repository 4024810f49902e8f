"""Bottom encoder layers kept as pretrained, a recipe tried (``bench/cue_sweep.md``): ``framing train`` with the
lowest N transformer layers frozen as well as the word embedding table (the default), so that more of the
pretrained reading of words and phrases meets cue phrases never seen in training. Every other setting and option
is passed to ``framing train`` unchanged.

    python bench/frozen_layers.py 2 --data seeds/data --out runs/layers2-7 --seed 7
"""

from __future__ import annotations

import sys


def freezing_fit(fit, layers: int):
    """``fit`` that first stops gradients to the lowest ``layers`` transformer layers of the encoder."""

    def fit_frozen(model, train, dev, config, pad_id, log=print):
        frozen = model.encoder.encoder.layer[:layers]
        for parameter in frozen.parameters():
            parameter.requires_grad_(False)
        log(f"encoder layers 0-{layers - 1} frozen ({sum(p.numel() for p in frozen.parameters()):,} weights)")
        return fit(model, train, dev, config, pad_id, log=log)

    return fit_frozen


def main(argv: list[str]) -> int:
    if not argv or not argv[0].isdigit() or int(argv[0]) < 1:
        print("usage: python bench/frozen_layers.py N [framing train options]  (N >= 1 layers)", file=sys.stderr)
        return 2
    import training.pipeline
    from framing.cli import main as framing

    training.pipeline.fit = freezing_fit(training.pipeline.fit, int(argv[0]))
    return framing(["train", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
