"""Cue-token masking, a recipe tried and not adopted (``bench/cue_sweep.md``): ``framing train`` with each
cue token of a training batch replaced by [MASK] with probability P, drawn afresh for every batch, so that
the cue head must find a code from the words around it as well as from the phrase itself. Dev batches are
never masked. Every other setting and option is passed to ``framing train`` unchanged.

    python bench/cue_masking.py 0.15 --data seeds/data --out runs/mask21 --seed 21
"""

from __future__ import annotations

import sys

MASK = "[MASK]"


def masking_collate(collate, probability: float, mask_id: int):
    """``collate`` with the cue tokens of training batches (built while gradients are on; ``predict`` runs
    without them) replaced by ``mask_id`` with ``probability`` each."""
    import torch

    from framing.labels import CUE_TAGS
    from training.trainer import IGNORE

    outside = CUE_TAGS.index("O")

    def collate_masked(items, pad_id):
        batch = collate(items, pad_id)
        if torch.is_grad_enabled():
            cue = batch["cue"]
            hit = (cue != outside) & (cue != IGNORE) & (torch.rand(cue.shape) < probability)
            batch["input_ids"] = batch["input_ids"].masked_fill(hit, mask_id)
        return batch

    return collate_masked


def _probability(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return -1.0


def main(argv: list[str]) -> int:
    if not argv or not 0.0 < _probability(argv[0]) < 1.0:
        print("usage: python bench/cue_masking.py P [framing train options]  (0 < P < 1)", file=sys.stderr)
        return 2
    from tokenizers import Tokenizer

    import training.trainer
    from framing.cli import main as framing
    from training.modeling import base_model_path

    mask_id = Tokenizer.from_file(str(base_model_path() / "tokenizer.json")).token_to_id(MASK)
    training.trainer.collate = masking_collate(training.trainer.collate, float(argv[0]), mask_id)
    return framing(["train", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
