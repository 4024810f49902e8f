"""``framing info``: the model, its labels and measured metrics, providers and versions."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli import app


@app.command()
def info(
    model: Annotated[str | None, typer.Option("--model", help="Model folder (default: the shipped model).")] = None,
) -> None:
    """Show the model card summary, labels, available providers and versions."""
    from framing.about import describe

    typer.echo(describe(model))
