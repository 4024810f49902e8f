"""``framing train``: fine-tune, calibrate, evaluate, export and gate a model (needs the train extra)."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli import app


@app.command()
def train(
    data: Annotated[list[str], typer.Option("--data", help="Labelled JSONL/CSV/Parquet files or folders.")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write, e.g. models/mine.")],
    epochs: Annotated[int, typer.Option(min=1)] = 6,
    lr: Annotated[float, typer.Option(min=0.0)] = 8e-5,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 16,
    max_length: Annotated[int, typer.Option("--max-length", min=8, max=512)] = 128,
    seed: Annotated[int, typer.Option()] = 13,
    cue_weight: Annotated[
        float, typer.Option("--cue-weight", min=0.01, help="Weight of the cue-span loss against the sentence heads.")
    ] = 1.0,
    base: Annotated[str | None, typer.Option(help="Local encoder folder (default: packaged all-MiniLM-L6-v2).")] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", min=1, help="Stop after this many steps.")] = None,
    checkpoint: Annotated[
        str | None, typer.Option(help="Save the fine-tuned weights here; reuse them when data and settings match.")
    ] = None,
    external: Annotated[
        str | None, typer.Option(help="JSONL with text and stance, for an agreement figure (evaluation only).")
    ] = None,
) -> None:
    """Train a model on labelled sentences and write it, gated, to --out."""
    from framing.errors import FramingError

    try:
        from training.pipeline import train_model
        from training.trainer import TrainConfig
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
        max_steps=max_steps,
    )
    train_model(
        data,
        out,
        config,
        base=base,
        external=external,
        checkpoint=checkpoint,
        log=lambda line: typer.echo(line, err=True),
    )
