"""``framing evaluate``: metrics of a model against a labelled JSONL file (runtime only)."""

from __future__ import annotations

import click

from framing.cli import app, model_option


@app.command()
@click.option("--data", required=True, help="Labelled JSONL, a file or a folder: text, stance, subtext[, cue].")
@model_option
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default=None, help="Only rows of this split.")
def evaluate(data: str, model: str | None, fmt: str, split: str | None) -> None:
    """Score a model on labelled sentences.

    Per-class and macro-F1 of both heads, euphemism F1, calibration (ECE) and cue spans.
    """
    from framing.classifier import Classifier
    from framing.evaluation import evaluate_file, format_metrics

    metrics = evaluate_file(Classifier.load(model), data, split)
    click.echo(format_metrics(metrics, fmt))
