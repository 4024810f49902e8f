"""``framing info``: the model, its labels and measured metrics, providers and versions."""

from __future__ import annotations

import click

from framing.cli import app, model_option


@app.command()
@model_option
def info(model: str | None) -> None:
    """Show the model, its labels and metrics, providers and versions."""
    from framing.about import describe

    click.echo(describe(model))
