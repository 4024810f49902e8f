"""``framing evaluate``: metrics of a model against a labelled JSONL file (runtime only)."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli import app


@app.command()
def evaluate(
    data: Annotated[str, typer.Option("--data", help="Labelled JSONL: text, stance, subtext[, cue].")],
    model: Annotated[str | None, typer.Option("--model", help="Model folder (default: the shipped model).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    split: Annotated[str | None, typer.Option("--split", help="Only rows of this split (train, dev, test).")] = None,
) -> None:
    """Score a model on labelled sentences: per-class and macro-F1, euphemism F1, ECE, cue spans."""
    from framing.classifier import Classifier
    from framing.errors import InputError
    from framing.evaluation import evaluate_file, format_metrics

    if fmt not in ("text", "json"):
        raise InputError(f"unknown format {fmt!r}: use text or json")
    metrics = evaluate_file(Classifier.load(model), data, split)
    typer.echo(format_metrics(metrics, fmt))
