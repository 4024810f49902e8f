"""Tail weight averaging, a recipe tried (``bench/cue_sweep.md``): ``framing train`` with the final model the
uniform average of the weights at the end of the last N epochs, instead of the epoch with the best dev score.
The learning rate decays linearly to zero, so the average smooths the last stretch of the descent. Every
other setting and option is passed to ``framing train`` unchanged.

    python bench/tail_averaging.py 5 --data seeds/data --out runs/avg21 --seed 21
"""

from __future__ import annotations

import sys


def averaging_fit(fit, predict, module, last: int):
    """``fit`` that keeps the weights at each epoch's end (``predict`` on dev runs once per epoch) and leaves
    the model holding the mean of the last ``last`` of them."""
    import torch

    def fit_averaged(model, train, dev, config, pad_id, log=print):
        kept: list[dict[str, torch.Tensor]] = []

        def predict_and_keep(m, items, pad, batch_size=64):
            if m is model:
                kept.append({k: v.detach().clone() for k, v in model.state_dict().items()})
                del kept[:-last]
            return predict(m, items, pad, batch_size)

        module.predict = predict_and_keep
        try:
            history = fit(model, train, dev, config, pad_id, log=log)
        finally:
            module.predict = predict
        average = {k: torch.stack([s[k].float() for s in kept]).mean(0).to(kept[0][k].dtype) for k in kept[0]}
        model.load_state_dict(average)
        log(f"model: mean of the weights after the last {len(kept)} epochs")
        return history

    return fit_averaged


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0


def main(argv: list[str]) -> int:
    if not argv or _count(argv[0]) < 1:
        print("usage: python bench/tail_averaging.py N [framing train options]  (N >= 1 epochs)", file=sys.stderr)
        return 2
    import training.pipeline
    import training.trainer
    from framing.cli import main as framing

    fit = averaging_fit(training.trainer.fit, training.trainer.predict, training.trainer, _count(argv[0]))
    training.pipeline.fit = fit
    return framing(["train", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
