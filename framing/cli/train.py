"""``framing train``: fine-tune, calibrate, evaluate, export and gate a model (needs the train extra)."""

from __future__ import annotations

import click

from framing.cli import app
from training.config import TrainConfig

DEFAULTS = TrainConfig()


@app.command()
@click.option("--data", multiple=True, required=True, help="Labelled JSONL/CSV/Parquet files or folders (repeat).")
@click.option("--out", required=True, help="Model folder to write, e.g. models/mine.")
@click.option("--epochs", type=click.IntRange(min=1), default=DEFAULTS.epochs, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0.0, min_open=True), default=DEFAULTS.lr, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULTS.batch_size, show_default=True)
@click.option(
    "--max-length",
    type=click.IntRange(8, 512),
    default=DEFAULTS.max_length,
    show_default=True,
    help="Tokens per sentence.",
)
@click.option("--seed", type=int, default=DEFAULTS.seed, show_default=True)
@click.option(
    "--cue-weight",
    type=click.FloatRange(min=0.0, min_open=True),
    default=DEFAULTS.cue_weight,
    show_default=True,
    help="Weight of the cue-span loss against the sentence heads.",
)
@click.option(
    "--freeze-embeddings/--train-embeddings",
    default=DEFAULTS.freeze_embeddings,
    show_default=True,
    help="Keep the encoder's word embedding table as pretrained, so cue words never seen in training meet the "
    "same table as those that were.",
)
@click.option("--base", default=None, help="Local encoder folder (default: the packaged all-MiniLM-L6-v2).")
@click.option("--max-steps", type=click.IntRange(min=1), default=None, help="Stop after this many steps.")
@click.option(
    "--checkpoint", default=None, help="Save the fine-tuned weights here; reuse them when data and settings match."
)
@click.option("--external", default=None, help="JSONL with text and stance, for an agreement figure (evaluation only).")
def train(
    data: tuple[str, ...],
    out: str,
    epochs: int,
    lr: float,
    batch_size: int,
    max_length: int,
    seed: int,
    cue_weight: float,
    freeze_embeddings: bool,
    base: str | None,
    max_steps: int | None,
    checkpoint: str | None,
    external: str | None,
) -> None:
    """Train a model on labelled sentences and write it, gated, to --out."""
    from framing.errors import FramingError

    try:
        from training.pipeline import train_model
    except ImportError as exc:
        raise FramingError(
            f"training needs the train extra ({exc.name} is missing): pip install -e '.[train]'"
        ) from None
    config = TrainConfig(
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        max_length=max_length,
        seed=seed,
        cue_weight=cue_weight,
        freeze_embeddings=freeze_embeddings,
        max_steps=max_steps,
    )
    train_model(list(data), out, config, base=base, external=external, checkpoint=checkpoint, log=_log)


def _log(line: str) -> None:
    click.echo(line, err=True)
