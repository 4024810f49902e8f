"""``framing batch``: score a large corpus on Ray (needs the ray extra)."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli import app


@app.command()
def batch(
    source: Annotated[str, typer.Argument(help="JSONL or Parquet: a file, a folder, or any path Ray Data reads.")],
    output: Annotated[str, typer.Option("--output", help="Folder for sentences/, articles/ and errors/.")],
    text_field: Annotated[str, typer.Option("--text-field", help="Field holding the article text.")] = "text",
    id_field: Annotated[str, typer.Option("--id-field", help="Field naming each article.")] = "id",
    address: Annotated[str | None, typer.Option("--address", help="Join this Ray cluster (default: local).")] = None,
    actors: Annotated[int, typer.Option("--actors", min=1, help="Classifier actors.")] = 1,
    threads_per_actor: Annotated[int, typer.Option("--threads-per-actor", min=1)] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Sentences per model batch.")] = 32,
    model: Annotated[str | None, typer.Option("--model", help="Model folder (default: the shipped model).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="parquet or jsonl.")] = "parquet",
) -> None:
    """Split and label every article of a corpus on Ray Data, like `framing score`, at scale."""
    from framing.errors import FramingError

    try:
        import ray  # noqa: F401

        from framing.distributed import run_batch
    except ImportError:
        raise FramingError("framing batch needs Ray: pip install -e '.[ray]'") from None
    summary = run_batch(
        source, output, text_field, id_field, address, actors, threads_per_actor, batch_size, model, fmt
    )
    typer.echo(summary.line(), err=True)
